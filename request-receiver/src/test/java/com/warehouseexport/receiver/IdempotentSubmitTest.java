package com.warehouseexport.receiver;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.warehouseexport.receiver.ReceiverTestWorld.PARTNER_A;
import static com.warehouseexport.receiver.ReceiverTestWorld.PARTNER_B;
import static com.warehouseexport.receiver.ReceiverTestWorld.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Idempotency-Key} on POST /exports and /product, against DynamoDB Local and ElasticMQ. */
@LocalAwsTest
class IdempotentSubmitTest {
    private static final String ORDER = "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"}}";
    /** The same order written differently: field order, whitespace, the default format spelled out. */
    private static final String SAME_ORDER = "{ \"format\" : \"CSV\", \"parameters\": {\"sku\": \"FLOWER12\"},"
            + " \"dataset\": \"product_detail\", \"compression\": \"none\" }";
    private static final String OTHER_ORDER = "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER13\"}}";

    private ReceiverTestWorld world;

    @BeforeEach
    void world(DynamoDbClient dynamo, SqsClient sqs) {
        world = new ReceiverTestWorld(dynamo, sqs);
    }

    @Test
    void theSameKeyAndOrderAnswersTheFirstAnswerAndCreatesNothingNew() {
        APIGatewayProxyResponseEvent first = world.call(post("/exports", PARTNER_A, ORDER,
                Map.of("Idempotency-Key", "order-2026-11-21-0001")));
        assertEquals(202, first.getStatusCode(), first.getBody());
        assertNull(first.getHeaders().get(RequestReceiverHandler.REPLAYED_HEADER));

        // header names in any case, the same order written another way
        for (String name : List.of("idempotency-key", "IDEMPOTENCY-KEY", "Idempotency-key")) {
            APIGatewayProxyResponseEvent again = world.call(post("/exports", PARTNER_A, SAME_ORDER,
                    Map.of(name, "order-2026-11-21-0001")));
            assertEquals(202, again.getStatusCode(), again.getBody());
            assertEquals(first.getBody(), again.getBody(), "the same body as the first answer");
            assertEquals("true", again.getHeaders().get(RequestReceiverHandler.REPLAYED_HEADER));
        }
        assertEquals(1, world.requestItems(), "request items");
        assertEquals(1, world.drainQueue().size(), "queue messages");
        String id = Json.parse(first.getBody()).get("requestId").asText();
        assertEquals(2, world.table.history(id).size(), "RECEIVED and QUEUED, nothing more");

        // the idempotency item: the caller's hashed ARN, kept 24 hours
        Map<String, AttributeValue> item = world.items().stream()
                .filter(i -> i.get("sk").s().equals("IDEMPOTENCY")).findFirst().orElseThrow();
        assertTrue(item.get("pk").s().matches("IDEM#[0-9a-f]{64}#order-2026-11-21-0001"), item.get("pk").s());
        assertEquals(id, item.get("requestId").s());
        assertNull(item.get("owner"), "not a request: stays out of the byOwner index");
        long keptSeconds = Long.parseLong(item.get("expiresAt").n())
                - java.time.Instant.parse(item.get("firstUsedAt").s()).getEpochSecond();
        assertEquals(24 * 3600, keptSeconds);
    }

    @Test
    void theSameKeyWithAnotherOrderIs422AndWritesNothing() {
        APIGatewayProxyResponseEvent first = world.call(post("/exports", PARTNER_A, ORDER,
                Map.of("Idempotency-Key", "k1")));
        assertEquals(202, first.getStatusCode());
        world.drainQueue();
        int itemsBefore = world.items().size();

        for (String body : List.of(OTHER_ORDER,
                "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"format\":\"parquet\"}",
                "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"compression\":\"gzip\"}",
                "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"compression\":\"zstd\"}")) {
            APIGatewayProxyResponseEvent reused = world.call(post("/exports", PARTNER_A, body,
                    Map.of("Idempotency-Key", "k1")));
            assertEquals(422, reused.getStatusCode(), reused.getBody());
            JsonNode error = Json.parse(reused.getBody());
            assertEquals("idempotency_key_reused", error.get("error").asText());
            assertEquals(2, error.size(), reused.getBody());
        }
        // a different route with another order under the same key: also a different order
        APIGatewayProxyResponseEvent product = world.call(post("/product", PARTNER_A, "{\"sku\":\"FLOWER12\"}",
                Map.of("Idempotency-Key", "k1")));
        assertEquals(422, product.getStatusCode(), product.getBody());

        assertEquals(itemsBefore, world.items().size());
        assertTrue(world.drainQueue().isEmpty());
    }

    @Test
    void keysBelongToTheirCaller() {
        APIGatewayProxyResponseEvent a = world.call(post("/exports", PARTNER_A, ORDER, Map.of("Idempotency-Key", "shared")));
        APIGatewayProxyResponseEvent b = world.call(post("/exports", PARTNER_B, ORDER, Map.of("Idempotency-Key", "shared")));
        APIGatewayProxyResponseEvent bOther = world.call(post("/exports", PARTNER_B, OTHER_ORDER,
                Map.of("Idempotency-Key", "shared")));
        assertEquals(202, a.getStatusCode());
        assertEquals(202, b.getStatusCode());
        assertNull(b.getHeaders().get(RequestReceiverHandler.REPLAYED_HEADER), "partner-b's first use");
        String idA = Json.parse(a.getBody()).get("requestId").asText();
        String idB = Json.parse(b.getBody()).get("requestId").asText();
        assertNotEquals(idA, idB);
        assertEquals(PARTNER_B, world.table.get(idB).orElseThrow().owner());
        assertEquals(422, bOther.getStatusCode(), "partner-b's own key, now taken by partner-b's order");
        assertEquals(2, world.requestItems());
    }

    @Test
    void withoutAKeyEverySubmissionIsANewRequest() {
        world.call(post("/exports", PARTNER_A, ORDER, Map.of()));
        world.call(post("/exports", PARTNER_A, ORDER, Map.of()));
        assertEquals(2, world.requestItems());
    }

    @Test
    void productRouteRepliesWithItsOwnShape() {
        String body = "{\"sku\":\"FLOWER13\",\"productname\":\"Flowers - Jasmine\",\"createdate\":\"2026-11-01\"}";
        APIGatewayProxyResponseEvent first = world.call(post("/product", PARTNER_A, body, Map.of("Idempotency-Key", "p")));
        APIGatewayProxyResponseEvent again = world.call(post("/product", PARTNER_A, body, Map.of("Idempotency-Key", "p")));
        assertEquals(202, again.getStatusCode());
        assertEquals(first.getBody(), again.getBody());
        assertEquals("RequestId", Json.parse(again.getBody()).fieldNames().next());
        APIGatewayProxyResponseEvent otherName = world.call(post("/product", PARTNER_A,
                body.replace("Jasmine", "Roses"), Map.of("Idempotency-Key", "p")));
        assertEquals(422, otherName.getStatusCode(), "the reference fields are part of the order");
        assertEquals(1, world.requestItems());
    }

    @Test
    void concurrentDuplicatesCreateOneRequest() throws Exception {
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<APIGatewayProxyResponseEvent>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return world.call(post("/exports", PARTNER_A, ORDER, Map.of("Idempotency-Key", "race")));
                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            int replays = 0;
            for (Future<APIGatewayProxyResponseEvent> answer : answers) {
                APIGatewayProxyResponseEvent response = answer.get();
                assertEquals(202, response.getStatusCode(), response.getBody());
                ids.add(Json.parse(response.getBody()).get("requestId").asText());
                replays += "true".equals(response.getHeaders().get(RequestReceiverHandler.REPLAYED_HEADER)) ? 1 : 0;
            }
            assertEquals(1, ids.size(), ids::toString);
            assertEquals(callers - 1, replays);
            assertEquals(1, world.requestItems());
            int messages = world.drainQueue().size();
            assertEquals(1, messages, "the losers leave the queueing to the winner");
            System.out.println("idempotency race: " + callers + " callers, 1 request, " + messages + " message(s)");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRetryAfterTheQueueWasDownQueuesTheRecordedRequest() {
        APIGatewayProxyResponseEvent down = world.handlerFor(world.queueUrl + "-missing")
                .handleRequest(post("/exports", PARTNER_A, ORDER, Map.of("Idempotency-Key", "retry-me")), null);
        assertEquals(503, down.getStatusCode(), down.getBody());
        assertEquals(1, world.requestItems());
        assertTrue(world.drainQueue().isEmpty());

        APIGatewayProxyResponseEvent early = world.call(post("/exports", PARTNER_A, ORDER,
                Map.of("Idempotency-Key", "retry-me")));
        assertEquals(202, early.getStatusCode(), early.getBody());
        assertEquals("RECEIVED", Json.parse(early.getBody()).get("status").asText(),
                "within the grace the first attempt may still be queueing it");
        assertTrue(world.drainQueue().isEmpty());

        // the caller retries a few seconds later
        Clock later = Clock.offset(Clock.systemUTC(), ExportSubmissionService.REQUEUE_GRACE.plusSeconds(1));
        APIGatewayProxyResponseEvent retry = world.handlerFor(world.queueUrl, later).handleRequest(
                post("/exports", PARTNER_A, ORDER, Map.of("Idempotency-Key", "retry-me")), null);
        assertEquals(202, retry.getStatusCode(), retry.getBody());
        String id = Json.parse(retry.getBody()).get("requestId").asText();
        assertEquals("QUEUED", Json.parse(retry.getBody()).get("status").asText());
        assertEquals(RequestState.QUEUED, world.table.get(id).orElseThrow().state());
        assertEquals(1, world.requestItems());
        assertEquals(1, world.drainQueue().size());
    }

    @Test
    void invalidKeysAre400AndWriteNothing() {
        for (String key : List.of("", "x".repeat(256), "caf\u00e9", "tab\there", "new\nline", "\u0000", "emoji\uD83D\uDE00")) {
            APIGatewayProxyResponseEvent response = world.call(post("/exports", PARTNER_A, ORDER,
                    Map.of("Idempotency-Key", key)));
            assertEquals(400, response.getStatusCode(), key);
            assertEquals("invalid_idempotency_key", Json.parse(response.getBody()).get("error").asText());
        }
        var event = post("/exports", PARTNER_A, ORDER, Map.of());
        event.getMultiValueHeaders().put("Idempotency-Key", List.of("a", "b"));
        assertEquals(400, world.call(event).getStatusCode(), "two different keys");
        assertEquals(202, world.call(post("/exports", PARTNER_A, ORDER, Map.of("Idempotency-Key", "x".repeat(255))))
                .getStatusCode(), "255 characters is fine");
        assertEquals(202, world.call(post("/exports", PARTNER_A, ORDER, Map.of("Idempotency-Key", " !~{}\"'\\")))
                .getStatusCode(), "any printable ASCII");
        assertEquals(2, world.requestItems());
    }
}
