package com.warehouseexport.receiver;

import com.warehouseexport.model.testing.ApiEvents;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.ParameterValue;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.domain.StatusEvent;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler against DynamoDB Local and ElasticMQ, driven by the {@code events/} fixtures. */
@LocalAwsTest
class RequestReceiverIntegrationTest {
    private static final String PARTNER_A = "arn:aws:iam::000000000000:user/partner-a";

    private DynamoDbClient dynamo;
    private SqsClient sqs;
    private String tableName;
    private String queueUrl;
    private ControlTable table;
    private RequestReceiverHandler handler;

    @BeforeEach
    void freshTableAndQueue(DynamoDbClient dynamo, SqsClient sqs) {
        this.dynamo = dynamo;
        this.sqs = sqs;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        tableName = "receiver-" + suffix;
        long start = System.nanoTime();
        ControlTableSchema.createTableIfMissing(dynamo, tableName);
        System.out.printf("control table created in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        queueUrl = sqs.createQueue(q -> q.queueName("exports-" + suffix)).queueUrl();
        table = new ControlTable(dynamo, tableName, Duration.ofDays(30));
        handler = handlerFor(queueUrl);
    }

    private RequestReceiverHandler handlerFor(String exportQueueUrl) {
        return new RequestReceiverHandler(
                new ExportSubmissionService(DatasetCatalog.load((String) null), table, sqs, exportQueueUrl));
    }

    @Test
    void postExportsRecordsReceivedThenQueuedAndSendsOneMessage() {
        APIGatewayProxyResponseEvent response = handler.handleRequest(ApiEvents.read("api-post-exports.json"), null);

        assertEquals(202, response.getStatusCode(), response.getBody());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        JsonNode body = Json.parse(response.getBody());
        String id = body.get("requestId").asText();
        assertTrue(RequestIds.isWellFormed(id), id);
        assertEquals("QUEUED", body.get("status").asText());
        assertEquals("/exports/" + id, body.at("/links/status").asText());
        assertEquals("/exports/" + id + "/history", body.at("/links/history").asText());

        ExportRequest stored = table.get(id).orElseThrow();
        assertEquals(RequestState.QUEUED, stored.state());
        assertEquals(2, stored.version());
        assertEquals(PARTNER_A, stored.owner());
        assertEquals("product_detail", stored.dataset());
        assertEquals(ExportFormat.CSV, stored.format());
        assertEquals(new ParameterValue.StringValue("FLOWER12"), stored.parameters().get("sku"));
        assertEquals(List.of(RequestState.RECEIVED, RequestState.QUEUED), states(table.history(id)));

        List<Message> messages = receiveAll();
        assertEquals(1, messages.size());
        assertEquals(id, Json.parse(messages.get(0).body()).get("requestId").asText());
        assertEquals(1, Json.parse(messages.get(0).body()).size(), "the message carries only the request id");
    }

    @Test
    void theResponseSerializesAsTheRuntimeReturnsIt() {
        String json = ApiEvents.toJson(handler.handleRequest(ApiEvents.read("api-post-exports.json"), null));
        JsonNode response = Json.parse(json);
        assertEquals(202, response.get("statusCode").asInt());
        assertEquals("QUEUED", Json.parse(response.get("body").asText()).get("status").asText());
    }

    @Test
    void parquetAndTheInventoryDatasetWithTypedParameters() {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-post-exports.json");
        event.setBody("{\"dataset\":\"product_inventory\",\"parameters\":{\"warehouse_id\":3,\"is_active\":false,"
                + "\"restocked_since\":\"2025-01-31\"},\"format\":\"parquet\"}");
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);

        assertEquals(202, response.getStatusCode(), response.getBody());
        ExportRequest stored = table.get(Json.parse(response.getBody()).get("requestId").asText()).orElseThrow();
        assertEquals(ExportFormat.PARQUET, stored.format());
        assertEquals(new ParameterValue.IntegerValue(3), stored.parameters().get("warehouse_id"));
        assertEquals(new ParameterValue.BooleanValue(false), stored.parameters().get("is_active"));
    }

    @Test
    void postProductAnswersWithTheSeedsRequestIdAndKeepsTheReferenceFields() {
        APIGatewayProxyResponseEvent response = handler.handleRequest(ApiEvents.read("api-post-product.json"), null);

        assertEquals(202, response.getStatusCode(), response.getBody());
        JsonNode body = Json.parse(response.getBody());
        String id = body.get("requestId").asText();
        assertEquals(id, body.get("RequestId").asText());
        assertEquals("RequestId", body.fieldNames().next(), "the seed's key comes first");
        assertEquals("QUEUED", body.get("status").asText());
        assertEquals("/exports/" + id, body.at("/links/status").asText());

        ExportRequest stored = table.get(id).orElseThrow();
        assertEquals("product_detail", stored.dataset());
        assertEquals(ExportFormat.CSV, stored.format());
        assertEquals(new ParameterValue.StringValue("FLOWER13"), stored.parameters().get("sku"));
        List<StatusEvent> history = table.history(id);
        assertEquals(List.of(RequestState.RECEIVED, RequestState.QUEUED), states(history));
        assertEquals("request accepted via POST /product; productname: Flowers - Jasmine; createdate: 2026-11-01",
                history.get(0).detail());
        assertEquals("queued for processing", history.get(1).detail());
        assertEquals(1, receiveAll().size());
    }

    @Test
    void theOwnerFallsBackToTheCallerWhenThereIsNoUserArn() {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-post-exports.json");
        event.getRequestContext().getIdentity().setUserArn(null);
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);

        assertEquals(202, response.getStatusCode(), response.getBody());
        String id = Json.parse(response.getBody()).get("requestId").asText();
        assertEquals("AIDAQ3EXAMPLEPARTNERA", table.get(id).orElseThrow().owner());
    }

    @Test
    void withoutACallerIdentityNothingIsWritten() {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-post-exports.json");
        event.getRequestContext().getIdentity().setUserArn(null);
        event.getRequestContext().getIdentity().setCaller("  ");
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);

        assertEquals(403, response.getStatusCode());
        assertEquals("forbidden", Json.parse(response.getBody()).get("error").asText());
        assertNothingWritten();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL|empty_body",
            "''|empty_body",
            "{\"dataset\":|invalid_json",
            "[1,2]|invalid_body",
            "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"A\"},\"extra\":1}|unknown_field",
            "{\"parameters\":{\"sku\":\"A\"}}|missing_field",
            "{\"dataset\":7}|wrong_type",
            "{\"dataset\":\"orders\",\"parameters\":{}}|unknown_dataset",
            "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"A\"},\"format\":\"xlsx\"}|invalid_format",
            "{\"dataset\":\"product_detail\",\"parameters\":{}}|invalid_parameter",
            "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"A'; drop table x;--\"}}|invalid_parameter",
            "{\"dataset\":\"product_inventory\",\"parameters\":{\"limit\":-1}}|invalid_parameter",
            "{\"dataset\":\"product_inventory\",\"parameters\":{\"warehouse_id\":\"3\"}}|invalid_parameter"})
    void badExportBodiesAre400AndWriteNothing(String body, String code) {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-post-exports.json");
        event.setBody(body);
        assertRejected(handler.handleRequest(event, null), 400, code);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"productname\":\"Roses\"}|invalid_parameter",
            "{\"sku\":\"FLOWER13\",\"createdate\":\"2026-02-30\"}|invalid_parameter",
            "{\"sku\":\"FLOWER13\",\"colour\":\"red\"}|unknown_field",
            "not json|invalid_json"})
    void badProductBodiesAre400AndWriteNothing(String body, String code) {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-post-product.json");
        event.setBody(body);
        assertRejected(handler.handleRequest(event, null), 400, code);
    }

    @Test
    void aBase64BodyIsDecoded() {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-post-exports.json");
        event.setBody(java.util.Base64.getEncoder().encodeToString(event.getBody().getBytes()));
        event.setIsBase64Encoded(true);
        assertEquals(202, handler.handleRequest(event, null).getStatusCode());
    }

    @Test
    void anUnknownRouteIs404AndWritesNothing() {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-post-exports.json");
        event.setHttpMethod("PUT");
        assertRejected(handler.handleRequest(event, null), 404, "not_found");
        event.setHttpMethod("POST");
        event.setResource("/exports/{id}");
        assertRejected(handler.handleRequest(event, null), 404, "not_found");
    }

    @Test
    void whenTheQueueCannotBeReachedTheAnswerIs503AndTheRequestStaysReceived() {
        String missingQueue = queueUrl + "-does-not-exist";
        APIGatewayProxyResponseEvent response = handlerFor(missingQueue)
                .handleRequest(ApiEvents.read("api-post-exports.json"), null);

        assertEquals(503, response.getStatusCode(), response.getBody());
        JsonNode body = Json.parse(response.getBody());
        assertEquals("unavailable", body.get("error").asText());
        assertTrue(body.get("message").asText().endsWith("try again"), body.toString());

        List<Map<String, AttributeValue>> items = dynamo.scan(s -> s.tableName(tableName)).items();
        assertEquals(2, items.size(), "the request item and its RECEIVED event");
        String id = items.stream().filter(item -> item.get("sk").s().equals("REQUEST")).findFirst().orElseThrow()
                .get("requestId").s();
        assertEquals(RequestState.RECEIVED, table.get(id).orElseThrow().state());
        assertEquals(List.of(RequestState.RECEIVED), states(table.history(id)));
        assertTrue(receiveAll().isEmpty());
    }

    @Test
    void aMissingTableIsAn500WithoutDetails() {
        ControlTable noTable = new ControlTable(dynamo, tableName + "-missing", Duration.ofDays(1));
        RequestReceiverHandler broken = new RequestReceiverHandler(
                new ExportSubmissionService(DatasetCatalog.load((String) null), noTable, sqs, queueUrl));
        APIGatewayProxyResponseEvent response = broken.handleRequest(ApiEvents.read("api-post-exports.json"), null);

        assertEquals(500, response.getStatusCode());
        JsonNode body = Json.parse(response.getBody());
        assertEquals("internal_error", body.get("error").asText());
        assertFalse(response.getBody().contains("Exception"), response.getBody());
        assertFalse(response.getBody().contains(tableName), response.getBody());
        assertTrue(receiveAll().isEmpty());
    }

    private void assertRejected(APIGatewayProxyResponseEvent response, int status, String code) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        JsonNode body = Json.parse(response.getBody());
        assertEquals(code, body.get("error").asText(), response.getBody());
        assertFalse(body.get("message").asText().isBlank());
        assertNull(body.get("requestId"));
        assertNothingWritten();
    }

    private void assertNothingWritten() {
        assertEquals(0, dynamo.scan(s -> s.tableName(tableName)).count(), "control table items");
        assertTrue(receiveAll().isEmpty(), "queue messages");
    }

    private List<Message> receiveAll() {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
    }

    private static List<RequestState> states(List<StatusEvent> events) {
        return events.stream().map(StatusEvent::state).toList();
    }
}
