package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.localaws.LocalAws;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The product as a partner meets it: {@code java -jar local-runtime/target/local-runtime.jar} running the real
 * template.yaml and the four function jars in its own process, called over HTTP with SigV4 signatures from curl and
 * from the AWS SDK's signer. One runtime serves the whole class (the tests leave nothing in flight for the next);
 * the last test kills it with SIGKILL mid-request and starts it again on the same data directory.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalRuntimeEndToEndIT {
    private static final Path TEMPLATE = Path.of(System.getProperty("e2e.template", "../template.yaml"))
        .toAbsolutePath().normalize();
    private static final Path RUNTIME_JAR = Path.of(System.getProperty("e2e.runtimeJar", "target/local-runtime.jar"))
        .toAbsolutePath().normalize();
    /** For the emulators behind the runtime (the test reads the control table and the queue directly). */
    private static final StaticCredentialsProvider LOCAL_AWS = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(LocalAws.ACCESS_KEY, LocalAws.SECRET_KEY));

    @TempDir
    static Path dir;
    private static Path dataDir;
    private static int port;
    private static RuntimeProcess runtime;
    private static int starts;

    private static SignedApi curlA;
    private static SignedApi sdkA;
    private static SignedApi sdkB;

    @BeforeAll
    static void startRuntime() throws IOException {
        dataDir = dir.resolve("data");
        port = freePort();
        runtime = startAndAwaitReady();
        curlA = new CurlSignedApi(runtime.api(), Partner.A);
        sdkA = new SdkSignedApi(runtime.api(), Partner.A);
        sdkB = new SdkSignedApi(runtime.api(), Partner.B);
    }

    @AfterAll
    static void stopRuntime() throws InterruptedException {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static RuntimeProcess startAndAwaitReady() throws IOException {
        starts++;
        RuntimeProcess started = RuntimeProcess.start(RUNTIME_JAR, TEMPLATE, dataDir, port,
            dir.resolve("runtime-" + starts + ".log"));
        long millis = started.awaitReady();
        System.out.println("E2E figure: start-to-ready " + millis + " ms (start " + starts + ", "
            + (starts == 1 ? "empty data dir" : "same data dir after kill -9") + ")");
        return started;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    // ---------------------------------------------------------------- authentication

    @Test
    @Order(1)
    void rejectedCallsGetApiGatewaysAnswersAndWriteNothing() {
        try (DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.US_EAST_1)
                 .endpointOverride(URI.create(runtime.printed("AWS_ENDPOINT_URL_DYNAMODB")))
                 .credentialsProvider(LOCAL_AWS).httpClient(UrlConnectionHttpClient.create()).build();
             SqsClient sqs = SqsClient.builder().region(Region.US_EAST_1)
                 .endpointOverride(URI.create(runtime.printed("AWS_ENDPOINT_URL_SQS")))
                 .credentialsProvider(LOCAL_AWS).httpClient(UrlConnectionHttpClient.create()).build()) {
            String table = runtime.printed("ControlTableName");
            String queueUrl = runtime.printed("ExportQueueUrl");
            Supplier<Integer> controlItems = () -> dynamo.scan(r -> r.tableName(table).select(Select.COUNT)
                .consistentRead(true)).count();
            int itemsBefore = controlItems.get();
            int emailsBefore = outbox().size();

            HttpReply unsigned = PlainHttp.postJson(runtime.api().resolve("/exports"), ExportFlow.FLOWER12_CSV);
            assertRejected(unsigned, "MissingAuthenticationTokenException", "Missing Authentication Token");

            HttpReply wrongSecret = new CurlSignedApi(runtime.api(), Partner.A.withSecret("not-the-secret"))
                .postJson("/exports", ExportFlow.FLOWER12_CSV);
            assertRejected(wrongSecret, "InvalidSignatureException", "The request signature we calculated does not "
                + "match the signature you provided. Check your AWS Secret Access Key and signing method. Consult "
                + "the service documentation for details.");

            HttpReply unknownKey = new CurlSignedApi(runtime.api(), new Partner("AKIDNOBODY", "whatever"))
                .postJson("/exports", ExportFlow.FLOWER12_CSV);
            assertRejected(unknownKey, "UnrecognizedClientException",
                "The security token included in the request is invalid.");

            Clock tenMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
            HttpReply stale = new SdkSignedApi(runtime.api(), Partner.A, tenMinutesAgo)
                .postJson("/exports", ExportFlow.FLOWER12_CSV);
            assertEquals(403, stale.status(), stale::toString);
            assertEquals("InvalidSignatureException", stale.header("x-amzn-ErrorType").orElse(null));
            String message = stale.json().path("message").asText();
            assertTrue(message.matches("Signature expired: \\d{8}T\\d{6}Z is now earlier than \\d{8}T\\d{6}Z "
                + "\\(\\d{8}T\\d{6}Z - 5 min\\.\\)"), message);

            // also the reads: nothing reaches a function without a valid signature
            assertRejected(PlainHttp.get(runtime.api().resolve("/exports/" + UUID.randomUUID())),
                "MissingAuthenticationTokenException", "Missing Authentication Token");

            assertEquals(itemsBefore, controlItems.get(), "control table items after the rejected calls");
            Map<QueueAttributeName, String> queue = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            assertEquals("0", queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES), queue::toString);
            assertEquals("0", queue.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
                queue::toString);
            assertEquals(emailsBefore, outbox().size(), "e-mails after the rejected calls");
        }
    }

    private static void assertRejected(HttpReply reply, String errorType, String message) {
        assertEquals(403, reply.status(), reply::toString);
        assertEquals(errorType, reply.header("x-amzn-ErrorType").orElse(null), reply::toString);
        assertEquals(message, reply.json().path("message").asText(), reply::toString);
        assertEquals(1, reply.json().size(), () -> "API Gateway's body has only a message: " + reply);
    }

    // ---------------------------------------------------------------- the export

    @Test
    @Order(2)
    void csvExportFromSignedRequestToDownloadedZip() {
        Instant posted = Instant.now();
        String id = ExportFlow.submit(curlA, ExportFlow.FLOWER12_CSV);

        // the SDK-signed client follows it, curl reads the history
        JsonNode status = ExportFlow.awaitSucceeded(sdkA, id);
        JsonNode result = status.path("result");
        assertEquals("csv", result.path("format").asText(), status::toPrettyString);
        assertEquals(1, result.path("parts").asInt(), status::toPrettyString);

        HttpReply history = curlA.get("/exports/" + id + "/history");
        assertEquals(200, history.status(), history::toString);
        ExportFlow.assertSuccessHistory(history.json());

        JsonNode email = awaitOnlyEmailFor(id);
        Instant sentAt = Instant.parse(email.path("sentAt").asText());
        System.out.println("E2E figure: signed POST to e-mail " + Duration.between(posted, sentAt).toMillis()
            + " ms (FLOWER12 csv, separate process)");

        String link = ExportFlow.downloadLink(email.path("text").asText());
        assertEquals(result.path("downloadUrl").asText(), link, "the e-mailed link is the one the status shows");
        assertTrue(link.startsWith(runtime.api() + "/v1/links/"), () -> "a durable link to the local API: " + link);
        // what a browser does: no signature, one redirect to a freshly presigned S3 URL
        String[] codeAndLocation = curlStatusAndRedirect(link).split(" ", 2);
        assertEquals("302", codeAndLocation[0], () -> String.join(" ", codeAndLocation));
        assertTrue(codeAndLocation[1].contains("X-Amz-Signature=") && codeAndLocation[1].contains(id + ".zip"),
            () -> "redirected to the presigned archive: " + codeAndLocation[1]);
        Map<String, byte[]> entries = ExportFlow.unzip(PlainHttp.download(URI.create(link)));
        assertEquals(1, entries.size(), () -> entries.keySet().toString());
        List<String> lines = ExportFlow.lines(entries.values().iterator().next());
        assertEquals(ExportFlow.FLOWER12_LINES, lines);
        assertEquals(lines.size() - 1, result.path("rows").asLong(), () -> "rows the partner is told about: "
            + status.toPrettyString());

        // the owner's signed route: a redirect to the same archive
        HttpReply download = curlA.get("/exports/" + id + "/download");
        assertEquals(302, download.status(), download::toString);
        String location = download.header("Location").orElseThrow();
        assertTrue(location.contains("response-content-disposition=attachment"), location);
        assertEquals(ExportFlow.FLOWER12_LINES, ExportFlow.lines(ExportFlow.unzip(PlainHttp.download(
            URI.create(location))).values().iterator().next()));
    }

    /** {@code curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' <url>}: unsigned, redirects not followed. */
    private static String curlStatusAndRedirect(String url) {
        try {
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "30", "-o", "/dev/null", "-w",
                "%{http_code} %{redirect_url}", url).redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && curl.exitValue() == 0, out);
            return out.trim();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(3)
    void seedProductRoutes() {
        HttpReply accepted = sdkA.postJson("/product",
            "{\"sku\":\"FLOWER13\",\"productname\":\"Flowers - Jasmine\",\"createdate\":\"2026-11-21\"}");
        assertEquals(202, accepted.status(), accepted::toString);
        String id = accepted.json().path("RequestId").asText();
        assertTrue(!id.isEmpty(), accepted::toString);

        HttpReply latest = curlA.get("/product", Map.of("requestid", id, "type", "latest"));
        assertEquals(200, latest.status(), latest::toString);
        assertEquals(id, latest.json().path("RequestId").asText(), latest::toString);
        assertTrue(ExportFlow.SUCCESS_PATH.contains(latest.json().path("status").asText()), latest::toString);

        HttpReply done = ExportFlow.await("request " + id + " to succeed", ExportFlow.FINISH_TIMEOUT,
            () -> sdkA.get("/product", Map.of("requestid", id, "type", "latest")),
            reply -> reply.status() != 200 || !List.of("RECEIVED", "QUEUED", "SUBMITTED", "RUNNING", "PACKAGING")
                .contains(reply.json().path("status").asText()));
        assertEquals(200, done.status(), done::toString);
        assertEquals("SUCCEEDED", done.json().path("status").asText(), done::toString);
        assertEquals("product_detail", done.json().path("dataset").asText(), done::toString);
        assertEquals("csv", done.json().path("format").asText(), done::toString);

        HttpReply all = sdkA.get("/product", Map.of("requestid", id, "type", "all"));
        assertEquals(200, all.status(), all::toString);
        assertEquals(id, all.json().path("RequestId").asText(), all::toString);
        ExportFlow.assertSuccessHistory(all.json());
        String received = all.json().path("events").get(0).path("detail").asText();
        assertTrue(received.contains("Flowers - Jasmine") && received.contains("2026-11-21"),
            () -> "the RECEIVED event keeps the product's name and date: " + all);
        // the same history as the export route gives
        assertEquals(all.json().path("events"), sdkA.get("/exports/" + id + "/history").json().path("events"));

        JsonNode email = awaitOnlyEmailFor(id);
        Map<String, byte[]> entries = ExportFlow.unzip(PlainHttp.download(URI.create(
            ExportFlow.downloadLink(email.path("text").asText()))));
        assertEquals(List.of(ExportFlow.FLOWER12_LINES.get(0), "FLOWER13,12346,Flowers - Jasmine,Flowers-Jasmine"),
            ExportFlow.lines(entries.values().iterator().next()));
    }

    // ---------------------------------------------------------------- isolation

    @Test
    @Order(4)
    void partnersSeeOnlyTheirOwnRequests() {
        String id = ExportFlow.submit(sdkA, "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER14\"}}");
        ExportFlow.awaitSucceeded(sdkA, id);
        String unknown = UUID.randomUUID().toString();

        for (String path : List.of("/exports/%s", "/exports/%s/history")) {
            HttpReply others = sdkB.get(path.formatted(id));
            HttpReply missing = sdkB.get(path.formatted(unknown));
            assertEquals(404, others.status(), others::toString);
            assertEquals(404, missing.status(), missing::toString);
            assertEquals("not_found", others.json().path("error").asText(), others::toString);
            assertEquals(missing.body(), others.body().replace(id, unknown),
                "another partner's request answers exactly like a missing one");
            assertEquals(missing.header("Content-Type"), others.header("Content-Type"));
            assertEquals(200, sdkA.get(path.formatted(id)).status(), "the owner still sees it");
        }
        for (String type : List.of("latest", "all")) {
            HttpReply others = sdkB.get("/product", Map.of("requestid", id, "type", type));
            HttpReply missing = sdkB.get("/product", Map.of("requestid", unknown, "type", type));
            assertEquals(404, others.status(), others::toString);
            assertEquals(missing.body(), others.body().replace(id, unknown));
        }

        // the download route: a redirect for the owner, the status route's 404 for partner-b
        HttpReply othersDownload = sdkB.get("/exports/" + id + "/download");
        assertEquals(404, othersDownload.status(), othersDownload::toString);
        assertEquals(sdkB.get("/exports/" + id).body(), othersDownload.body());
        assertEquals(sdkB.get("/exports/" + unknown + "/download").body(), othersDownload.body().replace(id, unknown));
        assertEquals(302, sdkA.get("/exports/" + id + "/download").status());
    }

    // ---------------------------------------------------------------- crash

    @Test
    @Order(5)
    void killMinusNineRightAfterTheAnswerLosesNothing() throws Exception {
        String id = ExportFlow.submit(curlA, ExportFlow.FLOWER12_CSV);
        runtime.kill();

        runtime = startAndAwaitReady();
        assertTrue(runtime.output().stream().noneMatch(line -> line.startsWith("created ")),
            () -> "the restart re-created resources:\n" + runtime.tail(80));
        SignedApi api = new SdkSignedApi(runtime.api(), Partner.A);
        JsonNode status = ExportFlow.awaitSucceeded(api, id);
        ExportFlow.assertSuccessHistory(api.get("/exports/" + id + "/history").json());

        JsonNode email = awaitOnlyEmailFor(id);
        // a few more poller sweeps: still exactly one
        ExportFlow.sleep(Duration.ofSeconds(3));
        assertEquals(1, emailsFor(id).size(), () -> "e-mails for " + id + ": " + emailsFor(id));
        String link = ExportFlow.downloadLink(email.path("text").asText());
        assertEquals(status.path("result").path("downloadUrl").asText(), link);
        Map<String, byte[]> entries = ExportFlow.unzip(PlainHttp.download(URI.create(link)));
        assertEquals(ExportFlow.FLOWER12_LINES, ExportFlow.lines(entries.values().iterator().next()));
    }

    // ---------------------------------------------------------------- outbox

    private static List<JsonNode> outbox() {
        HttpReply reply = PlainHttp.get(runtime.api().resolve("/_local/outbox"));
        assertEquals(200, reply.status(), reply::toString);
        List<JsonNode> messages = new ArrayList<>();
        reply.json().forEach(messages::add);
        return messages;
    }

    private static List<JsonNode> emailsFor(String requestId) {
        return outbox().stream().filter(m -> m.path("subject").asText().contains(requestId)).toList();
    }

    private static JsonNode awaitOnlyEmailFor(String requestId) {
        List<JsonNode> emails = ExportFlow.await("the e-mail for " + requestId, Duration.ofSeconds(60),
            () -> emailsFor(requestId), list -> !list.isEmpty());
        assertEquals(1, emails.size(), () -> "e-mails for " + requestId + ": " + emails);
        JsonNode email = emails.get(0);
        assertNotEquals("", email.path("text").asText(), email::toPrettyString);
        return email;
    }
}
