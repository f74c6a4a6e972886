package com.warehouseexport.localruntime.apigateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localruntime.TestFunctionJar;
import com.warehouseexport.localruntime.lambda.LambdaFunction;
import com.warehouseexport.localruntime.template.SamTemplate;
import com.warehouseexport.localruntime.template.TemplateOptions;
import com.warehouseexport.localruntime.template.TemplateReader;
import com.warehouseexport.localruntime.template.UsagePlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The gateway on templates/api-features.yaml: API keys and usage plans, CORS preflights, gateway responses,
 * parameter validation, method throttling and the access log, over HTTP with SigV4-signed requests.
 */
class ApiGatewayFeaturesTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PORTAL = "https://portal.example.com";
    private static final String PARTNER_KEY = "partnerpartnerpartner1";

    @TempDir
    static Path logs;

    private static SamTemplate template;
    private static LambdaFunction function;
    private static LocalApiGateway gateway;
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        Path fixture = Path.of(ApiGatewayFeaturesTest.class.getResource("/templates/api-features.yaml").toURI());
        TemplateReader reader = new TemplateReader();
        template = reader.read(fixture, TemplateOptions.defaults(Map.of("FunctionJar",
            TestFunctionJar.get().toString())));
        reader.warnings().forEach(w -> System.out.println("warning: " + w));
        SamTemplate.Function definition = template.function("ApiFunction").orElseThrow();
        function = new LambdaFunction(definition, Map.of("AWS_REGION", "us-east-1"), System.out);
        SigV4Verifier verifier = new SigV4Verifier(Principals.defaults(), "us-east-1", Clock.systemUTC());
        PrintStream both = new PrintStream(console, true, StandardCharsets.UTF_8);
        gateway = LocalApiGateway.start(0, RouteTable.fromTemplate(template, Map.of("ApiFunction", function)),
            verifier, null, Clock.systemUTC(), both, UsagePlans.of(template), new AccessLogs(logs, both));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        function.close();
    }

    private static HttpResponse<String> send(String method, String path, Map<String, String> headers,
                                             boolean signed) throws Exception {
        URI uri = URI.create(gateway.endpoint() + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        if (signed) {
            SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method));
            headers.forEach(unsigned::putHeader);
            SignedRequest signedRequest = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create("AKIDPARTNERA", "partner-a-secret"))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(new byte[0]))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(Instant.now(), ZoneOffset.UTC)));
            signedRequest.request().forEachHeader((name, values) -> {
                if (!name.equalsIgnoreCase("Host") && !headers.containsKey(name)) {
                    values.forEach(v -> request.header(name, v));
                }
            });
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> signedWithKey(String path, String apiKey) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        if (apiKey != null) {
            headers.put("x-api-key", apiKey);
        }
        return send("GET", path, headers, true);
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static UsagePlan.ApiKey key(String logicalId) {
        return template.usagePlans().stream().flatMap(p -> p.keys().stream())
            .filter(k -> k.logicalId().equals(logicalId)).findFirst().orElseThrow();
    }

    private static void assertForbidden(HttpResponse<String> response) {
        assertEquals(403, response.statusCode(), response.body());
        assertEquals("{\"message\":\"Forbidden\"}", response.body());
        assertEquals("ForbiddenException", header(response, "x-amzn-ErrorType"));
        // DEFAULT_4XX's header, so a browser can read the 403
        assertEquals(PORTAL, header(response, "Access-Control-Allow-Origin"));
    }

    // ---------------------------------------------------------------- API keys

    @Test
    void aMissingWrongDisabledOrOtherStageKeyIsForbidden() throws Exception {
        assertForbidden(signedWithKey("/items", null));
        assertForbidden(signedWithKey("/items", "notakeynotakeynotakey"));
        assertForbidden(signedWithKey("/items", "disableddisableddisabled"));
        assertForbidden(signedWithKey("/items", "otherstageotherstageother"));
    }

    @Test
    void theSignatureIsCheckedBeforeTheKey() throws Exception {
        HttpResponse<String> response = send("GET", "/items", Map.of("x-api-key", PARTNER_KEY), false);
        assertEquals(403, response.statusCode());
        assertEquals("{\"message\":\"Missing Authentication Token\"}", response.body());
        assertEquals(PORTAL, header(response, "Access-Control-Allow-Origin"));
    }

    @Test
    void theRightKeyReachesTheFunctionWhichSeesIt() throws Exception {
        HttpResponse<String> response = signedWithKey("/items", PARTNER_KEY);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("id.apiKey=" + PARTNER_KEY), response.body());
        assertTrue(response.body().contains("id.userArn=arn:aws:iam::000000000000:user/partner-a"));
        // the integration's own response: no gateway response headers are added to it
        assertNull(header(response, "Access-Control-Allow-Origin"));
    }

    private static void assertNull(String value) {
        assertEquals(null, value);
    }

    @Test
    void aMethodMayOptOutOfTheApisKeyRequirement() throws Exception {
        assertEquals(200, signedWithKey("/free", null).statusCode());
    }

    @Test
    void aGeneratedKeyValueIsStableAndLongEnough() {
        UsagePlan.ApiKey quota = key("QuotaKey");
        assertTrue(quota.valueGenerated());
        assertEquals(40, quota.value().length());
        assertFalse(key("DisabledKey").enabled(), "CloudFormation's Enabled defaults to false");
        assertFalse(key("PartnerKey").toString().contains(PARTNER_KEY), "toString never shows the value");
    }

    @Test
    void theQuotaAllowsItsLimitThenLimitExceededWithTheTypedGatewayResponse() throws Exception {
        String quotaKey = key("QuotaKey").value();
        for (int i = 0; i < 3; i++) {
            assertEquals(200, signedWithKey("/items", quotaKey).statusCode());
        }
        Map<String, String> headers = Map.of("x-api-key", quotaKey, "X-Echo", "echoed");
        HttpResponse<String> exceeded = send("GET", "/items", headers, true);
        assertEquals(429, exceeded.statusCode());
        assertEquals("LimitExceededException", header(exceeded, "x-amzn-ErrorType"));
        assertEquals("exceeded", header(exceeded, "X-Quota"));
        assertEquals("echoed", header(exceeded, "X-Echo"));
        // the typed QUOTA_EXCEEDED response replaces DEFAULT_4XX: no CORS header of its own
        assertNull(header(exceeded, "Access-Control-Allow-Origin"));
        assertEquals("{\"message\":\"Limit Exceeded\",\"type\":\"QUOTA_EXCEEDED\"}", exceeded.body());
    }

    @Test
    void theKeysBucketAllowsItsBurstThenTooManyRequests() throws Exception {
        String throttled = "throttledthrottledthrottled";
        assertEquals(200, signedWithKey("/items", throttled).statusCode());
        assertEquals(200, signedWithKey("/items", throttled).statusCode());
        HttpResponse<String> third = signedWithKey("/items", throttled);
        assertEquals(429, third.statusCode());
        assertEquals("{\"message\":\"Too Many Requests\"}", third.body());
        assertEquals("TooManyRequestsException", header(third, "x-amzn-ErrorType"));
        assertEquals(PORTAL, header(third, "Access-Control-Allow-Origin"));
        // another key has its own bucket
        assertEquals(200, signedWithKey("/items", PARTNER_KEY).statusCode());
    }

    @Test
    void theStagesMethodSettingThrottlesThatMethodOnly() throws Exception {
        assertEquals(200, signedWithKey("/limited", PARTNER_KEY).statusCode());
        HttpResponse<String> second = signedWithKey("/limited", PARTNER_KEY);
        assertEquals(429, second.statusCode());
        assertEquals("{\"message\":\"Too Many Requests\"}", second.body());
        assertEquals(200, signedWithKey("/items", PARTNER_KEY).statusCode());
    }

    // ---------------------------------------------------------------- CORS

    @Test
    void preflightsAreAnsweredWithoutSignatureOrKey() throws Exception {
        HttpResponse<String> response = send("OPTIONS", "/items", Map.of("Origin", PORTAL,
            "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization,x-api-key"),
            false);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(PORTAL, header(response, "Access-Control-Allow-Origin"));
        assertEquals("GET,OPTIONS,POST", header(response, "Access-Control-Allow-Methods"));
        assertEquals("Authorization,X-Amz-Date,X-Api-Key,requestid", header(response, "Access-Control-Allow-Headers"));
        assertEquals("600", header(response, "Access-Control-Max-Age"));
        assertEquals("{}", response.body());
        // under the stage name too, and for a parameterless path of one method
        HttpResponse<String> staged = send("OPTIONS", "/v1/product", Map.of(), false);
        assertEquals(200, staged.statusCode());
        assertEquals("GET,OPTIONS", header(staged, "Access-Control-Allow-Methods"));
    }

    @Test
    void aPreflightForAnUnknownResourceIsMissingAuthenticationToken() throws Exception {
        HttpResponse<String> response = send("OPTIONS", "/nothing-here", Map.of("Origin", PORTAL), false);
        assertEquals(403, response.statusCode());
        assertEquals("{\"message\":\"Missing Authentication Token\"}", response.body());
        assertEquals(PORTAL, header(response, "Access-Control-Allow-Origin"));
    }

    // ---------------------------------------------------------------- validation

    @Test
    void aValidatorRefusesMissingRequiredParameters() throws Exception {
        HttpResponse<String> none = signedWithKey("/product", PARTNER_KEY);
        assertEquals(400, none.statusCode());
        assertEquals("{\"message\": \"Missing required request parameters: [requestid, page]\"}", none.body());
        assertEquals("BadRequestException", header(none, "x-amzn-ErrorType"));
        assertEquals(PORTAL, header(none, "Access-Control-Allow-Origin"));

        HttpResponse<String> noHeader = signedWithKey("/product?page=2", PARTNER_KEY);
        assertEquals("{\"message\": \"Missing required request parameters: [requestid]\"}", noHeader.body());

        // header names in any case; the optional "type" may be left out
        HttpResponse<String> complete = send("GET", "/product?page=2", Map.of("x-api-key", PARTNER_KEY,
            "RequestId", "abc"), true);
        assertEquals(200, complete.statusCode(), complete.body());
    }

    @Test
    void requiredWithoutAValidatorIsNotChecked() throws Exception {
        assertEquals(200, signedWithKey("/unvalidated", PARTNER_KEY).statusCode());
    }

    // ---------------------------------------------------------------- access log

    @Test
    void everyRequestWritesTheFormatsLineWithContextVariables() throws Exception {
        HttpResponse<String> ok = signedWithKey("/items", PARTNER_KEY);
        HttpResponse<String> forbidden = signedWithKey("/items", "notakeynotakeynotakey");
        Path file = logs.resolve("KeyedApi-access.log");
        List<String> lines = Files.readAllLines(file);
        JsonNode okLine = line(lines, header(ok, "x-amzn-RequestId"));
        assertEquals("200", okLine.path("status").asText());
        assertEquals(key("PartnerKey").id(), okLine.path("apiKeyId").asText());
        assertEquals("arn:aws:iam::000000000000:user/partner-a", okLine.path("caller").asText());
        assertEquals("/items", okLine.path("resourcePath").asText());
        assertEquals("-", okLine.path("error").asText());
        assertEquals("-", okLine.path("unknown").asText());

        JsonNode forbiddenLine = line(lines, header(forbidden, "x-amzn-RequestId"));
        assertEquals("403", forbiddenLine.path("status").asText());
        assertEquals("Forbidden", forbiddenLine.path("error").asText());
        assertEquals("-", forbiddenLine.path("apiKeyId").asText());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("[KeyedApi access] {\"requestId\":\""
            + header(ok, "x-amzn-RequestId")));
    }

    private static JsonNode line(List<String> lines, String requestId) throws Exception {
        assertNotNull(requestId);
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            if (node.path("requestId").asText().equals(requestId)) {
                return node;
            }
        }
        throw new AssertionError("no access log line for " + requestId + " in " + lines);
    }
}
