package com.warehouseexport.status;

import com.warehouseexport.model.testing.ApiEvents;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.Validation;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.domain.Timestamps;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.model.table.RequestUpdate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The handler against DynamoDB Local, driven by the {@code events/} fixtures (caller: partner-a). */
@LocalAwsTest
class StatusCheckIntegrationTest {
    private static final String PARTNER_A = "arn:aws:iam::000000000000:user/partner-a";
    private static final String PARTNER_B = "arn:aws:iam::000000000000:user/partner-b";
    /** The request the GET fixtures ask for. */
    private static final String FIXTURE_ID = "3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13";
    private static final String DOWNLOAD_URL = "https://archive.example/archives/x.zip?X-Amz-Signature=abc";

    private final DatasetCatalog catalog = DatasetCatalog.load((String) null);
    private ControlTable table;
    private StatusCheckHandler handler;

    @BeforeEach
    void freshTable(DynamoDbClient dynamo) {
        String tableName = "status-" + UUID.randomUUID().toString().substring(0, 8);
        ControlTableSchema.createTableIfMissing(dynamo, tableName);
        table = new ControlTable(dynamo, tableName, Duration.ofDays(30));
        handler = new StatusCheckHandler(new StatusService(table, catalog));
    }

    @Test
    void latestStatusOfASucceededExport() {
        ExportRequest request = succeeded(FIXTURE_ID, PARTNER_A);
        APIGatewayProxyResponseEvent response = handler.handleRequest(ApiEvents.read("api-get-export.json"), null);

        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals("no-store", response.getHeaders().get("Cache-Control"));
        JsonNode body = Json.parse(response.getBody());
        assertEquals(FIXTURE_ID, body.get("requestId").asText());
        assertEquals("product_detail", body.get("dataset").asText());
        assertEquals("FLOWER12", body.at("/parameters/sku").asText());
        assertEquals("csv", body.get("format").asText());
        assertEquals("SUCCEEDED", body.get("status").asText());
        assertEquals(Timestamps.format(request.createdAt()), body.get("createdAt").asText());
        assertEquals(Timestamps.format(request.updatedAt()), body.get("updatedAt").asText());
        assertEquals(1250, body.at("/result/rows").asLong());
        assertEquals(4096, body.at("/result/bytes").asLong());
        assertEquals("csv", body.at("/result/format").asText());
        assertEquals(2, body.at("/result/parts").asInt());
        assertEquals(DOWNLOAD_URL, body.at("/result/downloadUrl").asText());
        assertTrue(body.at("/result/expiresAt").asText().endsWith("Z"));
        assertTrue(body.at("/error").isMissingNode());
        assertEquals("/exports/" + FIXTURE_ID + "/history", body.at("/links/history").asText());
        assertFalse(response.getBody().contains(PARTNER_A), "the owner is never shown");
        assertFalse(response.getBody().contains("archiveKey"), "nor internal fields");
    }

    @Test
    void aFailedExportShowsItsError() {
        ExportRequest request = received(RequestIds.newId(), PARTNER_A, "{\"sku\":\"FLOWER14\"}", ExportFormat.PARQUET);
        request = table.transition(request, RequestState.QUEUED, "queued", null);
        table.transition(request, RequestState.FAILED, "warehouse error",
                RequestUpdate.withError(new ExportError("WAREHOUSE_ERROR", "permission denied")));

        JsonNode body = Json.parse(get("api-get-export.json", request.requestId()).getBody());
        assertEquals("FAILED", body.get("status").asText());
        assertEquals("parquet", body.get("format").asText());
        assertEquals("WAREHOUSE_ERROR", body.at("/error/code").asText());
        assertEquals("permission denied", body.at("/error/message").asText());
        assertTrue(body.at("/result").isMissingNode());
    }

    @Test
    void historyListsEveryEventOldestFirst() {
        succeeded(FIXTURE_ID, PARTNER_A);
        APIGatewayProxyResponseEvent response =
                handler.handleRequest(ApiEvents.read("api-get-export-history.json"), null);

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = Json.parse(response.getBody());
        assertEquals(FIXTURE_ID, body.get("requestId").asText());
        List<String> states = new ArrayList<>();
        List<String> times = new ArrayList<>();
        body.get("events").forEach(event -> {
            states.add(event.get("status").asText());
            times.add(event.get("at").asText());
        });
        assertEquals(List.of("RECEIVED", "QUEUED", "SUBMITTED", "RUNNING", "PACKAGING", "SUCCEEDED"), states);
        assertEquals(times.stream().sorted().toList(), times);
        assertEquals("statement s-1 submitted", body.at("/events/2/detail").asText());
    }

    @Test
    void datasetsListsTheCatalogWithParameterSchemas() {
        APIGatewayProxyResponseEvent response = handler.handleRequest(ApiEvents.read("api-get-datasets.json"), null);

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = Json.parse(response.getBody());
        assertEquals(Json.write(catalog.toJson()), response.getBody());
        List<String> names = new ArrayList<>();
        body.get("datasets").forEach(dataset -> names.add(dataset.get("name").asText()));
        assertEquals(List.of("product_detail", "product_inventory", "athena_product_detail",
                "athena_inventory_by_category"), names);
        // which engine holds a dataset is not the partner's concern
        assertFalse(response.getBody().contains("\"warehouse\""), "the engine is never shown");
        // parameters as the JSON Schema of the request's "parameters" object
        JsonNode parameters = body.at("/datasets/0/parameters");
        assertEquals("object", parameters.get("type").asText());
        assertEquals("string", parameters.at("/properties/sku/type").asText());
        assertEquals("sku", parameters.at("/required/0").asText());
        assertFalse(response.getBody().contains("rsdataapi") || response.getBody().contains("from product"),
                "the SQL is never shown");
    }

    @Test
    void seedProductRouteAllIsTheHistoryWithRequestId() {
        succeeded(FIXTURE_ID, PARTNER_A);
        APIGatewayProxyResponseEvent response = handler.handleRequest(ApiEvents.read("api-get-product.json"), null);

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = Json.parse(response.getBody());
        assertEquals("RequestId", body.fieldNames().next());
        assertEquals(FIXTURE_ID, body.get("RequestId").asText());
        assertEquals(FIXTURE_ID, body.get("requestId").asText());
        assertEquals(6, body.get("events").size());
    }

    @Test
    void seedProductRouteLatestIsTheStatusWithRequestId() {
        succeeded(FIXTURE_ID, PARTNER_A);
        for (Map<String, String> headers : List.of(Map.of("RequestId", FIXTURE_ID, "Type", "LATEST"),
                Map.of("requestid", FIXTURE_ID))) {
            APIGatewayProxyRequestEvent event = ApiEvents.read("api-get-product.json");
            event.setHeaders(new HashMap<>(headers));
            event.setMultiValueHeaders(null);
            APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);

            assertEquals(200, response.getStatusCode(), response.getBody());
            JsonNode body = Json.parse(response.getBody());
            assertEquals(FIXTURE_ID, body.get("RequestId").asText());
            assertEquals("SUCCEEDED", body.get("status").asText());
            assertEquals(DOWNLOAD_URL, body.at("/result/downloadUrl").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"type=everything", "type=", "requestid="})
    void seedProductRouteWithBadHeadersIs400(String header) {
        succeeded(FIXTURE_ID, PARTNER_A);
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-get-product.json");
        Map<String, String> headers = new HashMap<>(Map.of("requestid", FIXTURE_ID, "type", "all"));
        String[] nameValue = header.split("=", -1);
        if (nameValue[1].isEmpty()) {
            headers.remove(nameValue[0]);
        } else {
            headers.put(nameValue[0], nameValue[1]);
        }
        event.setHeaders(headers);
        event.setMultiValueHeaders(null);
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);

        if (header.equals("type=")) {
            assertEquals(200, response.getStatusCode(), "type is optional: " + response.getBody());
            return;
        }
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertTrue(Json.parse(response.getBody()).get("error").asText().endsWith("_header"));
    }

    @Test
    void anotherCallersRequestIsExactlyLikeAMissingOne() {
        succeeded(FIXTURE_ID, PARTNER_A);
        String missingId = RequestIds.newId();

        for (String fixture : List.of("api-get-export.json", "api-get-export-history.json")) {
            APIGatewayProxyResponseEvent foreign = get(fixture, FIXTURE_ID, PARTNER_B);
            APIGatewayProxyResponseEvent missing = get(fixture, missingId, PARTNER_A);
            assertEquals(404, foreign.getStatusCode());
            assertEquals(404, missing.getStatusCode());
            assertEquals("{\"error\":\"not_found\",\"message\":\"no export request " + FIXTURE_ID + "\"}",
                    foreign.getBody());
            assertEquals(missing.getBody().replace(missingId, FIXTURE_ID), foreign.getBody());
            assertEquals(missing.getHeaders(), foreign.getHeaders());
        }

        APIGatewayProxyRequestEvent product = ApiEvents.read("api-get-product.json");
        product.getRequestContext().getIdentity().setUserArn(PARTNER_B);
        assertEquals(404, handler.handleRequest(product, null).getStatusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "3F6C1B5E-8D2A-4C7E-9B1F-2A4D6E8C0B13", "' OR '1'='1"})
    void aMalformedIdIsNotFoundToo(String id) {
        succeeded(FIXTURE_ID, PARTNER_A);
        APIGatewayProxyResponseEvent response = get("api-get-export.json", id);
        assertEquals(404, response.getStatusCode());
        assertEquals("{\"error\":\"not_found\",\"message\":\"no such export request\"}", response.getBody());
    }

    @Test
    void withoutACallerIdentityEveryRouteIs403() {
        for (String fixture : List.of("api-get-export.json", "api-get-export-history.json", "api-get-datasets.json",
                "api-get-product.json")) {
            APIGatewayProxyRequestEvent event = ApiEvents.read(fixture);
            event.getRequestContext().getIdentity().setUserArn(null);
            event.getRequestContext().getIdentity().setCaller(null);
            APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
            assertEquals(403, response.getStatusCode(), fixture);
            assertEquals("forbidden", Json.parse(response.getBody()).get("error").asText());
        }
    }

    @Test
    void routesAreChosenByMethodAndResource() {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-get-datasets.json");
        event.setHttpMethod("POST");
        assertEquals(404, handler.handleRequest(event, null).getStatusCode());
        event.setHttpMethod("GET");
        event.setResource("/exports");
        assertEquals(404, handler.handleRequest(event, null).getStatusCode());
        // the path is ignored: only the resource template decides
        event.setResource("/datasets");
        event.setPath("/exports/" + FIXTURE_ID);
        assertEquals(200, handler.handleRequest(event, null).getStatusCode());
    }

    private APIGatewayProxyResponseEvent get(String fixture, String id) {
        return get(fixture, id, PARTNER_A);
    }

    private APIGatewayProxyResponseEvent get(String fixture, String id, String caller) {
        APIGatewayProxyRequestEvent event = ApiEvents.read(fixture);
        event.setPathParameters(Map.of("id", id));
        event.setPath(event.getPath().replace(FIXTURE_ID, id));
        event.getRequestContext().getIdentity().setUserArn(caller);
        return handler.handleRequest(event, null);
    }

    private ExportRequest received(String id, String owner, String parameters, ExportFormat format) {
        Validation validation = catalog.get("product_detail").orElseThrow().validate(Json.parse(parameters));
        return table.create(ExportRequest.received(id, owner, "product_detail", validation.parameters(), format,
                Instant.now()));
    }

    /** A request taken through every state to SUCCEEDED, as processor and poller would. */
    private ExportRequest succeeded(String id, String owner) {
        ExportRequest request = received(id, owner, "{\"sku\":\"FLOWER12\"}", ExportFormat.CSV);
        request = table.transition(request, RequestState.QUEUED, "queued", null);
        request = table.transition(request, RequestState.SUBMITTED, "statement s-1 submitted",
                RequestUpdate.withStatementId("s-1"));
        request = table.transition(request, RequestState.RUNNING, "running", null);
        request = table.transition(request, RequestState.PACKAGING, "1250 rows in 2 parts", null);
        return table.transition(request, RequestState.SUCCEEDED, "archive ready", RequestUpdate.withResult(
                new ExportResult(1250, 4096, ExportFormat.CSV, 2, DOWNLOAD_URL,
                        Instant.now().plus(Duration.ofHours(1)), "archives/" + id + "/" + id + ".zip")));
    }
}
