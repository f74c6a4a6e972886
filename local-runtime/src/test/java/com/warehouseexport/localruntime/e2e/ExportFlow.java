package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The steps and checks of an export as a partner goes through them, shared by the end-to-end suites. */
final class ExportFlow {
    static final String FLOWER12_CSV = "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},"
        + "\"format\":\"csv\"}";
    /** The sample warehouse's product_detail columns, then the one FLOWER12 row. */
    static final List<String> FLOWER12_LINES = List.of("sku,product_id,product_name,product_description",
        "FLOWER12,12345,Flowers - Rose,Flowers-Rose");

    /** Every state a successful export can pass through, in the only order allowed. */
    static final List<String> SUCCESS_PATH = List.of("RECEIVED", "QUEUED", "SUBMITTED", "RUNNING", "PACKAGING",
        "SUCCEEDED");
    /** RUNNING may be skipped (the poller may first see the statement already finished); these may not. */
    static final Set<String> REQUIRED_STEPS = Set.of("RECEIVED", "QUEUED", "SUBMITTED", "PACKAGING", "SUCCEEDED");
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final Pattern LINK = Pattern.compile("https?://[^\\s\"'<>]+");

    static final Duration FINISH_TIMEOUT = Duration.ofSeconds(120);

    private ExportFlow() {
    }

    /** POST; expects 202 with the request id, status QUEUED and the status link. Returns the id. */
    static String submit(SignedApi api, String body) {
        HttpReply reply = api.postJson("/exports", body);
        assertEquals(202, reply.status(), () -> "POST /exports " + body + " -> " + reply);
        JsonNode json = reply.json();
        String id = json.path("requestId").asText();
        assertTrue(id.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), reply::toString);
        assertEquals("QUEUED", json.path("status").asText(), reply::toString);
        assertEquals("/exports/" + id, json.path("links").path("status").asText(), reply::toString);
        return id;
    }

    /** Polls {@code GET /exports/{id}} until the request is final; returns that status body. */
    static JsonNode awaitFinal(SignedApi api, String requestId) {
        HttpReply last = await("request " + requestId + " to finish", FINISH_TIMEOUT,
            () -> api.get("/exports/" + requestId),
            reply -> reply.status() == 200 && FINAL.contains(reply.json().path("status").asText()));
        return last.json();
    }

    static JsonNode awaitSucceeded(SignedApi api, String requestId) {
        JsonNode status = awaitFinal(api, requestId);
        assertEquals("SUCCEEDED", status.path("status").asText(), status::toPrettyString);
        return status;
    }

    /** Polls until the value matches; fails with the last value seen. */
    static <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                    + "; last seen: " + last);
            }
            sleep(Duration.ofMillis(200));
            last = probe.get();
        }
        return last;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The states of a history body, oldest first. */
    static List<String> states(JsonNode history) {
        List<String> states = new ArrayList<>();
        history.path("events").forEach(event -> states.add(event.path("status").asText()));
        return states;
    }

    /** The states present follow the success path in order, each once, and none of the required steps is missing. */
    static void assertSuccessHistory(JsonNode history) {
        List<String> states = states(history);
        List<String> expectedOrder = SUCCESS_PATH.stream().filter(states::contains).toList();
        assertEquals(expectedOrder, states, () -> "history out of order or repeated: " + history.toPrettyString());
        assertTrue(states.containsAll(REQUIRED_STEPS), () -> "history misses a step: " + states);
    }

    /** The one http(s) link of an e-mail body: the presigned download URL. */
    static String downloadLink(String emailText) {
        List<String> links = new ArrayList<>();
        Matcher m = LINK.matcher(emailText);
        while (m.find()) {
            links.add(m.group());
        }
        assertEquals(1, links.size(), () -> "expected exactly one link in the e-mail: " + emailText);
        return links.get(0);
    }

    /** The zip's entries in order, name to content. */
    static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not a zip archive", e);
        }
        assertTrue(!entries.isEmpty(), "the archive has no entries");
        return entries;
    }

    static List<String> lines(byte[] text) {
        return new String(text, StandardCharsets.UTF_8).lines().toList();
    }

    /** RFC 4180 fields of simple CSV (no line breaks inside values), quoted or not. */
    static List<List<String>> csv(byte[] content) {
        List<List<String>> rows = new ArrayList<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = !quoted;
                } else if (c == ',' && !quoted) {
                    fields.add(field.toString());
                    field.setLength(0);
                } else if (c != '\r') {
                    field.append(c);
                }
            }
            fields.add(field.toString());
            rows.add(fields);
        }
        return rows;
    }
}
