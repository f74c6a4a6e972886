package com.warehouseexport.receiver;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static com.warehouseexport.receiver.ReceiverTestWorld.PARTNER_A;
import static com.warehouseexport.receiver.ReceiverTestWorld.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile bodies and headers: a clear 4xx, never a 5xx or a stack trace, and nothing written anywhere. */
@LocalAwsTest
class HostileInputTest {
    private static final String ORDER = "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"}}";

    private ReceiverTestWorld world;

    @BeforeEach
    void world(DynamoDbClient dynamo, SqsClient sqs) {
        world = new ReceiverTestWorld(dynamo, sqs);
    }

    @Test
    void contentTypeMustBeJson() {
        for (String type : new String[] {"text/plain", "application/xml", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/json; charset=iso-8859-1", "application/jsonx",
                "application/problem+json", "json", ""}) {
            assertRejected(world.call(post("/exports", PARTNER_A, ORDER, Map.of("Content-Type", type))), 415,
                    "unsupported_media_type");
        }
        for (String type : new String[] {"application/json", "Application/JSON", "application/json; charset=utf-8",
                "application/json;charset=UTF-8", "application/json; charset=\"utf-8\""}) {
            APIGatewayProxyResponseEvent ok = world.call(post("/exports", PARTNER_A, ORDER, Map.of("content-type", type)));
            assertEquals(202, ok.getStatusCode(), type + ": " + ok.getBody());
        }
        Map<String, String> none = new HashMap<>();
        none.put("Content-Type", null);
        assertEquals(202, world.call(post("/exports", PARTNER_A, ORDER, none)).getStatusCode(),
                "a missing Content-Type is taken as JSON");
    }

    @Test
    void tooLargeBodiesAre413HoweverTheyArrive() {
        String big = "{\"dataset\":\"" + "x".repeat(ExportOrderReader.MAX_BODY_BYTES) + "\"}";
        assertRejected(world.call(post("/exports", PARTNER_A, big, Map.of())), 413, "body_too_large");

        // 30,000 three-byte characters: under 64 Ki characters, over 64 KiB
        String wide = "{\"dataset\":\"" + "\u20ac".repeat(30_000) + "\"}";
        assertRejected(world.call(post("/exports", PARTNER_A, wide, Map.of())), 413, "body_too_large");

        APIGatewayProxyRequestEvent base64 = post("/exports", PARTNER_A, Base64.getEncoder().encodeToString(
                big.getBytes(StandardCharsets.UTF_8)), Map.of());
        base64.setIsBase64Encoded(true);
        assertRejected(world.call(base64), 413, "body_too_large");

        // A Content-Length header is never believed: the body is measured
        assertRejected(world.call(post("/exports", PARTNER_A, big, Map.of("Content-Length", "10"))), 413,
                "body_too_large");
        APIGatewayProxyResponseEvent small = world.call(post("/exports", PARTNER_A, ORDER,
                Map.of("Content-Length", "99999999")));
        assertEquals(202, small.getStatusCode(), small.getBody());
    }

    @Test
    void base64BodiesMustDecodeToUtf8() {
        APIGatewayProxyRequestEvent notBase64 = post("/exports", PARTNER_A, "%%%not base64%%%", Map.of());
        notBase64.setIsBase64Encoded(true);
        assertRejected(world.call(notBase64), 400, "invalid_body");

        byte[] latin1 = "{\"dataset\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        APIGatewayProxyRequestEvent notUtf8 = post("/exports", PARTNER_A, Base64.getEncoder().encodeToString(latin1),
                Map.of());
        notUtf8.setIsBase64Encoded(true);
        assertRejected(world.call(notUtf8), 400, "invalid_body");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"dataset\":\"product_detail\",\"dataset\":\"product_inventory\",\"parameters\":{\"sku\":\"FLOWER12\"}}",
            "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\",\"sku\":\"FLOWER13\"}}"})
    void duplicateKeysAreRefused(String body) {
        JsonNode error = assertRejected(world.call(post("/exports", PARTNER_A, body, Map.of())), 400, "invalid_json");
        assertTrue(error.get("message").asText().contains("Duplicate field"), error.toString());
    }

    @Test
    void deepNestingIsRefusedCheaply() {
        String deep = "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":" + "[".repeat(5000) + "]".repeat(5000) + "}}";
        JsonNode error = assertRejected(world.call(post("/exports", PARTNER_A, deep, Map.of())), 400, "invalid_json");
        assertTrue(error.get("message").asText().contains("nesting depth"), error.toString());
        assertFalse(error.get("message").asText().contains("StreamReadConstraints"), error.toString());
    }

    @Test
    void hugeNumbersAndStringsAreRefused() {
        assertRejected(world.call(post("/exports", PARTNER_A, "{\"dataset\":\"product_inventory\",\"parameters\":"
                + "{\"limit\":" + "9".repeat(500) + "}}", Map.of())), 400, "invalid_json");
        assertRejected(world.call(post("/exports", PARTNER_A, "{\"dataset\":\"product_inventory\",\"parameters\":"
                + "{\"limit\":1e999999999}}", Map.of())), 400, "invalid_parameter");
        assertRejected(world.call(post("/exports", PARTNER_A, "{\"dataset\":\"product_inventory\",\"parameters\":"
                + "{\"limit\":99999999999999999999}}", Map.of())), 400, "invalid_parameter");
        assertRejected(world.call(post("/exports", PARTNER_A, "{\"dataset\":\"product_detail\",\"parameters\":"
                + "{\"sku\":\"" + "A".repeat(60_000) + "\"}}", Map.of())), 400, "invalid_parameter");
    }

    @Test
    void trickyTextIsRefused() {
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\\u202e\"}}", "invalid_parameter");
        bodies.put("{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER\\u200b12\"}}", "invalid_parameter");
        bodies.put("{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"\\ud800\"}}", "invalid_parameter");
        bodies.put("{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\\u0000\"}}", "invalid_parameter");
        bodies.put("{\"dataset\":\"product_detail\\u0000\",\"parameters\":{}}", "unknown_dataset");
        bodies.put("{\"dataset\":\"product_\\u0434etail\",\"parameters\":{}}", "unknown_dataset");
        bodies.put("{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"format\":\"c\\u0455v\"}",
                "invalid_format");
        bodies.put("{\"sku\":\"FLOWER12\",\"productname\":\"Roses\\u202e\"}", "invalid_parameter");
        bodies.forEach((body, code) -> {
            String resource = body.startsWith("{\"sku\"") ? "/product" : "/exports";
            assertRejected(world.call(post(resource, PARTNER_A, body, Map.of())), 400, code);
        });
    }

    private JsonNode assertRejected(APIGatewayProxyResponseEvent response, int status, String code) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        JsonNode body = Json.parse(response.getBody());
        assertEquals(code, body.get("error").asText(), response.getBody());
        assertFalse(response.getBody().contains("Exception"), response.getBody());
        assertFalse(response.getBody().contains("\tat "), response.getBody());
        assertEquals(0, world.items().size(), "control table items");
        assertTrue(world.drainQueue().isEmpty(), "queue messages");
        return body;
    }
}
