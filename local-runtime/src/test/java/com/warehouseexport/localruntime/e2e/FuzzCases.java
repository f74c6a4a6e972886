package com.warehouseexport.localruntime.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generated malformed and hostile requests for the export API, from one seeded {@link Random}: broken and hostile
 * JSON, wrong types, out-of-range values, tricky Unicode, SQL payloads, oversized bodies, wrong content types,
 * invalid idempotency keys, malformed request ids and header values, unknown methods.
 */
final class FuzzCases {
    /** One request to send; {@code body} null for none. */
    record Case(String kind, String method, String rawPath, Map<String, String> headers, byte[] body) {
        String bodyText() {
            return body == null ? "" : new String(body, StandardCharsets.UTF_8);
        }
    }

    static final List<String> HOSTILE_TEXT = List.of(
        "'", "''", "\\", "\\'", "'; drop table rsdataapi.product_detail; --", "' OR '1'='1", "$$", "$tag$ x $tag$",
        "/* */", "-- c", "; select 1", "\u2019", "\uFF07", "\u202E", "\u200B", "\uFEFF", "\u0000", "a\u0000b", "\n",
        "\r\n", "\t", "\u0085", "\u2028", "\uE000", "e\u0301", "\uD83D\uDE00", "%00", "%27", "${jndi:ldap://x/a}",
        "{{7*7}}", "<script>alert(1)</script>", "../../etc/passwd", "NaN", "Infinity", "null", "true", "",
        " ", "FLOWER12 ", " FLOWER12", "flower12\u0130", "FLOWER\u0031\u0032", "FLOWER\uFF11\uFF12", "A".repeat(21),
        "A".repeat(5000));
    /** JSON fragments (already encoded) that break the parser or its limits. */
    private static final List<String> RAW_JSON = List.of(
        "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"", "'single'", "NaN", "Infinity", "-Infinity", "01", "1.", ".5",
        "1e999999999", "-0", "9".repeat(150), "0x1F", "tru", "nul", "[", "{", "\"unterminated", "\"\\x41\"",
        "\"\\q\"", "[1,]", "{\"a\":1,}", "\"a\" \"b\"", "1 2", "//c\n1", "/*c*/1", "\"\t\"");
    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1",
        "application/jsonp", "application/problem+json", "*/*", "application/json;charset=utf-16",
        "APPLICATION/JSON; CHARSET=UTF-8", "application/json; charset=utf-8", "application/json");
    /** Characters that matter to JSON, plus NUL and a control character. */
    private static final String STRUCTURAL = "{}[]\",:\\'0-9 \u0000\u001f";

    private final Random random;

    FuzzCases(long seed) {
        this.random = new Random(seed);
    }

    Case next() {
        int pick = random.nextInt(100);
        if (pick < 45) {
            return exportsBody();
        }
        if (pick < 55) {
            return productBody();
        }
        if (pick < 63) {
            return withBadHeader();
        }
        if (pick < 78) {
            return statusRead();
        }
        if (pick < 88) {
            return productRead();
        }
        if (pick < 94) {
            return oversized();
        }
        return unknownMethod();
    }

    // ------------------------------------------------------------------ POST /exports

    private Case exportsBody() {
        String body = switch (random.nextInt(9)) {
            case 0 -> randomText(random.nextInt(200));
            case 1 -> truncate(validOrder());
            case 2 -> mutate(validOrder());
            case 3 -> hostileOrder();
            case 4 -> wrongTypes();
            case 5 -> deep(17 + random.nextInt(3000));
            case 6 -> duplicateKeys();
            case 7 -> pick(List.of("", " ", "null", "[]", "\"x\"", "123", "true", "{}", "[{}]", "\uFEFF{}"));
            default -> "{\"dataset\":\"product_inventory\",\"parameters\":{\"" + pick(List.of("limit", "warehouse_id",
                "min_quantity", "sku", "is_active", "restocked_since", "category")) + "\":" + pick(RAW_JSON) + "}}";
        };
        return post("exports-body", "/exports", jsonHeaders(), body);
    }

    private String validOrder() {
        return "{\"dataset\":\"product_inventory\",\"parameters\":{\"sku\":\"FLOWER12\",\"warehouse_id\":3,"
            + "\"category\":\"Roses\",\"is_active\":true,\"restocked_since\":\"2026-01-01\",\"limit\":10},"
            + "\"format\":\"parquet\"}";
    }

    private String hostileOrder() {
        String value = json(pick(HOSTILE_TEXT));
        return switch (random.nextInt(5)) {
            case 0 -> "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":" + value + "}}";
            case 1 -> "{\"dataset\":" + value + ",\"parameters\":{}}";
            case 2 -> "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"format\":" + value + "}";
            case 3 -> "{\"dataset\":\"product_inventory\",\"parameters\":{\"category\":" + value + "}}";
            default -> "{\"dataset\":\"product_inventory\",\"parameters\":{" + value + ":1}}";
        };
    }

    private String wrongTypes() {
        String value = pick(List.of("1", "-1", "0", "2147483648", "-9223372036854775809", "1.5", "1e3", "true",
            "null", "[]", "{}", "\"3\"", "\"2026-02-30\"", "\"2026-1-1\"", "\"+99999-01-01\"", "\"roses\"",
            "\"TRUE\"", "[\"FLOWER12\"]", "{\"value\":\"FLOWER12\"}", "1999-01-01"));
        String field = pick(List.of("sku", "warehouse_id", "min_quantity", "limit", "is_active", "restocked_since",
            "category", "colour"));
        return switch (random.nextInt(4)) {
            case 0 -> "{\"dataset\":\"product_inventory\",\"parameters\":{\"" + field + "\":" + value + "}}";
            case 1 -> "{\"dataset\":" + value + ",\"parameters\":{}}";
            case 2 -> "{\"dataset\":\"product_detail\",\"parameters\":" + value + "}";
            default -> "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"format\":" + value + "}";
        };
    }

    private String deep(int depth) {
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":" + open.repeat(depth) + "1"
            + close.repeat(depth) + "}}";
    }

    private String duplicateKeys() {
        return pick(List.of(
            "{\"dataset\":\"product_detail\",\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"}}",
            "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\",\"sku\":\"FLOWER13\"}}",
            "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"parameters\":{}}",
            "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"format\":\"csv\",\"format\":\"parquet\"}"));
    }

    // ------------------------------------------------------------------ POST /product

    private Case productBody() {
        String body = switch (random.nextInt(5)) {
            case 0 -> "{\"sku\":" + json(pick(HOSTILE_TEXT)) + "}";
            case 1 -> "{\"sku\":\"FLOWER13\",\"productname\":" + json(pick(HOSTILE_TEXT)) + "}";
            case 2 -> "{\"sku\":\"FLOWER13\",\"createdate\":" + pick(List.of("\"2026-02-30\"", "\"2026-13-01\"",
                "\"26-01-01\"", "\"2026-01-01T00:00:00Z\"", "20260101", "null1", "\"\"", "\"2026-1-01\"")) + "}";
            case 3 -> mutate("{\"sku\":\"FLOWER13\",\"productname\":\"Flowers - Jasmine\",\"createdate\":\"2026-11-01\"}");
            default -> "{\"sku\":\"FLOWER13\",\"" + pick(List.of("SKU", "Sku", "sku ", "colour", "\u0073ku\u200b"))
                + "\":\"x\"}";
        };
        return post("product-body", "/product", jsonHeaders(), body);
    }

    // ------------------------------------------------------------------ headers

    private Case withBadHeader() {
        Map<String, String> headers = new LinkedHashMap<>();
        String body = "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"}}";
        if (random.nextBoolean()) {
            headers.put("Content-Type", pick(CONTENT_TYPES.subList(0, 9)));
        } else {
            headers.put("Content-Type", "application/json");
            headers.put(pick(List.of("Idempotency-Key", "idempotency-key", "IDEMPOTENCY-KEY")),
                random.nextBoolean() ? "k".repeat(256 + random.nextInt(500)) : "");
        }
        return post("bad-header", random.nextBoolean() ? "/exports" : "/product", headers,
            headers.get("Content-Type").startsWith("application/json") ? body : "{\"sku\":\"FLOWER12\"}");
    }

    private Case oversized() {
        int size = 64 * 1024 + 1 + random.nextInt(100_000);
        String filler = random.nextBoolean() ? "x" : "\u20ac";
        String body = "{\"dataset\":\"" + filler.repeat(size / filler.getBytes(StandardCharsets.UTF_8).length) + "\"}";
        return post("oversized", random.nextBoolean() ? "/exports" : "/product", jsonHeaders(), body);
    }

    // ------------------------------------------------------------------ reads

    private Case statusRead() {
        String id = switch (random.nextInt(6)) {
            case 0 -> randomText(1 + random.nextInt(40));
            case 1 -> "x".repeat(1 + random.nextInt(2000));
            case 2 -> mutate("3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13");
            case 3 -> "3F6C1B5E-8D2A-4C7E-9B1F-2A4D6E8C0B13";
            case 4 -> pick(HOSTILE_TEXT);
            default -> java.util.UUID.randomUUID().toString();
        };
        if (id.isEmpty() || id.indexOf('/') >= 0) {
            id = "x" + id.replace("/", "_");
        }
        String path = "/exports/" + encodeSegment(id) + (random.nextBoolean() ? "/history" : "");
        return new Case("status-read", "GET", path, Map.of(), null);
    }

    private Case productRead() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (random.nextInt(5) > 0) {
            headers.put(pick(List.of("requestid", "RequestId", "REQUESTID")), headerSafe(switch (random.nextInt(3)) {
                case 0 -> java.util.UUID.randomUUID().toString();
                case 1 -> "x".repeat(1 + random.nextInt(3000));
                default -> asciiText(1 + random.nextInt(60));
            }));
        }
        if (random.nextBoolean()) {
            headers.put(pick(List.of("type", "Type", "TYPE")), headerSafe(pick(List.of("latest", "all", "ALL", "newest",
                "", "latest,all", "x".repeat(5000), asciiText(20)))));
        }
        return new Case("product-read", "GET", "/product", headers, null);
    }

    private Case unknownMethod() {
        return new Case("unknown-method", pick(List.of("PUT", "DELETE", "PATCH")),
            pick(List.of("/exports", "/product", "/exports/" + java.util.UUID.randomUUID(), "/datasets")),
            jsonHeaders(), "{}".getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ helpers

    private Case post(String kind, String path, Map<String, String> headers, String body) {
        return new Case(kind, "POST", path, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, String> jsonHeaders() {
        return Map.of("Content-Type", pick(List.of("application/json", "application/json; charset=utf-8",
            "Application/Json")));
    }

    private String truncate(String text) {
        return text.substring(0, random.nextInt(text.length()));
    }

    /** One to five random edits: insert, delete or replace a character. */
    private String mutate(String text) {
        StringBuilder out = new StringBuilder(text);
        for (int edits = 1 + random.nextInt(5); edits > 0 && out.length() > 0; edits--) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(3)) {
                case 0 -> out.insert(at, randomChar());
                case 1 -> out.deleteCharAt(at);
                default -> out.setCharAt(at, randomChar());
            }
        }
        return out.toString();
    }

    private char randomChar() {
        return switch (random.nextInt(4)) {
            case 0 -> STRUCTURAL.charAt(random.nextInt(STRUCTURAL.length()));
            case 1 -> (char) (0x20 + random.nextInt(0x5f));
            case 2 -> (char) random.nextInt(0x20);
            default -> (char) random.nextInt(0x10000); // surrogates and all
        };
    }

    private String randomText(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(randomChar());
        }
        return out.toString();
    }

    /** Printable ASCII only: what an HTTP header value can carry (java.net.http refuses control characters). */
    private String asciiText(int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return out.toString();
    }

    private static String headerSafe(String value) {
        return value.trim().replaceAll("\\s+", " ");
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A JSON string literal of the text (control characters escaped, lone surrogates as \\u escapes). */
    static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Percent-encodes everything but unreserved characters, so the gateway decodes exactly the text. */
    static String encodeSegment(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    static List<Case> generate(long seed, int count) {
        FuzzCases cases = new FuzzCases(seed);
        List<Case> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            all.add(cases.next());
        }
        return all;
    }
}
