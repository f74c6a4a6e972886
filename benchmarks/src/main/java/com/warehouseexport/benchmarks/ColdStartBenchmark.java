package com.warehouseexport.benchmarks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.warehouseexport.benchmarks.child.ColdStartChild;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localruntime.LocalRuntime;
import com.warehouseexport.localruntime.ResourceProvisioner;
import com.warehouseexport.localruntime.apigateway.Principals;
import com.warehouseexport.localruntime.template.SamTemplate;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Cold start of each function in a fresh JVM with the Lambda Java runtime's flags, its own jar on the class path
 * (plus aws-lambda-java-core and -serialization, as the runtime has), against local AWS: time to a constructed
 * handler, time of the first event, then warm per-event latency; classes loaded (from -Xlog:class+load) and the
 * artefact's size.
 */
final class ColdStartBenchmark {
    /** What Lambda's java17/java21 runtime passes (1024 MB function: heap ~85 % of the memory, serial GC). */
    static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
        "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx870m", "-Xms870m");

    /** Function, its event fixture, in the order they run (each in its own stack, so none sees another's load). */
    private static final Map<String, String> EVENTS = new LinkedHashMap<>();

    static {
        EVENTS.put("RequestReceiverFunction", "api-post-exports.json");
        EVENTS.put("StatusCheckFunction", "api-get-export.json");
        EVENTS.put("RequestProcessorFunction", "sqs-export-batch.json");
        EVENTS.put("ResultPollerFunction", "schedule.json");
    }

    record Result(String function, long jarBytes, double jvmStartMs, double initMs, double primeMs,
                  double firstEventMs,
                  double launchToFirstDoneMs, int classesCold, int classesFromCds, int classesFromJar,
                  Stats warm, String firstResponse, String primingThrew) {
    }

    private final Path root;
    private final Path workDir;
    private final LocalAws aws;
    private final PrintStream log;

    ColdStartBenchmark(Path root, Path workDir, LocalAws aws, PrintStream log) {
        this.root = root;
        this.workDir = workDir;
        this.aws = aws;
        this.log = log;
    }

    void run(Report report, int runs, int warmEvents) throws Exception {
        Path childClasses = extractChildClasses(workDir.resolve("child-classes"));
        Path template = BenchTemplates.variant(root, workDir, "coldstart", null, true);
        report.section("Cold start per function");
        report.table("function", "jar MB", "JVM start ms", "init ms", "first event ms", "init + first ms",
            "launch → first done ms", "classes (CDS / jar)", "warm p50 ms", "warm p95 ms", "priming ms",
            "first event after priming ms");
        List<Result> results = new ArrayList<>();
        for (Map.Entry<String, String> function : EVENTS.entrySet()) {
            SamTemplate.Function definition = provision(template, "cold-" + function.getKey().toLowerCase()
                .replace("function", ""), function.getKey());
            List<Result> tries = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                tries.add(runChild(definition, childClasses, root.resolve("events").resolve(function.getValue()),
                    i == runs - 1 ? warmEvents : 1, false));
            }
            Result primed = runChild(definition, childClasses, root.resolve("events").resolve(function.getValue()),
                1, true);
            // the median run by init + first event; warm latencies from the last run (the one with warmEvents)
            List<Result> sorted = new ArrayList<>(tries);
            sorted.sort((a, b) -> Double.compare(a.initMs + a.firstEventMs, b.initMs + b.firstEventMs));
            Result median = sorted.get(sorted.size() / 2);
            Result last = tries.get(tries.size() - 1);
            Result result = new Result(median.function, median.jarBytes, median.jvmStartMs, median.initMs,
                median.primeMs, median.firstEventMs, median.launchToFirstDoneMs, median.classesCold, median.classesFromCds,
                median.classesFromJar, last.warm, median.firstResponse, median.primingThrew);
            results.add(result);
            report.row(result.function, String.format("%.2f", result.jarBytes / 1_000_000.0),
                Stats.ms(result.jvmStartMs), Stats.ms(result.initMs), Stats.ms(result.firstEventMs),
                Stats.ms(result.initMs + result.firstEventMs), Stats.ms(result.launchToFirstDoneMs),
                result.classesCold + " (" + result.classesFromCds + " / " + result.classesFromJar + ")",
                Stats.ms(result.warm.p50()), Stats.ms(result.warm.p95()),
                Stats.ms(primed.primeMs) + " (" + primed.primingThrew + " step(s) threw)",
                Stats.ms(primed.firstEventMs));
            log.println("cold start " + result.function + " first response: " + result.firstResponse);
        }
        report.note("Child JVM flags: `" + String.join(" ", LAMBDA_FLAGS) + "`; median of " + runs
            + " launch(es) per function; warm = " + warmEvents + " events after the first, same JVM. "
            + "JVM start = launch → main(); init = main() → handler constructed and event serializers built "
            + "(class loading, static init, SDK clients); first event = deserialize + handle + serialize the "
            + "fixture. Classes = loaded until the first event ended (from the shared CDS archive / from a jar). "
            + "That is the on-demand cold start (no SnapStart). The last two columns come from one more launch that "
            + "runs the function's SnapStart priming (its beforeCheckpoint hook) after init: the first event after "
            + "it approximates the first request after a SnapStart restore (the restore itself is not emulated). "
            + "Steps that threw are reads of things that do not exist (a missing statement or S3 key), by design.");
    }

    private SamTemplate.Function provision(Path template, String stackName, String logicalId) {
        LocalRuntime.Settings settings = new LocalRuntime.Settings(template, stackName, 0, Map.of(), null,
            Principals.defaults(), null);
        // no gateway here: the API URLs in the environment stay the template's (nothing calls them)
        SamTemplate parsed = LocalRuntime.readTemplate(settings, aws, null).template();
        new ResourceProvisioner(aws.clients().dynamoDb(), aws.clients().sqs(), aws.clients().s3(), log)
            .provision(parsed);
        ResourceProvisioner.provisionSecrets(parsed, aws.clients().secretsManager(), log);
        ResourceProvisioner.verifySenders(parsed, aws.clients().ses(), log);
        return parsed.functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst().orElseThrow();
    }

    private Result runChild(SamTemplate.Function function, Path childClasses, Path event, int events, boolean prime)
            throws Exception {
        Path classLog = Files.createTempFile(workDir, "classes-", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(LAMBDA_FLAGS);
        command.add("-Xlog:class+load=info:file=" + classLog);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, childClasses.toString(), function.codeUri().toString(),
            jarOf(Context.class).toString(), jarOf(LambdaEventSerializers.class).toString()));
        command.add(ColdStartChild.class.getName());
        String handler = function.handler();
        command.add(handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler);
        command.add(event.toString());
        command.add(Integer.toString(events - 1));
        command.add(prime ? "prime" : "cold");

        ProcessBuilder builder = new ProcessBuilder(command).redirectError(workDir.resolve("child-stderr.log").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.putAll(function.environment());
        env.putAll(aws.endpoints().asEnvironment());
        env.put("AWS_REGION", aws.region());
        env.put("AWS_DEFAULT_REGION", aws.region());
        env.put("AWS_ACCESS_KEY_ID", LocalAws.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", LocalAws.SECRET_KEY);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.functionName());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");

        long launched = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(function.logicalId() + " child failed (exit " + process.exitValue()
                + "): " + output + "\n" + Files.readString(workDir.resolve("child-stderr.log")));
        }
        Map<String, Long> marks = new LinkedHashMap<>();
        List<Double> warm = new ArrayList<>();
        String response = "";
        String primingThrew = "-";
        for (String line : output.split("\n")) {
            if (line.startsWith("MARK ")) {
                String[] parts = line.split(" ");
                marks.put(parts[1], Long.parseLong(parts[2].trim()));
            } else if (line.startsWith("WARM")) {
                for (String value : line.substring(4).trim().split(" ")) {
                    if (!value.isBlank()) {
                        warm.add(Long.parseLong(value.trim()) / 1e6);
                    }
                }
            } else if (line.startsWith("PRIMING_THREW ")) {
                primingThrew = line.substring("PRIMING_THREW ".length()).trim();
            } else if (line.startsWith("RESPONSE ")) {
                response = line.substring(9);
            }
        }
        int[] classes = countClasses(classLog);
        Files.deleteIfExists(classLog);
        return new Result(function.logicalId(), Files.size(function.codeUri()), (marks.get("main") - launched) / 1e6,
            (marks.get("init") - marks.get("main")) / 1e6, (marks.get("primed") - marks.get("init")) / 1e6,
            (marks.get("first") - marks.get("primed")) / 1e6,
            (marks.get("first") - launched) / 1e6, classes[0], classes[1], classes[2], Stats.of(warm), response,
            primingThrew);
    }

    /** Lines before FirstEventDone's: total, from the CDS archive, from a jar file. */
    private static int[] countClasses(Path classLog) throws IOException {
        int total = 0;
        int cds = 0;
        int jar = 0;
        for (String line : Files.readAllLines(classLog)) {
            if (line.contains("FirstEventDone")) {
                break;
            }
            if (!line.contains("source:")) {
                continue;
            }
            total++;
            if (line.contains("shared objects file")) {
                cds++;
            } else if (line.contains(".jar")) {
                jar++;
            }
        }
        return new int[] {total, cds, jar};
    }

    private static Path jarOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The child's few classes, copied out of this jar (the jar itself would bring the whole lib/ class path). */
    static Path extractChildClasses(Path dir) throws IOException {
        String prefix = ColdStartChild.class.getPackageName().replace('.', '/') + "/";
        Path source = jarOf(ColdStartChild.class);
        Files.createDirectories(dir.resolve(prefix));
        if (Files.isDirectory(source)) {
            try (var files = Files.list(source.resolve(prefix))) {
                for (Path file : files.toList()) {
                    Files.copy(file, dir.resolve(prefix).resolve(file.getFileName().toString()),
                        StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        }
        try (JarFile jar = new JarFile(source.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().startsWith(prefix) && entry.getName().endsWith(".class")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, dir.resolve(entry.getName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return dir;
    }
}
