package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API features of template.yaml through {@code java -jar local-runtime.jar} in its own process, started as the
 * README shows with {@code --parameter-overrides ApiKeyRequired=true ApiAccessLogging=true CorsAllowOrigin=...}:
 * partner API keys (missing, wrong, right; one given as a parameter, one generated and read from the banner),
 * the usage plan's throttle, CORS preflights and headers, the requestid validation of GET /product, and the JSON
 * access log line. Calls are signed by curl and by the AWS SDK.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiFeaturesEndToEndIT {
    private static final Path TEMPLATE = Path.of(System.getProperty("e2e.template", "../template.yaml"))
        .toAbsolutePath().normalize();
    private static final Path RUNTIME_JAR = Path.of(System.getProperty("e2e.runtimeJar", "target/local-runtime.jar"))
        .toAbsolutePath().normalize();
    private static final String PORTAL = "https://portal.example.com";
    private static final String PARTNER_A_KEY = "PartnerAKeyForTheEndToEndTest0001";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static RuntimeProcess runtime;
    private static String partnerBKey;

    @BeforeAll
    static void startRuntime() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        runtime = RuntimeProcess.start(RUNTIME_JAR, TEMPLATE, dir.resolve("data"), port, dir.resolve("runtime.log"),
            List.of("--parameter-overrides", "ApiKeyRequired=true", "ApiAccessLogging=true",
                "CorsAllowOrigin=" + PORTAL, "PartnerAApiKeyValue=" + PARTNER_A_KEY));
        System.out.println("E2E figure: start-to-ready with API keys " + runtime.awaitReady() + " ms");
        partnerBKey = bannerKey("warehouse-export-partner-b");
    }

    @AfterAll
    static void stopRuntime() throws InterruptedException {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** The value the banner prints for a key: "    <name>   <value>  (...)". */
    private static String bannerKey(String name) {
        for (String line : runtime.output()) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals(name)) {
                return words[1];
            }
        }
        throw new AssertionError("the banner shows no key " + name + ":\n" + runtime.tail(80));
    }

    private static SignedApi curlA() {
        return new CurlSignedApi(runtime.api(), Partner.A);
    }

    private static SignedApi sdkA() {
        return new SdkSignedApi(runtime.api(), Partner.A);
    }

    private static void assertForbidden(HttpReply reply) {
        assertEquals(403, reply.status(), reply.toString());
        assertEquals("{\"message\":\"Forbidden\"}", reply.body());
        assertEquals(PORTAL, reply.header("Access-Control-Allow-Origin").orElse(null), "DEFAULT_4XX's header");
    }

    @Test
    void theBannerShowsTheKeysThePlanAndTheAccessLog() {
        String banner = String.join("\n", runtime.output());
        assertEquals(PARTNER_A_KEY, bannerKey("warehouse-export-partner-a"));
        assertEquals(40, partnerBKey.length());
        assertTrue(banner.contains("usage plan warehouse-export-partners: 10 requests/s, burst 20, quota 10000 per DAY"),
            banner);
        assertTrue(banner.contains("Access log (ExportApi): "), banner);
        assertTrue(banner.contains("AWS_IAM + x-api-key"), banner);
    }

    @Test
    void aMissingOrWrongKeyIsForbiddenAndTheRightOneIsServedWithCorsHeaders() {
        assertForbidden(sdkA().get("/datasets"));
        assertForbidden(curlA().get("/datasets"));
        assertForbidden(curlA().get("/datasets", Map.of("x-api-key", "NotAKeyOfThisApi000000000")));
        assertForbidden(sdkA().get("/datasets", Map.of("x-api-key", PARTNER_A_KEY + "x")));

        HttpReply curl = curlA().get("/datasets", Map.of("x-api-key", PARTNER_A_KEY));
        assertEquals(200, curl.status(), curl.toString());
        assertEquals(PORTAL, curl.header("Access-Control-Allow-Origin").orElse(null), "added by the function");
        assertEquals("Origin", curl.header("Vary").orElse(null));
        // partner B's key works with partner A's signature too: as on AWS, keys meter usage and IAM identifies
        HttpReply sdk = sdkA().get("/datasets", Map.of("x-api-key", partnerBKey));
        assertEquals(200, sdk.status(), sdk.toString());
        assertEquals(PORTAL, sdk.header("Access-Control-Allow-Origin").orElse(null));

        // the key is checked after the signature
        HttpReply unsigned = PlainHttp.send(HttpRequest.newBuilder(runtime.api().resolve("/datasets"))
            .header("x-api-key", PARTNER_A_KEY).GET().build());
        assertEquals(403, unsigned.status());
        assertEquals("{\"message\":\"Missing Authentication Token\"}", unsigned.body());
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it empties partner B's bucket
    void aKeyOverItsBurstGetsTooManyRequestsWhileAnotherKeyIsServed() throws Exception {
        // GET /product without requestid: the throttle counts it before validation answers 400, so no function
        // runs and the bucket (burst 20, 10 per second) empties far faster than it refills
        int calls = 80;
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<HttpReply>> replies = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                replies.add(CompletableFuture.supplyAsync(() -> new SdkSignedApi(runtime.api(), Partner.B)
                    .get("/product", Map.of("x-api-key", partnerBKey)), pool));
            }
            int throttled = 0;
            int validated = 0;
            for (CompletableFuture<HttpReply> future : replies) {
                HttpReply reply = future.get();
                if (reply.status() == 429) {
                    assertEquals("{\"message\":\"Too Many Requests\"}", reply.body());
                    assertEquals(PORTAL, reply.header("Access-Control-Allow-Origin").orElse(null));
                    throttled++;
                } else {
                    assertEquals(400, reply.status(), reply.toString());
                    validated++;
                }
            }
            System.out.println("E2E figure: " + calls + " parallel calls on one key: " + validated + " passed the "
                + "throttle, " + throttled + " got 429");
            assertTrue(throttled > 0, "some calls over the burst of 20 are throttled");
            assertTrue(validated >= 20, "the burst passes");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(200, sdkA().get("/datasets", Map.of("x-api-key", PARTNER_A_KEY)).status(),
            "partner A's key has its own bucket");
    }

    @Test
    void preflightsNeedNoSignatureNorKey() {
        HttpReply exports = PlainHttp.send(HttpRequest.newBuilder(runtime.api().resolve("/exports"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", PORTAL)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "authorization,x-amz-date,x-api-key,content-type").build());
        assertEquals(200, exports.status(), exports.toString());
        assertEquals(PORTAL, exports.header("Access-Control-Allow-Origin").orElse(null));
        assertEquals("OPTIONS,POST", exports.header("Access-Control-Allow-Methods").orElse(null));
        String allowed = exports.header("Access-Control-Allow-Headers").orElse("");
        for (String header : List.of("Authorization", "X-Amz-Date", "X-Api-Key", "Content-Type", "requestid")) {
            assertTrue(allowed.contains(header), header + " in " + allowed);
        }
        assertEquals("600", exports.header("Access-Control-Max-Age").orElse(null));

        HttpReply status = PlainHttp.send(HttpRequest.newBuilder(runtime.api().resolve("/v1/exports/some-id/history"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", PORTAL).build());
        assertEquals(200, status.status());
        assertEquals("GET,OPTIONS", status.header("Access-Control-Allow-Methods").orElse(null));
    }

    @Test
    void getProductWithoutRequestidIsRefusedByTheGateway() {
        HttpReply missing = curlA().get("/product", Map.of("x-api-key", PARTNER_A_KEY));
        assertEquals(400, missing.status());
        // The template's BAD_REQUEST_PARAMETERS response keeps the API's own error shape.
        assertEquals("{\"error\": \"missing_header\", \"message\": \"Missing required request parameters: [requestid]\"}",
            missing.body());
        assertEquals(PORTAL, missing.header("Access-Control-Allow-Origin").orElse(null));

        HttpReply present = sdkA().get("/product", Map.of("x-api-key", PARTNER_A_KEY, "requestid",
            "00000000-0000-4000-8000-000000000000"));
        assertNotEquals(400, present.status(), "the function answers: " + present);
        assertTrue(present.json().has("error"), "the function's own error body: " + present);
    }

    @Test
    void eachCallWritesOneJsonAccessLogLine() throws Exception {
        HttpReply ok = sdkA().get("/datasets", Map.of("x-api-key", PARTNER_A_KEY, "User-Agent", "e2e \"agent\""));
        HttpReply forbidden = sdkA().get("/datasets");
        Path file = dir.resolve("data").resolve("logs").resolve("ExportApi-access.log");
        assertTrue(Files.exists(file), "the banner's access log file " + file);
        List<String> lines = Files.readAllLines(file);

        JsonNode served = line(lines, ok.header("x-amzn-RequestId").orElseThrow());
        assertEquals("127.0.0.1", served.path("ip").asText());
        assertEquals("arn:aws:iam::000000000000:user/partner-a", served.path("caller").asText());
        assertEquals("GET", served.path("httpMethod").asText());
        assertEquals("/datasets", served.path("resourcePath").asText());
        assertEquals("200", served.path("status").asText());
        assertEquals(Integer.toString(ok.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
            served.path("responseLength").asText());
        assertEquals(runtime.printed("PartnerAApiKeyId"), served.path("apiKeyId").asText());
        assertEquals("-", served.path("errorType").asText());
        assertTrue(served.path("latencyMs").asInt(-1) >= 0);
        assertTrue(served.path("requestTime").asText().matches("\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000"),
            served.path("requestTime").asText());

        JsonNode refused = line(lines, forbidden.header("x-amzn-RequestId").orElseThrow());
        assertEquals("403", refused.path("status").asText());
        assertEquals("INVALID_API_KEY", refused.path("errorType").asText());
        assertEquals("-", refused.path("apiKeyId").asText());
    }

    private static JsonNode line(List<String> lines, String requestId) throws IOException {
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            if (node.path("requestId").asText().equals(requestId)) {
                return node;
            }
        }
        throw new AssertionError("no access log line for request " + requestId + " in " + lines);
    }
}
