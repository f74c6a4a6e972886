package com.warehouseexport.status;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.warehouseexport.localaws.LocalAwsClients;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.Validation;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.model.testing.ApiEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Another caller's request is indistinguishable from a missing one: same status, same bytes and headers, and the
 * same DynamoDB calls (counted on the wire by an SDK interceptor), so neither the answer nor its cost tells them
 * apart. A malformed or absurd id never reaches the table.
 */
@LocalAwsTest
class IsolationTest {
    private static final String PARTNER_A = "arn:aws:iam::000000000000:user/partner-a";
    private static final String PARTNER_B = "arn:aws:iam::000000000000:user/partner-b";

    private final List<String> calls = new ArrayList<>();
    private DynamoDbClient counted;
    private StatusCheckHandler handler;
    private String ownedByA;

    @BeforeEach
    void world(LocalAwsClients clients, DynamoDbClient dynamo) {
        String tableName = "isolation-" + UUID.randomUUID().toString().substring(0, 8);
        ControlTableSchema.createTableIfMissing(dynamo, tableName);
        counted = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(clients.credentials())
                .endpointOverride(clients.endpoints().dynamoDb()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                        calls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
                    }
                })).build();
        ControlTable table = new ControlTable(counted, tableName, Duration.ofDays(1));
        handler = new StatusCheckHandler(new StatusService(table, DatasetCatalog.load((String) null)));
        var dataset = DatasetCatalog.load((String) null).get("product_detail").orElseThrow();
        Validation valid = dataset.validate(Map.of("sku", com.fasterxml.jackson.databind.node.TextNode.valueOf("FLOWER12")));
        ownedByA = RequestIds.newId();
        table.create(ExportRequest.received(ownedByA, PARTNER_A, dataset.name(), valid.parameters(), ExportFormat.CSV,
                Instant.now()));
        calls.clear();
    }

    @AfterEach
    void close() {
        counted.close();
    }

    @Test
    void foreignAndMissingAnswerAlikeAtTheSameCost() {
        String missing = RequestIds.newId();
        for (String route : List.of("/exports/{id}", "/exports/{id}/history")) {
            Answer foreign = get(route, PARTNER_B, ownedByA);
            Answer absent = get(route, PARTNER_B, missing);
            assertEquals(404, foreign.response.getStatusCode());
            assertEquals(absent.response.getBody().replace(missing, ownedByA), foreign.response.getBody(), route);
            assertEquals(absent.response.getHeaders(), foreign.response.getHeaders(), route);
            assertEquals(absent.calls, foreign.calls, route + ": DynamoDB calls");
            assertEquals(List.of("GetItem"), foreign.calls, route);
            assertEquals(200, get(route, PARTNER_A, ownedByA).response.getStatusCode(), "the owner sees it");
        }
        for (String type : List.of("latest", "all")) {
            Answer foreign = product(PARTNER_B, ownedByA, type);
            Answer absent = product(PARTNER_B, missing, type);
            assertEquals(404, foreign.response.getStatusCode());
            assertEquals(absent.response.getBody().replace(missing, ownedByA), foreign.response.getBody());
            assertEquals(absent.calls, foreign.calls);
        }
    }

    @Test
    void malformedAndAbsurdIdsAre404WithoutATableRead() {
        String notFound = null;
        for (String id : List.of("latest", ownedByA.toUpperCase(), ownedByA + "0", "x".repeat(100_000),
                "../../etc/passwd", "' OR '1'='1", "\u0000", "3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b1\u202e", "")) {
            Answer answer = get("/exports/{id}", PARTNER_A, id);
            assertEquals(404, answer.response.getStatusCode(), id);
            assertEquals(List.of(), answer.calls, "no table read for a malformed id");
            if (notFound == null) {
                notFound = answer.response.getBody();
            }
            assertEquals(notFound, answer.response.getBody(), "one body for every malformed id");
        }
    }

    @Test
    void productHeadersThatMakeNoSenseAre4xx() {
        for (Map.Entry<String, Integer> header : Map.of("newest", 400, "x".repeat(10_000), 400, "\u0000", 400,
                "ALL", 200, " latest ", 200).entrySet()) {
            APIGatewayProxyRequestEvent event = ApiEvents.read("api-get-product.json");
            event.getRequestContext().getIdentity().setUserArn(PARTNER_A);
            event.setHeaders(headers(Map.of("requestid", ownedByA, "type", header.getKey())));
            event.setMultiValueHeaders(null);
            APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
            assertEquals(header.getValue(), response.getStatusCode(), header.getKey() + ": " + response.getBody());
        }
        APIGatewayProxyRequestEvent noId = ApiEvents.read("api-get-product.json");
        noId.setHeaders(headers(Map.of("type", "all")));
        noId.setMultiValueHeaders(null);
        assertEquals(400, handler.handleRequest(noId, null).getStatusCode());
    }

    private record Answer(APIGatewayProxyResponseEvent response, List<String> calls) {
    }

    private Answer get(String route, String caller, String id) {
        APIGatewayProxyRequestEvent event = ApiEvents.read(route.endsWith("history")
                ? "api-get-export-history.json" : "api-get-export.json");
        event.getRequestContext().getIdentity().setUserArn(caller);
        event.setPathParameters(Map.of("id", id));
        calls.clear();
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
        return new Answer(response, List.copyOf(calls));
    }

    private Answer product(String caller, String id, String type) {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-get-product.json");
        event.getRequestContext().getIdentity().setUserArn(caller);
        event.setHeaders(headers(Map.of("requestid", id, "type", type)));
        event.setMultiValueHeaders(null);
        calls.clear();
        APIGatewayProxyResponseEvent response = handler.handleRequest(event, null);
        return new Answer(response, List.copyOf(calls));
    }

    private static Map<String, String> headers(Map<String, String> extra) {
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("Host", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com");
        return headers;
    }
}
