package com.warehouseexport.localruntime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localruntime.apigateway.ApiRoute;
import com.warehouseexport.localruntime.apigateway.Principal;
import com.warehouseexport.localruntime.apigateway.Principals;
import com.warehouseexport.localruntime.outbox.OutboxSource;
import com.warehouseexport.localruntime.outbox.SesOutbox;
import com.warehouseexport.localruntime.template.SamTemplate;
import com.warehouseexport.localruntime.template.TemplateException;
import com.warehouseexport.localruntime.template.TemplateOptions;
import com.warehouseexport.localruntime.template.UsagePlan;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar local-runtime.jar [options]}: starts local AWS and runs template.yaml on it until Ctrl-C.
 * Parameter values come from the template's defaults, then the local config file, then
 * {@code --parameter-overrides}.
 */
public final class LocalRuntimeMain {
    static final String USAGE = """
        Usage: java -jar local-runtime/target/local-runtime.jar [options]
          --template PATH              SAM template to run (default: template.yaml)
          --port N                     port of the local API Gateway on 127.0.0.1 (default: 3000)
          --data-dir DIR               where local AWS keeps its data (default: ./.local-data)
          --in-memory                  keep nothing on disk
          --inventory-rows N           rows of the generated sample warehouse table (default: 100000)
          --warehouse FILE.duckdb      serve this DuckDB database as the warehouse instead of the sample
          --datasets FILE              dataset catalog file given to the functions (DATASET_CATALOG_FILE)
          --poll-every DURATION        run every rate() schedule this often instead (e.g. 5s, 500ms, 1m)
          --parameter-overrides K=V... template parameter values (also "ParameterKey=K,ParameterValue=V")
          --config FILE                JSON {"parameters": {"K": "V"}} (default: local-runtime.json beside the
                                       template, when it exists)
          --principals FILE            IAM users the API accepts (default: the two partners built in)
          --stack-name NAME            stack name for generated resource names (default: warehouse-export)
        """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalRuntimeMain() {
    }

    /** Parsed command line. */
    record Options(Path template, int port, Path dataDir, long inventoryRows, Path warehouse, Path datasets,
                   Duration pollEvery, Map<String, String> parameterOverrides, Path config, Path principals,
                   String stackName) {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            out.println(USAGE);
            return;
        }
        long started = System.nanoTime();
        LocalAws aws = null;
        LocalRuntime runtime = null;
        try {
            Map<String, String> parameters = parameters(options);
            Principals principals = options.principals() == null ? Principals.defaults()
                : Principals.load(options.principals());
            out.println("Starting local AWS " + (options.dataDir() == null ? "in memory"
                : "with data in " + options.dataDir().toAbsolutePath()) + " ...");
            LocalAws.Builder builder = LocalAws.builder().dataDir(options.dataDir())
                .inventoryRows(options.inventoryRows());
            if (options.warehouse() != null) {
                builder.warehouseFile(options.warehouse());
            }
            aws = builder.start();
            out.printf(Locale.ROOT, "local AWS ready in %.1f s%n", aws.startupTime().toMillis() / 1000.0);
            OutboxSource outbox = new SesOutbox(aws.outbox());
            runtime = LocalRuntime.start(new LocalRuntime.Settings(options.template(), options.stackName(),
                options.port(), parameters, options.pollEvery(), principals, options.datasets()), aws, outbox, out);
            LocalAws stopAws = aws;
            LocalRuntime stopRuntime = runtime;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                long stopping = System.nanoTime();
                out.println("stopping ...");
                try {
                    stopRuntime.close();
                } finally {
                    stopAws.close();
                }
                out.printf(Locale.ROOT, "stopped in %d ms%n", (System.nanoTime() - stopping) / 1_000_000);
            }, "local-runtime-shutdown"));
            printSummary(out, runtime, aws, principals, options);
            out.printf(Locale.ROOT, "local runtime ready in %.1f s (Ctrl-C stops)%n",
                (System.nanoTime() - started) / 1e9);
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TemplateException | IllegalStateException | IllegalArgumentException | IOException e) {
            System.err.println("local runtime failed to start: " + e.getMessage());
            closeQuietly(runtime);
            closeQuietly(aws);
            // DynamoDB Local leaves a non-daemon thread behind: leave explicitly
            System.exit(1);
        } catch (RuntimeException e) {
            System.err.println("local runtime failed to start:");
            e.printStackTrace();
            closeQuietly(runtime);
            closeQuietly(aws);
            System.exit(1);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // already failing
            }
        }
    }

    // ---------------------------------------------------------------- command line

    /** Parses the command line; null means --help. */
    static Options parse(String[] args) {
        Path template = Path.of("template.yaml");
        int port = 3000;
        Path dataDir = Path.of(".local-data");
        long inventoryRows = 100_000;
        Path warehouse = null;
        Path datasets = null;
        Duration pollEvery = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        Path config = null;
        Path principals = null;
        String stackName = TemplateOptions.DEFAULT_STACK_NAME;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--template" -> template = Path.of(value(args, ++i, arg));
                case "--port" -> port = intValue(value(args, ++i, arg), arg);
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                case "--in-memory" -> dataDir = null;
                case "--inventory-rows" -> inventoryRows = intValue(value(args, ++i, arg), arg);
                case "--warehouse" -> warehouse = Path.of(value(args, ++i, arg));
                case "--datasets" -> datasets = Path.of(value(args, ++i, arg));
                case "--poll-every" -> pollEvery = duration(value(args, ++i, arg));
                case "--config" -> config = Path.of(value(args, ++i, arg));
                case "--principals" -> principals = Path.of(value(args, ++i, arg));
                case "--stack-name" -> stackName = value(args, ++i, arg);
                case "--parameter-overrides" -> {
                    value(args, i + 1, arg);
                    while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        overrides.putAll(parameterOverrides(args[++i]));
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0 to 65535");
        }
        return new Options(template, port, dataDir, inventoryRows, warehouse, datasets, pollEvery, overrides, config,
            principals, stackName);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String text, String option) {
        try {
            return Integer.parseInt(text.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got " + text);
        }
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

    /** 500ms, 5s, 2m, 1h, a plain number of seconds, or ISO-8601 (PT5S). */
    static Duration duration(String text) {
        Matcher m = SHORT_DURATION.matcher(text.trim());
        Duration duration;
        if (m.matches()) {
            long value = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            duration = switch (unit) {
                case "ms" -> Duration.ofMillis(value);
                case "m" -> Duration.ofMinutes(value);
                case "h" -> Duration.ofHours(value);
                default -> Duration.ofSeconds(value);
            };
        } else {
            try {
                duration = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--poll-every needs a duration such as 5s, 500ms or 1m, got "
                    + text);
            }
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("--poll-every must be positive");
        }
        return duration;
    }

    private static final Pattern LONG_FORM = Pattern.compile("ParameterKey=([^,]+),ParameterValue=(.*)");

    /** One --parameter-overrides argument: K=V pairs separated by spaces, values optionally quoted. */
    static Map<String, String> parameterOverrides(String text) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String token : splitRespectingQuotes(text)) {
            Matcher longForm = LONG_FORM.matcher(token);
            String key;
            String value;
            if (longForm.matches()) {
                key = longForm.group(1);
                value = longForm.group(2);
            } else {
                int eq = token.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--parameter-overrides takes Key=Value, got " + token);
                }
                key = token.substring(0, eq);
                value = token.substring(eq + 1);
            }
            overrides.put(key, unquote(value));
        }
        return overrides;
    }

    private static List<String> splitRespectingQuotes(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                current.append(c);
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                current.append(c);
            } else if (Character.isWhitespace(c)) {
                if (current.length() > 0) {
                    tokens.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            tokens.add(current.toString());
        }
        return tokens;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** The local config file's parameters, then the command line's. */
    static Map<String, String> parameters(Options options) throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>();
        Path config = options.config();
        if (config == null) {
            Path beside = options.template().toAbsolutePath().resolveSibling("local-runtime.json");
            config = Files.exists(beside) ? beside : null;
        } else if (!Files.exists(config)) {
            throw new IllegalArgumentException("config file " + config + " does not exist");
        }
        if (config != null) {
            JsonNode root = JSON.readTree(Files.readAllBytes(config));
            root.path("parameters").fields().forEachRemaining(p -> parameters.put(p.getKey(), p.getValue().asText()));
        }
        parameters.putAll(options.parameterOverrides());
        return parameters;
    }

    // ---------------------------------------------------------------- start-up summary

    /** API keys and usage plans, CORS and access logs, when the template asks for them. */
    static void printApiFeatures(PrintStream out, LocalRuntime runtime) {
        SamTemplate template = runtime.template();
        boolean keysRequired = runtime.routes().stream().anyMatch(ApiRoute::apiKeyRequired);
        if (keysRequired) {
            out.println();
            out.println("API keys (header x-api-key; missing or wrong: 403, over the plan's limits: 429):");
            if (template.usagePlans().isEmpty()) {
                out.println("  none: the template has no AWS::ApiGateway::UsagePlan, so every call is refused");
            }
            for (UsagePlan plan : template.usagePlans()) {
                out.println("  usage plan " + plan.name() + ": " + (plan.throttle() == null ? "no throttle"
                    : String.format(Locale.ROOT, "%s requests/s, burst %d", trim(plan.throttle().rateLimit()),
                        plan.throttle().burstLimit())) + (plan.quota() == null ? ", no quota"
                    : ", quota " + plan.quota().limit() + " per " + plan.quota().period()) + " (each key)");
                for (UsagePlan.ApiKey key : plan.keys()) {
                    out.printf(Locale.ROOT, "    %-28s %s  (%s%s)%n", key.name(), key.value(),
                        key.valueGenerated() ? "generated locally; on AWS read it with get-api-key --include-value"
                            : "the template's Value", key.enabled() ? "" : ", DISABLED");
                }
            }
        }
        for (SamTemplate.Api api : template.apis()) {
            if (api.settings().cors() != null) {
                out.println("CORS (" + api.logicalId() + "): Access-Control-Allow-Origin "
                    + api.settings().cors().allowOrigin() + "; OPTIONS preflights answered on every resource "
                    + "without signature or key");
            }
            if (api.settings().accessLog() != null) {
                Path file = runtime.accessLogFile(api);
                out.println("Access log (" + api.logicalId() + "): " + (file == null
                    ? "the console only (local AWS in memory)" : file.toAbsolutePath() + " and the console"));
            }
        }
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    static void printSummary(PrintStream out, LocalRuntime runtime, LocalAws aws, Principals principals,
                             Options options) {
        SamTemplate template = runtime.template();
        String base = "http://127.0.0.1:" + runtime.apiEndpoint().getPort();
        out.println();
        out.println("Running " + template.templateFile() + " as stack " + template.stackName() + " ("
            + template.functions().size() + " functions)");
        for (SamTemplate.Function function : template.functions()) {
            if (!Files.exists(function.codeUri())) {
                out.println("  WARNING: " + function.logicalId() + "'s CodeUri " + function.codeUri() + " is missing: "
                    + "build it first (mvn -B -DskipTests package); its invocations fail until then");
            }
        }
        out.println();
        out.println("API Gateway (REST, Lambda proxy): " + base);
        for (ApiRoute route : runtime.routes()) {
            out.printf(Locale.ROOT, "  %-6s %-26s %-26s %s%n", route.method(), route.resourcePath(),
                route.functionId(), (route.iamAuth() ? "AWS_IAM" : "open") + (route.apiKeyRequired() ? " + x-api-key"
                    : ""));
        }
        runtime.routes().stream().map(r -> r.api().stageName()).distinct().findFirst().ifPresent(stage ->
            out.println("  (paths also work under the stage name, as on execute-api: " + base + "/" + stage + "/...)"));
        printApiFeatures(out, runtime);
        out.println();
        out.println("Event sources:");
        runtime.eventSourceSummary().forEach(s -> out.println("  " + s));
        if (options.pollEvery() != null) {
            out.println("  (rate schedules run every " + options.pollEvery() + " because of --poll-every)");
        }
        out.println();
        out.println("Outbox (e-mails sent through SES): " + base + "/_local/outbox.html   JSON: " + base
            + "/_local/outbox");
        out.println();
        out.println("Local AWS (region " + aws.region() + ", credentials " + LocalAws.ACCESS_KEY + " / "
            + LocalAws.SECRET_KEY + "):");
        new TreeMap<>(aws.endpoints().asEnvironment()).forEach((k, v) -> out.println("  " + k + "=" + v));
        out.println();
        out.println("Partner credentials (SigV4, service execute-api, region " + aws.region() + "):");
        for (Principal principal : principals.all()) {
            out.printf(Locale.ROOT, "  %-10s %s / %s   %s%n", principal.name(), principal.accessKeyId(),
                principal.secretAccessKey(), principal.arn());
        }
        Principal first = principals.all().get(0);
        String curl = "curl --aws-sigv4 \"aws:amz:" + aws.region() + ":execute-api\" --user "
            + first.accessKeyId() + ":" + first.secretAccessKey();
        if (runtime.routes().stream().anyMatch(ApiRoute::apiKeyRequired)) {
            curl += template.usagePlans().stream().flatMap(p -> p.keys().stream()).findFirst()
                .map(k -> " -H \"x-api-key: " + k.value() + "\"").orElse("");
        }
        out.println();
        out.println("Try:");
        out.println("  " + curl + " " + base + "/datasets");
        out.println("  " + curl + " -H \"Content-Type: application/json\" \\");
        // The sample warehouse always holds the seed's product_detail rows FLOWER12..FLOWER14.
        out.println("       -d '{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"format\":\"csv\"}' "
            + base + "/exports");
        out.println("  " + curl + " " + base + "/exports/<requestId>");
        if (!template.outputs().isEmpty()) {
            out.println();
            out.println("Outputs (as on AWS):");
            template.outputs().forEach((k, v) -> out.println("  " + k + " = " + v));
        }
        if (!runtime.warnings().isEmpty()) {
            out.println();
            out.println("Not emulated:");
            runtime.warnings().forEach(w -> out.println("  " + w));
        }
        out.println();
    }
}
