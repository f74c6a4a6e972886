package com.warehouseexport.localruntime.apigateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localruntime.TestFunctionJar;
import com.warehouseexport.localruntime.lambda.LambdaFunction;
import com.warehouseexport.localruntime.outbox.OutboxEntry;
import com.warehouseexport.localruntime.template.SamTemplate;
import com.warehouseexport.localruntime.template.TemplateOptions;
import com.warehouseexport.localruntime.template.TemplateReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

class LocalApiGatewayTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static final List<OutboxEntry> OUTBOX = new ArrayList<>();
    private static LocalApiGateway gateway;
    private static List<LambdaFunction> functions;
    private static SamTemplate template;

    @BeforeAll
    static void start() throws Exception {
        Path fixture = Path.of(LocalApiGatewayTest.class.getResource("/templates/gateway.yaml").toURI());
        template = new TemplateReader().read(fixture, TemplateOptions.defaults(
            Map.of("FunctionJar", TestFunctionJar.get().toString())));
        Map<String, LambdaFunction> byId = new LinkedHashMap<>();
        for (SamTemplate.Function f : template.functions()) {
            byId.put(f.logicalId(), new LambdaFunction(f, Map.of("AWS_REGION", "us-east-1"), System.out));
        }
        functions = List.copyOf(byId.values());
        SigV4Verifier verifier = new SigV4Verifier(Principals.defaults(), "us-east-1",
            Clock.fixed(NOW, ZoneOffset.UTC));
        gateway = LocalApiGateway.start(0, RouteTable.fromTemplate(template, byId), verifier, () -> OUTBOX,
            Clock.systemUTC(), System.out);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        functions.forEach(LambdaFunction::close);
    }

    // ---------------------------------------------------------------- helpers

    private static HttpResponse<String> send(String method, String pathAndQuery, String body, Map<String, String> headers,
                                             String accessKey, String secret, Instant signedAt) throws Exception {
        URI uri = URI.create(gateway.endpoint() + pathAndQuery);
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        headers.forEach(request::header);
        if (accessKey != null) {
            SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method));
            headers.forEach(unsigned::putHeader);
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKey, secret))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
            signed.request().forEachHeader((name, values) -> {
                if (!name.equalsIgnoreCase("Host") && !headers.containsKey(name)) {
                    values.forEach(v -> request.header(name, v));
                }
            });
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> signedByPartnerA(String method, String pathAndQuery, String body,
                                                         Map<String, String> headers) throws Exception {
        return send(method, pathAndQuery, body, headers, "AKIDPARTNERA", "partner-a-secret", NOW);
    }

    private static Map<String, String> lines(String body) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    // ---------------------------------------------------------------- IAM auth

    @Test
    void signedCallReachesTheHandlerWithTheProxyEventAndTheCallersIdentity() throws Exception {
        HttpResponse<String> response = signedByPartnerA("GET", "/exports/abc-123?x=1&x=2&y=a%20b", null,
            Map.of("X-Custom", "custom value", "User-Agent", "partner-client/1.0"));
        assertEquals(200, response.statusCode(), response.body());
        Map<String, String> event = lines(response.body());
        assertEquals("/exports/{id}", event.get("resource"));
        assertEquals("/exports/abc-123", event.get("path"));
        assertEquals("GET", event.get("httpMethod"));
        assertEquals("{id=abc-123}", event.get("pathParameters"));
        assertEquals("{x=2, y=a b}", event.get("queryStringParameters"));
        assertEquals("{x=[1, 2], y=[a b]}", event.get("multiValueQueryStringParameters"));
        assertEquals("custom value", event.get("header.x-custom"));
        assertEquals("null", event.get("body"));
        assertEquals("false", event.get("isBase64Encoded"));
        assertEquals("/exports/{id}", event.get("rc.resourcePath"));
        assertEquals("GET", event.get("rc.httpMethod"));
        assertEquals("Prod", event.get("rc.stage"));
        assertEquals("/Prod/exports/abc-123", event.get("rc.path"));
        assertEquals(template.api("ServerlessRestApi").orElseThrow().restApiId(), event.get("rc.apiId"));
        assertEquals("000000000000", event.get("rc.accountId"));
        assertEquals(36, event.get("rc.requestId").length());
        assertTrue(Long.parseLong(event.get("rc.requestTimeEpoch")) > 0);
        assertEquals("127.0.0.1:" + gateway.port(), event.get("rc.domainName"));
        assertEquals("AKIDPARTNERA", event.get("id.accessKey"));
        assertEquals("AIDAPARTNERA000000001", event.get("id.caller"));
        assertEquals("AIDAPARTNERA000000001", event.get("id.user"));
        assertEquals("arn:aws:iam::000000000000:user/partner-a", event.get("id.userArn"));
        assertEquals("000000000000", event.get("id.accountId"));
        assertEquals("127.0.0.1", event.get("id.sourceIp"));
        assertEquals("partner-client/1.0", event.get("id.userAgent"));
        assertEquals("text/plain", response.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("api", response.headers().firstValue("X-Handler").orElseThrow());
        assertEquals(List.of("one", "two"), response.headers().allValues("X-Multi"));
        assertTrue(response.headers().firstValue("x-amzn-RequestId").isPresent());
    }

    @Test
    void signedPostWithBody() throws Exception {
        HttpResponse<String> response = signedByPartnerA("POST", "/created", "{\"dataset\":\"inventory\"}",
            Map.of("Content-Type", "application/json"));
        assertEquals(201, response.statusCode(), response.body());
        assertEquals("{\"dataset\":\"inventory\"}", lines(response.body()).get("body"));
    }

    @Test
    void partnerBIsAnotherIdentity() throws Exception {
        HttpResponse<String> response = send("GET", "/exports/x", null, Map.of(), "AKIDPARTNERB", "partner-b-secret",
            NOW);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("arn:aws:iam::000000000000:user/partner-b", lines(response.body()).get("id.userArn"));
    }

    @Test
    void unsignedCallIsMissingAuthenticationToken() throws Exception {
        HttpResponse<String> response = send("GET", "/exports/abc", null, Map.of(), null, null, NOW);
        assertEquals(403, response.statusCode());
        assertEquals("{\"message\":\"Missing Authentication Token\"}", response.body());
        assertEquals("MissingAuthenticationTokenException",
            response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
    }

    @Test
    void wrongSecretIsASignatureMismatch() throws Exception {
        HttpResponse<String> response = send("GET", "/exports/abc", null, Map.of(), "AKIDPARTNERA", "not-the-secret",
            NOW);
        assertEquals(403, response.statusCode());
        assertEquals("{\"message\":\"The request signature we calculated does not match the signature you provided. "
            + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\"}",
            response.body());
        assertEquals("InvalidSignatureException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
    }

    @Test
    void tamperedRequestIsASignatureMismatch() throws Exception {
        // signed for one path, sent to another: sign a request and replay its headers elsewhere
        HttpResponse<String> response = send("GET", "/exports/abc", null, Map.of(), "AKIDPARTNERA",
            "partner-a-secret", NOW);
        assertEquals(200, response.statusCode());
        URI other = URI.create(gateway.endpoint() + "/exports/other");
        SdkHttpRequest unsigned = SdkHttpRequest.builder().uri(URI.create(gateway.endpoint() + "/exports/abc"))
            .method(SdkHttpMethod.GET).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
            .identity(AwsCredentialsIdentity.create("AKIDPARTNERA", "partner-a-secret")).request(unsigned)
            .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
            .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));
        HttpRequest.Builder replay = HttpRequest.newBuilder(other);
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(v -> replay.header(name, v));
            }
        });
        HttpResponse<String> replayed = HTTP.send(replay.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, replayed.statusCode());
        assertTrue(replayed.body().contains("The request signature we calculated does not match"));
    }

    @Test
    void skewedDateIsAnExpiredSignature() throws Exception {
        Instant tenMinutesAgo = NOW.minus(Duration.ofMinutes(10));
        HttpResponse<String> response = send("GET", "/exports/abc", null, Map.of(), "AKIDPARTNERA",
            "partner-a-secret", tenMinutesAgo);
        assertEquals(403, response.statusCode());
        assertEquals("{\"message\":\"Signature expired: " + AMZ.format(tenMinutesAgo) + " is now earlier than "
            + AMZ.format(NOW.minus(Duration.ofMinutes(5))) + " (" + AMZ.format(NOW) + " - 5 min.)\"}", response.body());

        Instant inTheFuture = NOW.plus(Duration.ofMinutes(7));
        HttpResponse<String> future = send("GET", "/exports/abc", null, Map.of(), "AKIDPARTNERA",
            "partner-a-secret", inTheFuture);
        assertEquals(403, future.statusCode());
        assertEquals("{\"message\":\"Signature not yet current: " + AMZ.format(inTheFuture) + " is still later than "
            + AMZ.format(NOW.plus(Duration.ofMinutes(5))) + " (" + AMZ.format(NOW) + " + 5 min.)\"}", future.body());

        HttpResponse<String> slightlyOff = send("GET", "/exports/abc", null, Map.of(), "AKIDPARTNERA",
            "partner-a-secret", NOW.minus(Duration.ofMinutes(4)));
        assertEquals(200, slightlyOff.statusCode(), "within 5 minutes is fine");
    }

    @Test
    void unknownAccessKeyIsAnInvalidToken() throws Exception {
        HttpResponse<String> response = send("GET", "/exports/abc", null, Map.of(), "AKIDNOBODY", "whatever", NOW);
        assertEquals(403, response.statusCode());
        assertEquals("{\"message\":\"The security token included in the request is invalid.\"}", response.body());
        assertEquals("UnrecognizedClientException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
    }

    // ---------------------------------------------------------------- routing and integration

    @Test
    void unknownRouteOrMethodIsMissingAuthenticationTokenEvenWhenSigned() throws Exception {
        HttpResponse<String> unknown = signedByPartnerA("GET", "/nothing/here", null, Map.of());
        assertEquals(403, unknown.statusCode());
        assertEquals("{\"message\":\"Missing Authentication Token\"}", unknown.body());
        HttpResponse<String> wrongMethod = signedByPartnerA("DELETE", "/exports/abc", null, Map.of());
        assertEquals(403, wrongMethod.statusCode());
        assertEquals("{\"message\":\"Missing Authentication Token\"}", wrongMethod.body());
    }

    @Test
    void literalSegmentsWinOverParametersAndProxyTakesTheRest() throws Exception {
        assertEquals("/exports/datasets", lines(signedByPartnerA("GET", "/exports/datasets", null, Map.of()).body())
            .get("resource"));
        Map<String, String> history = lines(signedByPartnerA("GET", "/exports/r1/history", null, Map.of()).body());
        assertEquals("/exports/{id}/history", history.get("resource"));
        assertEquals("{id=r1}", history.get("pathParameters"));
        Map<String, String> files = lines(signedByPartnerA("PUT", "/files/a/b/c.txt", "x", Map.of()).body());
        assertEquals("/files/{proxy+}", files.get("resource"));
        assertEquals("{proxy=a/b/c.txt}", files.get("pathParameters"));
        assertEquals("PUT", files.get("httpMethod"));
    }

    @Test
    void stageNameInThePathIsAccepted() throws Exception {
        Map<String, String> event = lines(signedByPartnerA("GET", "/Prod/exports/abc", null, Map.of()).body());
        assertEquals("/exports/abc", event.get("path"));
        assertEquals("/Prod/exports/abc", event.get("rc.path"));
    }

    @Test
    void openRouteNeedsNoSignatureAndHasNoIdentity() throws Exception {
        HttpResponse<String> response = send("GET", "/open", null, Map.of(), null, null, NOW);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("null", lines(response.body()).get("id.accessKey"));
        assertEquals("null", lines(response.body()).get("id.userArn"));
        assertEquals("127.0.0.1", lines(response.body()).get("id.sourceIp"));
    }

    @Test
    void handlerErrorAndMalformedResponseAre502() throws Exception {
        HttpResponse<String> boom = signedByPartnerA("GET", "/boom", null, Map.of());
        assertEquals(502, boom.statusCode());
        assertEquals("{\"message\": \"Internal server error\"}", boom.body());
        HttpResponse<String> bad = send("GET", "/bad", null, Map.of(), null, null, NOW);
        assertEquals(502, bad.statusCode());
        assertEquals("{\"message\": \"Internal server error\"}", bad.body());
    }

    // ---------------------------------------------------------------- curl --aws-sigv4

    @Test
    void curlWithAwsSigv4Works() throws Exception {
        // curl signs with the real clock: use a verifier on the system clock for this one
        SigV4Verifier realClock = new SigV4Verifier(Principals.defaults(), "us-east-1", Clock.systemUTC());
        Map<String, LambdaFunction> byId = new LinkedHashMap<>();
        for (LambdaFunction f : functions) {
            byId.put(f.definition().logicalId(), f);
        }
        try (LocalApiGateway curlGateway = LocalApiGateway.start(0, RouteTable.fromTemplate(template, byId),
            realClock, null, Clock.systemUTC(), System.out)) {
            String base = "http://127.0.0.1:" + curlGateway.port();
            CurlResult get = curl("--aws-sigv4", "aws:amz:us-east-1:execute-api", "--user",
                "AKIDPARTNERA:partner-a-secret", base + "/exports/from-curl?q=1");
            assertEquals(200, get.status(), get.body());
            assertEquals("arn:aws:iam::000000000000:user/partner-a", lines(get.body()).get("id.userArn"));
            assertEquals("{q=1}", lines(get.body()).get("queryStringParameters"));

            CurlResult post = curl("--aws-sigv4", "aws:amz:us-east-1:execute-api", "--user",
                "AKIDPARTNERB:partner-b-secret", "-X", "POST", "-H", "Content-Type: application/json",
                "--data", "{\"dataset\":\"inventory\"}", base + "/created");
            assertEquals(201, post.status(), post.body());
            assertEquals("{\"dataset\":\"inventory\"}", lines(post.body()).get("body"));

            CurlResult wrong = curl("--aws-sigv4", "aws:amz:us-east-1:execute-api", "--user",
                "AKIDPARTNERA:wrong", base + "/exports/x");
            assertEquals(403, wrong.status());
            assertTrue(wrong.body().contains("does not match the signature you provided"), wrong.body());
        }
    }

    private record CurlResult(int status, String body) {
    }

    private static CurlResult curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-w", "\n%{http_code}"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        int lastNewline = output.lastIndexOf('\n');
        return new CurlResult(Integer.parseInt(output.substring(lastNewline + 1).trim()),
            output.substring(0, lastNewline));
    }

    // ---------------------------------------------------------------- outbox

    @Test
    void outboxAsJsonAndAsAnEscapedPage() throws Exception {
        OUTBOX.clear();
        OUTBOX.add(new OutboxEntry("m-1", "exports@example.com", List.of("ops@example.com"), "Export <ready>",
            "Download: http://127.0.0.1:9000/archive/r1.zip?X-Amz-Signature=abc&X-Amz-Expires=3600 now", null,
            Instant.parse("2026-01-01T10:00:00Z")));
        OUTBOX.add(new OutboxEntry("m-2", "exports@example.com", List.of("a@example.com", "b@example.com"),
            "Second", null, "<p>Hi <a href=\"https://example.com/x?a=1&amp;b=2\">link</a><script>alert(1)</script></p>",
            Instant.parse("2026-01-01T10:05:00Z")));
        HttpResponse<String> json = send("GET", "/_local/outbox", null, Map.of(), null, null, NOW);
        assertEquals(200, json.statusCode());
        assertTrue(json.body().startsWith("[{\"id\":\"m-1\",\"source\":\"exports@example.com\",\"to\":[\"ops@example.com\"],"
            + "\"subject\":\"Export <ready>\""), json.body());
        assertTrue(json.body().contains("\"sentAt\":\"2026-01-01T10:00:00Z\""));

        HttpResponse<String> page = send("GET", "/_local/outbox.html", null, Map.of(), null, null, NOW);
        assertEquals(200, page.statusCode());
        String html = page.body();
        assertTrue(html.contains("<h2>Export &lt;ready&gt;</h2>"), html);
        assertTrue(html.contains("<a href=\"http://127.0.0.1:9000/archive/r1.zip?X-Amz-Signature=abc&amp;"
            + "X-Amz-Expires=3600\">"), html);
        assertTrue(html.contains("<a href=\"https://example.com/x?a=1&amp;b=2\">"), html);
        assertFalse(html.contains("<script>"), "an HTML body never runs in the page");
        assertTrue(html.indexOf("m-1") < html.indexOf("m-2"), "oldest first");
    }
}
