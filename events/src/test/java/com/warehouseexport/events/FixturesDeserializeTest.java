package com.warehouseexport.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.RequestIdentity;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture deserializes as the Lambda Java runtime would do it, and the fields the handlers read arrive. */
class FixturesDeserializeTest {

    private static final String PARTNER_ARN = "arn:aws:iam::000000000000:user/partner-a";
    private static final Pattern UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final DateTimeFormatter API_GATEWAY_REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> apiFixtures() {
        return ProjectFiles.apiFixtures().stream();
    }

    @Test
    void thereIsOneApiFixturePerRoute() {
        assertEquals(9, ProjectFiles.apiFixtures().size(), "api-*.json fixtures");
    }

    @ParameterizedTest
    @MethodSource("apiFixtures")
    void apiFixtureArrivesAsAnIamAuthorizedProxyRequest(Path fixture) {
        APIGatewayProxyRequestEvent event = LambdaRuntimeJson.read(fixture, APIGatewayProxyRequestEvent.class);
        ProxyRequestContext context = event.getRequestContext();
        assertNotNull(context, "requestContext");

        assertNotNull(event.getResource(), "resource");
        assertEquals(event.getResource(), context.getResourcePath(), "requestContext.resourcePath");
        assertEquals(event.getHttpMethod(), context.getHttpMethod(), "requestContext.httpMethod");
        assertEquals(withPathParameters(event.getResource(), event.getPathParameters()), event.getPath(), "path");
        assertEquals("/" + context.getStage() + event.getPath(), context.getPath(), "requestContext.path");
        assertTrue(UUID.matcher(context.getRequestId()).matches(), "requestContext.requestId");
        assertEquals(context.getApiId(), context.getDomainPrefix(), "domainPrefix");
        assertEquals(context.getApiId() + ".execute-api.us-east-1.amazonaws.com", context.getDomainName());
        assertEquals(ZonedDateTime.parse(context.getRequestTime(), API_GATEWAY_REQUEST_TIME).toInstant().toEpochMilli(),
                context.getRequestTimeEpoch(), "requestTimeEpoch agrees with requestTime");

        RequestIdentity identity = context.getIdentity();
        Map<String, String> headers = event.getHeaders();
        if (RoutesContractTest.PUBLIC_ROUTES.contains(new SamTemplate.Route(event.getHttpMethod(), event.getResource()))) {
            // the emailed link, opened in a browser: no signature, so API Gateway fills in no caller
            assertNull(identity.getUserArn(), "identity.userArn");
            assertNull(identity.getAccessKey(), "identity.accessKey");
            assertNull(identity.getCaller(), "identity.caller");
            assertNotNull(identity.getSourceIp(), "identity.sourceIp");
            assertFalse(headers.containsKey("Authorization"), "no Authorization header");
            assertNull(event.getBody(), "GET has no body");
            return;
        }
        assertEquals(PARTNER_ARN, identity.getUserArn(), "identity.userArn");
        assertEquals("000000000000", identity.getAccountId(), "identity.accountId");
        assertTrue(identity.getAccessKey().matches("AKIA[A-Z0-9]{16}"), "identity.accessKey");
        assertTrue(identity.getUser().matches("AIDA[A-Z0-9]{17}"), "identity.user is an IAM user id");
        assertEquals(identity.getUser(), identity.getCaller(), "identity.caller of an IAM user");
        assertNotNull(identity.getSourceIp(), "identity.sourceIp");
        assertNull(identity.getCognitoIdentityId(), "no Cognito identity under IAM auth");

        assertEquals(context.getDomainName(), headers.get("Host"));
        assertTrue(headers.get("Authorization").startsWith(
                "AWS4-HMAC-SHA256 Credential=" + identity.getAccessKey() + "/"), "SigV4 Authorization header");
        assertEquals(headers.keySet(), event.getMultiValueHeaders().keySet(), "multiValueHeaders names");
        headers.forEach((name, value) ->
                assertEquals(List.of(value), event.getMultiValueHeaders().get(name), "multiValueHeaders." + name));

        if (event.getHttpMethod().equals("POST")) {
            assertEquals("application/json", headers.get("Content-Type"));
            assertTrue(readJson(event.getBody()).isObject(), "POST body is a JSON object");
            assertFalse(event.getIsBase64Encoded(), "isBase64Encoded");
        } else {
            assertNull(event.getBody(), "GET has no body");
        }
    }

    @Test
    void postExportsCarriesAnExportRequest() {
        APIGatewayProxyRequestEvent event =
                LambdaRuntimeJson.read(ProjectFiles.fixture("api-post-exports.json"), APIGatewayProxyRequestEvent.class);
        JsonNode body = readJson(event.getBody());
        assertEquals("product_detail", body.path("dataset").asText());
        assertEquals("FLOWER12", body.path("parameters").path("sku").asText());
        assertEquals("csv", body.path("format").asText());
    }

    @Test
    void postProductCarriesTheProductFields() {
        APIGatewayProxyRequestEvent event =
                LambdaRuntimeJson.read(ProjectFiles.fixture("api-post-product.json"), APIGatewayProxyRequestEvent.class);
        JsonNode body = readJson(event.getBody());
        assertEquals(Set.of("sku", "productname", "createdate"), fieldNames(body));
    }

    @ParameterizedTest
    @CsvSource({"api-get-export.json", "api-get-export-history.json"})
    void exportReadsNameTheRequestInThePath(String fileName) {
        APIGatewayProxyRequestEvent event =
                LambdaRuntimeJson.read(ProjectFiles.fixture(fileName), APIGatewayProxyRequestEvent.class);
        String id = event.getPathParameters().get("id");
        assertTrue(UUID.matcher(id).matches(), "pathParameters.id");
        assertTrue(event.getPath().startsWith("/exports/" + id));
    }

    @Test
    void getProductNamesTheRequestInHeaders() {
        APIGatewayProxyRequestEvent event =
                LambdaRuntimeJson.read(ProjectFiles.fixture("api-get-product.json"), APIGatewayProxyRequestEvent.class);
        assertTrue(UUID.matcher(event.getHeaders().get("requestid")).matches(), "requestid header");
        assertEquals("all", event.getHeaders().get("type"));
        assertNull(event.getPathParameters());
    }

    @Test
    void sqsBatchCarriesTwoExportMessages() {
        SQSEvent event = LambdaRuntimeJson.read(ProjectFiles.fixture("sqs-export-batch.json"), SQSEvent.class);
        List<SQSMessage> records = event.getRecords();
        assertEquals(2, records.size());
        Set<String> messageIds = new HashSet<>();
        Set<String> requestIds = new HashSet<>();
        for (SQSMessage message : records) {
            messageIds.add(message.getMessageId());
            JsonNode body = readJson(message.getBody());
            assertEquals(Set.of("requestId"), fieldNames(body), "body is {\"requestId\": ...}");
            requestIds.add(body.get("requestId").asText());
            assertTrue(UUID.matcher(body.get("requestId").asText()).matches());
            assertEquals(md5Hex(message.getBody()), message.getMd5OfBody(), "md5OfBody is the body's MD5");
            assertEquals("aws:sqs", message.getEventSource());
            assertEquals("us-east-1", message.getAwsRegion());
            assertTrue(message.getEventSourceArn().matches("arn:aws:sqs:us-east-1:000000000000:[\\w-]+"));
            assertNotNull(message.getReceiptHandle());
            Map<String, String> attributes = message.getAttributes();
            for (String name : List.of("ApproximateReceiveCount", "SentTimestamp", "SenderId",
                    "ApproximateFirstReceiveTimestamp")) {
                assertNotNull(attributes.get(name), "attributes." + name);
            }
            assertTrue(Long.parseLong(attributes.get("ApproximateFirstReceiveTimestamp"))
                    >= Long.parseLong(attributes.get("SentTimestamp")), "received after sent");
        }
        assertEquals(2, messageIds.size(), "distinct message ids");
        assertEquals(2, requestIds.size(), "distinct request ids");
        assertTrue(records.stream().anyMatch(m -> Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount")) > 1),
                "one record is a redelivery");
    }

    @Test
    void scheduleFixtureIsAScheduledEvent() {
        ScheduledEvent event = LambdaRuntimeJson.read(ProjectFiles.fixture("schedule.json"), ScheduledEvent.class);
        assertEquals("aws.events", event.getSource());
        assertEquals("Scheduled Event", event.getDetailType());
        assertNotNull(event.getTime(), "time");
        assertEquals("us-east-1", event.getRegion());
        assertTrue(event.getResources().get(0).startsWith("arn:aws:events:us-east-1:000000000000:rule/"));
        assertTrue(event.getDetail().isEmpty(), "empty detail");
    }

    @ParameterizedTest
    @CsvSource({"redshift-data-status-change.json, FINISHED", "redshift-data-status-failed.json, FAILED"})
    void redshiftStatusEventNamesTheExportStatement(String fileName, String state) {
        // The poller's input is the EventBridge envelope; ScheduledEvent is the runtime's class for it.
        ScheduledEvent event = LambdaRuntimeJson.read(ProjectFiles.fixture(fileName), ScheduledEvent.class);
        assertEquals("aws.redshift-data", event.getSource());
        assertEquals("Redshift Data Statement Status Change", event.getDetailType());
        assertNotNull(event.getTime(), "time");
        Map<String, Object> detail = event.getDetail();
        assertEquals(state, detail.get("state"));
        String statementName = (String) detail.get("statementName");
        assertTrue(statementName.startsWith("export-")
                && UUID.matcher(statementName.substring("export-".length())).matches(),
                "statementName is export-<requestId>: " + statementName);
        assertTrue(UUID.matcher((String) detail.get("statementId")).matches(), "statementId");
        assertTrue(detail.get("rows") instanceof Number, "rows");
        assertTrue(detail.get("expireAt") instanceof Number, "expireAt");
    }

    private static String withPathParameters(String resource, Map<String, String> pathParameters) {
        String path = resource;
        if (pathParameters != null) {
            for (Map.Entry<String, String> parameter : pathParameters.entrySet()) {
                path = path.replace("{" + parameter.getKey() + "}", parameter.getValue());
            }
        }
        return path;
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String md5Hex(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
