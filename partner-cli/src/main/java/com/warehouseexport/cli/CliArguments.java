package com.warehouseexport.cli;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed command line: {@code warehouse-export [global options] <command> [arguments and options]}. Options may
 * stand anywhere after the command too; {@code --name=value} and {@code --name value} both work.
 */
public record CliArguments(
    String command,
    List<String> positional,
    URI endpoint,
    String region,
    String profile,
    boolean json,
    Map<String, String> params,
    String format,
    boolean waitForResult,
    boolean history,
    Duration timeout,
    String output,
    boolean unzip,
    String unzipDir,
    boolean download) {

    public static final String ENDPOINT_VARIABLE = "WAREHOUSE_EXPORT_ENDPOINT";
    static final Set<String> COMMANDS = Set.of("datasets", "submit", "status", "wait", "download", "cancel", "help");
    private static final Set<String> FLAGS = Set.of("--json", "--wait", "--history", "--unzip", "--download",
        "--help", "-h");
    private static final Set<String> VALUED = Set.of("--endpoint", "--region", "--profile", "--param", "-p",
        "--format", "--timeout", "--output", "-o", "--unzip-to");

    /** Parses; the environment supplies {@code WAREHOUSE_EXPORT_ENDPOINT} and {@code AWS_REGION} defaults. */
    public static CliArguments parse(List<String> args, Map<String, String> environment) {
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> params = new LinkedHashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                positional.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw CliException.usage(name + " takes no value");
                }
                flags.add(name);
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw CliException.usage(name + " needs a value");
                    }
                    value = args.get(++i);
                }
                if (name.equals("--param") || name.equals("-p")) {
                    int split = value.indexOf('=');
                    if (split <= 0) {
                        throw CliException.usage("--param takes name=value, not \"" + value + "\"");
                    }
                    params.put(value.substring(0, split), value.substring(split + 1));
                } else {
                    options.put(name.equals("-o") ? "--output" : name, value);
                }
            } else {
                throw CliException.usage("unknown option " + name);
            }
        }

        if (positional.isEmpty() || flags.contains("--help") || flags.contains("-h")) {
            return new CliArguments("help", List.of(), null, null, null, false, Map.of(), null, false, false,
                Duration.ZERO, null, false, null, false);
        }
        String command = positional.remove(0);
        if (!COMMANDS.contains(command)) {
            throw CliException.usage("unknown command \"" + command + "\"; commands: datasets, submit, status, "
                + "wait, download, cancel");
        }
        int expected = switch (command) {
            case "datasets", "help" -> 0;
            default -> 1;
        };
        if (positional.size() != expected) {
            throw CliException.usage(switch (command) {
                case "submit" -> "submit takes one dataset name";
                case "datasets" -> "datasets takes no arguments";
                case "help" -> "help takes no arguments";
                default -> command + " takes one request id";
            } + (positional.isEmpty() ? "" : ", not " + positional));
        }
        if (!command.equals("submit") && (!params.isEmpty() || options.containsKey("--format"))) {
            throw CliException.usage("--param and --format belong to submit");
        }

        String endpointText = options.getOrDefault("--endpoint", environment.get(ENDPOINT_VARIABLE));
        URI endpoint = null;
        if (endpointText != null && !endpointText.isBlank()) {
            endpoint = URI.create(endpointText.strip());
            if (endpoint.getScheme() == null || !endpoint.getScheme().matches("https?") || endpoint.getHost() == null) {
                throw CliException.usage("the endpoint must be an http(s) URL, not \"" + endpointText + "\"");
            }
        } else if (!command.equals("help")) {
            throw CliException.usage("no endpoint: pass --endpoint URL or set " + ENDPOINT_VARIABLE);
        }
        String region = options.getOrDefault("--region", environment.getOrDefault("AWS_REGION",
            environment.getOrDefault("AWS_DEFAULT_REGION", "us-east-1")));
        String format = options.get("--format");
        if (format != null && !format.matches("(?i)csv|parquet")) {
            throw CliException.usage("--format is csv or parquet, not \"" + format + "\"");
        }
        return new CliArguments(command, List.copyOf(positional), endpoint, region, options.get("--profile"),
            flags.contains("--json"), Map.copyOf(params), format == null ? null : format.toLowerCase(),
            flags.contains("--wait"), flags.contains("--history"),
            parseDuration(options.getOrDefault("--timeout", "30m")), options.get("--output"),
            flags.contains("--unzip") || options.containsKey("--unzip-to"), options.get("--unzip-to"),
            flags.contains("--download"));
    }

    /** {@code 90s}, {@code 15m}, {@code 2h}, or plain seconds. */
    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long amount = Long.parseLong(t.replaceAll("[smh]$", ""));
            Duration duration = switch (t.charAt(t.length() - 1)) {
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
            if (duration.isNegative() || duration.isZero()) {
                throw CliException.usage("--timeout must be positive, not \"" + text + "\"");
            }
            return duration;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw CliException.usage("--timeout takes a duration such as 90s, 15m or 2h, not \"" + text + "\"");
        }
    }

    String requestId() {
        return positional.get(0);
    }
}
