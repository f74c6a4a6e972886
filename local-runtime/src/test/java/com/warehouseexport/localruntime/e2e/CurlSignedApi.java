package com.warehouseexport.localruntime.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Calls signed by curl's {@code --aws-sigv4}, as the README tells people to call the local API. */
final class CurlSignedApi implements SignedApi {
    private final URI base;
    private final Partner partner;

    CurlSignedApi(URI base, Partner partner) {
        this.base = base;
        this.partner = partner;
    }

    @Override
    public HttpReply get(String path, Map<String, String> headers) {
        return curl(path, headers, null);
    }

    @Override
    public HttpReply postJson(String path, String json) {
        return curl(path, Map.of("Content-Type", "application/json"), json);
    }

    @Override
    public HttpReply delete(String path) {
        return curl(path, Map.of(), null, "DELETE");
    }

    private HttpReply curl(String path, Map<String, String> headers, String body) {
        return curl(path, headers, body, null);
    }

    private HttpReply curl(String path, Map<String, String> headers, String body, String method) {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--include",
            "--max-time", "60", "--aws-sigv4", "aws:amz:" + REGION + ":" + SERVICE,
            "--user", partner.accessKeyId() + ":" + partner.secretAccessKey()));
        if (method != null) {
            command.addAll(List.of("--request", method));
        }
        headers.forEach((name, value) -> command.addAll(List.of("-H", name + ": " + value)));
        if (body != null) {
            command.addAll(List.of("--data-binary", body));
        }
        command.add(base.resolve(path).toString());
        try {
            Process process = new ProcessBuilder(command).start();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError("curl failed (" + (process.isAlive() ? "running" : process.exitValue())
                    + "): " + err + " " + command);
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code --include} output: status line, headers, blank line, body. */
    static HttpReply parse(String output) {
        int end = output.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no HTTP header block in curl's output: " + output);
        }
        String[] lines = output.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
            }
        }
        return new HttpReply(status, headers, output.substring(end + 4));
    }
}
