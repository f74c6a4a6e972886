package com.warehouseexport.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The commands. Results go to {@code out} (text, or one JSON document with --json); progress to stderr. */
final class Commands {
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    static final Duration FIRST_POLL = Duration.ofSeconds(1);
    static final Duration MAX_POLL = Duration.ofSeconds(10);

    /** How the wait sleeps; tests pass one that does not. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final CliArguments args;
    private final ApiClient api;
    private final Downloader downloader;
    private final Progress progress;
    private final PrintStream out;
    private final Sleeper sleeper;

    Commands(CliArguments args, ApiClient api, Downloader downloader, Progress progress, PrintStream out,
             Sleeper sleeper) {
        this.args = args;
        this.api = api;
        this.downloader = downloader;
        this.progress = progress;
        this.out = out;
        this.sleeper = sleeper;
    }

    ExitCode run() {
        return switch (args.command()) {
            case "datasets" -> datasets();
            case "submit" -> submit();
            case "status" -> status();
            case "wait" -> finished(waitUntilFinal(args.requestId()), true);
            case "download" -> download(args.requestId());
            case "cancel" -> cancel();
            default -> throw new IllegalStateException(args.command());
        };
    }

    // ---------------------------------------------------------------- datasets

    private ExitCode datasets() {
        JsonNode catalog = api.expectSuccess("GET /datasets", api.get("/datasets"));
        if (args.json()) {
            out.println(catalog);
            return ExitCode.OK;
        }
        for (JsonNode dataset : catalog.path("datasets")) {
            out.println(dataset.path("name").asText() + "  (" + joinText(dataset.path("formats")) + ")  "
                + dataset.path("description").asText());
            JsonNode schema = dataset.path("parameters");
            Set<String> required = new java.util.HashSet<>();
            schema.path("required").forEach(name -> required.add(name.asText()));
            schema.path("properties").fields().forEachRemaining(p -> out.println("    --param " + p.getKey() + "=<"
                + describeType(p.getValue()) + ">" + (required.contains(p.getKey()) ? "  required" : "") + "  "
                + p.getValue().path("description").asText()));
        }
        return ExitCode.OK;
    }

    private static String describeType(JsonNode schema) {
        if (schema.has("enum")) {
            return joinText(schema.path("enum")).replace(", ", "|");
        }
        return schema.has("format") ? schema.path("format").asText() : schema.path("type").asText();
    }

    private static String joinText(JsonNode array) {
        StringBuilder text = new StringBuilder();
        array.forEach(v -> text.append(text.length() == 0 ? "" : ", ").append(v.asText()));
        return text.toString();
    }

    // ---------------------------------------------------------------- submit

    private ExitCode submit() {
        String dataset = args.positional().get(0);
        ObjectNode body = ApiClient.JSON.createObjectNode();
        body.put("dataset", dataset);
        ObjectNode parameters = body.putObject("parameters");
        if (!args.params().isEmpty()) {
            typedParameters(dataset, args.params(), parameters);
        }
        if (args.format() != null) {
            body.put("format", args.format());
        }
        JsonNode accepted = api.expectSuccess("POST /exports", api.postJson("/exports", body.toString()));
        String id = accepted.path("requestId").asText();
        if (!args.waitForResult() && !args.download()) {
            out.println(args.json() ? accepted.toString() : id);
            return ExitCode.OK;
        }
        progress.update("submitted " + id, "submitted " + id);
        progress.finish();
        return args.download() ? download(id) : finished(waitUntilFinal(id), true);
    }

    /**
     * Command-line values are text; the API wants typed JSON. The catalog's schema says which type each
     * parameter has. A name the catalog does not know is sent as text, and the API explains the problem.
     */
    void typedParameters(String dataset, Map<String, String> values, ObjectNode into) {
        JsonNode catalog = api.expectSuccess("GET /datasets", api.get("/datasets"));
        JsonNode properties = ApiClient.JSON.createObjectNode();
        for (JsonNode d : catalog.path("datasets")) {
            if (d.path("name").asText().equals(dataset)) {
                properties = d.path("parameters").path("properties");
            }
        }
        for (Map.Entry<String, String> value : values.entrySet()) {
            into.set(value.getKey(), typed(value.getKey(), value.getValue(),
                properties.path(value.getKey()).path("type").asText("string")));
        }
    }

    static JsonNode typed(String name, String text, String type) {
        var nodes = ApiClient.JSON.getNodeFactory();
        try {
            return switch (type) {
                case "integer" -> nodes.numberNode(new BigDecimal(text.strip()).toBigIntegerExact());
                case "number" -> nodes.numberNode(new BigDecimal(text.strip()));
                case "boolean" -> {
                    if (!text.strip().matches("(?i)true|false")) {
                        throw new NumberFormatException();
                    }
                    yield nodes.booleanNode(Boolean.parseBoolean(text.strip()));
                }
                default -> nodes.textNode(text);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw CliException.usage("--param " + name + " must be " + (type.equals("boolean") ? "true or false"
                : "an " + type.replace("number", "decimal number")) + ", not \"" + text + "\"");
        }
    }

    // ---------------------------------------------------------------- status

    private ExitCode status() {
        String id = args.requestId();
        String path = statusPath(id) + (args.history() ? "/history" : "");
        JsonNode body = api.expectSuccess("GET " + path, api.get(path));
        if (args.json()) {
            out.println(body);
        } else if (args.history()) {
            for (JsonNode event : body.path("events")) {
                out.println(event.path("at").asText() + "  " + String.format("%-10s", event.path("status").asText())
                    + "  " + event.path("detail").asText());
            }
        } else {
            printStatus(body);
        }
        return ExitCode.OK;
    }

    private void printStatus(JsonNode body) {
        out.println(body.path("requestId").asText() + "  " + body.path("status").asText());
        out.println("  dataset  " + body.path("dataset").asText() + " " + body.path("parameters") + " as "
            + body.path("format").asText());
        out.println("  created  " + body.path("createdAt").asText() + ", updated " + body.path("updatedAt").asText());
        JsonNode result = body.path("result");
        if (!result.isMissingNode()) {
            out.println("  result   " + result.path("rows").asLong() + " rows, "
                + Progress.formatBytes(result.path("bytes").asLong()) + " zip, " + result.path("parts").asInt()
                + " part(s); link valid until " + result.path("expiresAt").asText());
            out.println("  link     " + result.path("downloadUrl").asText());
        }
        JsonNode error = body.path("error");
        if (!error.isMissingNode()) {
            out.println("  error    " + error.path("code").asText() + ": " + error.path("message").asText());
        }
    }

    private static String statusPath(String id) {
        return "/exports/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- wait

    /** Polls with backoff (1 s, growing by half up to 10 s) until the request is final or --timeout passes. */
    JsonNode waitUntilFinal(String id) {
        long started = System.nanoTime();
        Duration delay = FIRST_POLL;
        int tick = 0;
        while (true) {
            JsonNode status = api.expectSuccess("GET /exports/" + id, api.get(statusPath(id)));
            String state = status.path("status").asText();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            progress.update(Progress.renderWait(id, state, elapsed, tick++), id + " " + state);
            if (FINAL.contains(state)) {
                progress.finish();
                return status;
            }
            if (elapsed.plus(delay).compareTo(args.timeout()) > 0) {
                progress.finish();
                throw new CliException(ExitCode.SERVER_OR_NETWORK, "still " + state + " after "
                    + Progress.formatElapsed(elapsed) + " (--timeout " + args.timeout().toSeconds() + "s); "
                    + "the export goes on: wait again later");
            }
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCode.SERVER_OR_NETWORK, "interrupted", e);
            }
            delay = nextDelay(delay);
        }
    }

    static Duration nextDelay(Duration delay) {
        Duration next = delay.plus(delay.dividedBy(2));
        return next.compareTo(MAX_POLL) > 0 ? MAX_POLL : next;
    }

    private ExitCode finished(JsonNode status, boolean print) {
        String state = status.path("status").asText();
        if (print) {
            if (args.json()) {
                out.println(status);
            } else {
                printStatus(status);
            }
        }
        return state.equals("SUCCEEDED") ? ExitCode.OK : ExitCode.EXPORT_FAILED;
    }

    // ---------------------------------------------------------------- download

    /** Waits for the export to finish if it has not, then downloads (and unzips) its archive. */
    private ExitCode download(String id) {
        JsonNode status = waitUntilFinal(id);
        if (!status.path("status").asText().equals("SUCCEEDED")) {
            if (!args.json()) {
                printStatus(status);
            } else {
                out.println(status);
            }
            return ExitCode.EXPORT_FAILED;
        }
        JsonNode result = status.path("result");
        URI link = downloadLink(args.endpoint(), result.path("downloadUrl").asText());
        Path target = outputFile(id);
        long bytes = downloader.download(link, target, result.path("bytes").asLong(-1));

        ObjectNode summary = ApiClient.JSON.createObjectNode();
        summary.put("requestId", id);
        summary.put("file", target.toString());
        summary.put("bytes", bytes);
        summary.put("rows", result.path("rows").asLong());
        if (args.unzip()) {
            Path directory = args.unzipDir() != null ? Path.of(args.unzipDir())
                : target.resolveSibling(id);
            var files = summary.putArray("files");
            Downloader.unzip(target, directory).forEach(f -> files.add(f.toString()));
        }
        if (args.json()) {
            out.println(summary);
        } else {
            out.println(target + "  " + Progress.formatBytes(bytes) + ", " + result.path("rows").asLong() + " rows");
            summary.path("files").forEach(f -> out.println("  " + f.asText()));
        }
        return ExitCode.OK;
    }

    /** An absolute link as it is; a relative one, like the API's own links, below the endpoint (and its stage). */
    static URI downloadLink(URI endpoint, String link) {
        URI uri = URI.create(link);
        if (uri.isAbsolute()) {
            return uri;
        }
        String base = endpoint.toString().replaceAll("/+$", "");
        return URI.create(base + (link.startsWith("/") ? "" : "/") + link);
    }

    private Path outputFile(String id) {
        String name = id + ".zip";
        if (args.output() == null) {
            return Path.of(name);
        }
        Path given = Path.of(args.output());
        return Files.isDirectory(given) ? given.resolve(name) : given;
    }

    // ---------------------------------------------------------------- cancel

    private ExitCode cancel() {
        String id = args.requestId();
        ApiClient.Reply reply = api.delete(statusPath(id));
        if (reply.status() / 100 == 2) {
            JsonNode body = reply.json();
            if (args.json()) {
                out.println(body);
            } else {
                out.println(id + "  " + body.path("status").asText("cancel requested"));
            }
            return ExitCode.OK;
        }
        String detail = ApiClient.describeError(reply);
        String message = switch (reply.status()) {
            case 404 -> "no export request " + id + " for these credentials (" + detail + ")";
            case 405 -> "this API does not offer cancel (DELETE /exports/{id}): " + detail;
            case 403 -> detail.contains("Missing Authentication Token")
                ? "this API does not offer cancel (DELETE /exports/{id} is not deployed), or the call was not "
                    + "signed: " + detail
                : "not allowed to cancel " + id + ": " + detail;
            case 409 -> "cannot cancel " + id + ": " + detail;
            default -> null;
        };
        if (message == null) {
            throw ApiClient.failure("DELETE /exports/" + id, reply);
        }
        throw new CliException(ExitCode.API_ERROR, message);
    }
}
