package com.warehouseexport.model.table;

import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.domain.StatusEvent;
import com.warehouseexport.model.json.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.warehouseexport.model.domain.RequestState.CANCELLED;
import static com.warehouseexport.model.domain.RequestState.FAILED;
import static com.warehouseexport.model.domain.RequestState.PACKAGING;
import static com.warehouseexport.model.domain.RequestState.QUEUED;
import static com.warehouseexport.model.domain.RequestState.RECEIVED;
import static com.warehouseexport.model.domain.RequestState.RUNNING;
import static com.warehouseexport.model.domain.RequestState.SUBMITTED;
import static com.warehouseexport.model.domain.RequestState.SUCCEEDED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ControlTable against DynamoDB Local: conditions, transactions, indexes, TTL. One table per test. */
@LocalAwsTest
class ControlTableTest {
    private static final Duration TTL = Duration.ofDays(7);
    private static final Instant START = Instant.parse("2025-03-01T10:00:00.123Z");

    private final DynamoDbClient dynamo;
    private final String tableName = "control-" + UUID.randomUUID();
    private final MutableClock clock = new MutableClock(START);
    private final ControlTable table;
    private final Dataset inventory = DatasetCatalog.load(null).get("product_inventory").orElseThrow();

    ControlTableTest(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
        assertTrue(ControlTableSchema.createTableIfMissing(dynamo, tableName));
        this.table = new ControlTable(dynamo, tableName, TTL, clock);
    }

    @Test
    void createdRequestReadsBackFieldForField() {
        ExportRequest request = newRequest("arn:aws:iam::000000000000:user/alice");
        table.create(request);

        ExportRequest stored = table.get(request.requestId()).orElseThrow();
        assertEquals(request, stored);
        assertFalse(stored.parameters().toJson().has("min_quantity"), "absent optional parameters stay absent");
        List<StatusEvent> history = table.history(request.requestId());
        assertEquals(List.of(new StatusEvent(RECEIVED, START, 1, "request accepted")), history);
        assertFalse(table.get(RequestIds.newId()).isPresent());
        assertTrue(table.history(RequestIds.newId()).isEmpty());
    }

    @Test
    void compressionIsStoredAndItemsWithoutItReadAsNone() {
        ExportRequest plain = newRequest("owner");
        ExportRequest zstd = ExportRequest.received(RequestIds.newId(), "owner", plain.dataset(), plain.parameters(),
                ExportFormat.CSV, Compression.ZSTD, clock.instant());
        table.create(plain);
        table.create(zstd);
        assertFalse(rawRequestItem(plain.requestId()).containsKey("compression"), "no attribute when uncompressed");
        assertEquals("ZSTD", rawRequestItem(zstd.requestId()).get("compression").s());
        assertEquals(Compression.NONE, table.get(plain.requestId()).orElseThrow().compression());
        ExportRequest stored = table.get(zstd.requestId()).orElseThrow();
        assertEquals(zstd, stored);
        assertEquals("csv.zst", stored.fileExtension());
        // a state change keeps it, both in the returned copy and in the item
        ExportRequest queued = table.transition(stored, QUEUED, "queued", null);
        assertEquals(Compression.ZSTD, queued.compression());
        assertEquals(Compression.ZSTD, table.get(zstd.requestId()).orElseThrow().compression());
    }

    @Test
    void creatingTheSameIdTwiceConflicts() {
        ExportRequest request = newRequest("owner");
        table.create(request);
        ConflictException e = assertThrows(ConflictException.class, () -> table.create(request));
        assertEquals(ConflictException.Reason.ALREADY_EXISTS, e.reason());
        assertEquals(1, table.history(request.requestId()).size());
    }

    @Test
    void happyPathMovesForwardAndRecordsEveryStep() {
        ExportRequest request = table.create(newRequest("owner"));
        String id = request.requestId();
        ExportRequest queued = step(table.transition(id, RECEIVED, 1, QUEUED, "sent to queue", null));
        assertEquals(QUEUED, queued.state());
        assertEquals(2, queued.version());
        ExportRequest submitted = step(table.transition(queued, SUBMITTED, "ExecuteStatement", null));
        ExportRequest withStatement = table.setStatementId(id, "stmt-1");
        assertEquals("stmt-1", withStatement.statementId());
        assertEquals(3, withStatement.version(), "storing the statement id is not a state change");
        ExportRequest running = step(table.transition(id, SUBMITTED, 3, RUNNING, "STARTED", null));
        ExportRequest packaging = step(table.transition(running, PACKAGING, "FINISHED", null));
        ExportResult result = new ExportResult(1234, 56789, ExportFormat.CSV, 3, "https://example/x?sig=1",
                START.plus(Duration.ofHours(1)), "archives/" + id + "/" + id + ".zip");
        ExportRequest succeeded = table.transition(packaging, SUCCEEDED, "archived", RequestUpdate.withResult(result));

        ExportRequest stored = table.get(id).orElseThrow();
        assertEquals(succeeded, stored, "locally computed request matches the stored one");
        assertEquals(SUCCEEDED, stored.state());
        assertEquals(6, stored.version());
        assertEquals("stmt-1", stored.statementId());
        assertEquals(result, stored.result());
        assertNull(stored.error());
        assertEquals(List.of(RECEIVED, QUEUED, SUBMITTED, RUNNING, PACKAGING, SUCCEEDED),
                table.history(id).stream().map(StatusEvent::state).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), table.history(id).stream().map(StatusEvent::version).toList());
        assertFalse(rawRequestItem(id).containsKey("inFlight"));
        assertEquals(withStatement.createdAt(), stored.createdAt());
    }

    @Test
    void failureRecordsTheError() {
        ExportRequest request = table.create(newRequest("owner"));
        ExportError error = new ExportError("warehouse_error", "relation \"x\" does not exist " + "x".repeat(5000));
        ExportRequest failed = table.transition(request.requestId(), RECEIVED, 1, FAILED, "FAILED",
                RequestUpdate.withError(error));
        assertEquals(FAILED, failed.state());
        assertEquals("warehouse_error", failed.error().code());
        assertEquals(RequestItems.MAX_MESSAGE_LENGTH, failed.error().message().length(), "long messages are cut");
    }

    @Test
    void staleVersionOrStateConflictsWithTheCurrentRequest() {
        ExportRequest request = table.create(newRequest("owner"));
        String id = request.requestId();
        table.transition(id, RECEIVED, 1, QUEUED, null, null);

        ConflictException wrongVersion = assertThrows(ConflictException.class,
                () -> table.transition(id, QUEUED, 1, SUBMITTED, null, null));
        assertEquals(ConflictException.Reason.STALE, wrongVersion.reason());
        assertEquals(QUEUED, wrongVersion.current().orElseThrow().state());
        assertEquals(2, wrongVersion.current().orElseThrow().version());

        ConflictException wrongState = assertThrows(ConflictException.class,
                () -> table.transition(id, RECEIVED, 2, QUEUED, null, null));
        assertEquals(ConflictException.Reason.STALE, wrongState.reason());

        ConflictException missing = assertThrows(ConflictException.class,
                () -> table.transition(RequestIds.newId(), RECEIVED, 1, QUEUED, null, null));
        assertEquals(ConflictException.Reason.NOT_FOUND, missing.reason());
        assertEquals(2, table.history(id).size(), "failed moves leave no events");
    }

    @Test
    void backwardAndFromFinalMovesAreRefusedBeforeWriting() {
        ExportRequest request = table.create(newRequest("owner"));
        String id = request.requestId();
        ExportRequest running = table.transition(table.transition(table.transition(request, QUEUED, null, null),
                SUBMITTED, null, null), RUNNING, null, null);
        assertThrows(IllegalArgumentException.class, () -> table.transition(running, QUEUED, null, null));
        assertThrows(IllegalArgumentException.class, () -> table.transition(running, RUNNING, null, null));
        assertThrows(IllegalArgumentException.class, () -> table.transition(running, SUCCEEDED, null, null));
        ExportRequest cancelled = table.transition(running, CANCELLED, "by owner", null);
        assertThrows(IllegalArgumentException.class, () -> table.transition(cancelled, FAILED, null, null));
        assertEquals(CANCELLED, table.get(id).orElseThrow().state());
        assertEquals(5, table.history(id).size());
    }

    @Test
    void concurrentTransitionsFromTheSameVersionHaveExactlyOneWinner() throws Exception {
        int rounds = 10;
        int contenders = 6;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            for (int round = 0; round < rounds; round++) {
                ExportRequest request = table.create(newRequest("owner"));
                String id = request.requestId();
                table.transition(id, RECEIVED, 1, QUEUED, null, null);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<RequestState>> outcomes = new ArrayList<>();
                for (int c = 0; c < contenders; c++) {
                    // Half try the normal move, half try to cancel: different targets, same expectation.
                    RequestState target = c % 2 == 0 ? SUBMITTED : CANCELLED;
                    Callable<RequestState> attempt = () -> {
                        go.await();
                        try {
                            return table.transition(id, QUEUED, 2, target, "contender", null).state();
                        } catch (ConflictException e) {
                            assertEquals(ConflictException.Reason.STALE, e.reason());
                            return null;
                        }
                    };
                    outcomes.add(pool.submit(attempt));
                }
                go.countDown();
                List<RequestState> winners = new ArrayList<>();
                for (Future<RequestState> outcome : outcomes) {
                    RequestState state = outcome.get(30, TimeUnit.SECONDS);
                    if (state != null) {
                        winners.add(state);
                    }
                }
                assertEquals(1, winners.size(), "winners: " + winners);
                ExportRequest stored = table.get(id).orElseThrow();
                assertEquals(winners.get(0), stored.state());
                assertEquals(3, stored.version());
                assertEquals(3, table.history(id).size(), "exactly one event for the contested move");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void historyReturnsEveryEventOldestFirstAcrossPages() {
        ExportRequest request = table.create(newRequest("owner"));
        String id = request.requestId();
        // The state machine allows at most 7 events; write more directly to exercise ordering past
        // EVENT#000009 and paging (25 events, 4 per page).
        for (int version = 2; version <= 25; version++) {
            Map<String, AttributeValue> event = RequestItems.eventItem(id, version, QUEUED,
                    START.plusSeconds(version), "event " + version, 1L);
            dynamo.putItem(r -> r.tableName(tableName).item(event));
        }
        ControlTable smallPages = new ControlTable(dynamo, tableName, TTL, clock).withHistoryPageSize(4);
        List<StatusEvent> history = smallPages.history(id);
        assertEquals(25, history.size());
        for (int i = 0; i < history.size(); i++) {
            assertEquals(i + 1, history.get(i).version());
        }
        assertEquals(25, table.history(id).size());
    }

    @Test
    void inFlightIndexHoldsExactlyTheNonFinalRequestsOldestFirst() {
        ExportRequest first = table.create(newRequest("owner"));
        clock.advance(Duration.ofSeconds(1));
        ExportRequest second = table.create(newRequest("owner"));
        clock.advance(Duration.ofSeconds(1));
        ExportRequest third = table.create(newRequest("owner"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(first.requestId(), second.requestId(), third.requestId()), ids(table.inFlight(10)));
        assertEquals(List.of(first.requestId(), second.requestId()), ids(table.inFlight(2)));

        table.transition(first, QUEUED, null, null); // now the most recently updated
        assertEquals(List.of(second.requestId(), third.requestId(), first.requestId()), ids(table.inFlight(10)));
        assertEquals("1", rawRequestItem(first.requestId()).get("inFlight").s());

        table.transition(second, FAILED, "boom", RequestUpdate.withError(new ExportError("x", "y")));
        table.transition(third, CANCELLED, null, null);
        assertEquals(List.of(first.requestId()), ids(table.inFlight(10)));
        assertFalse(rawRequestItem(second.requestId()).containsKey("inFlight"));
        assertFalse(rawRequestItem(third.requestId()).containsKey("inFlight"));
    }

    @Test
    void byOwnerListsOnlyThatCallersRequestsNewestFirst() {
        String alice = "arn:aws:iam::000000000000:user/alice";
        List<String> aliceIds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            aliceIds.add(table.create(newRequest(alice)).requestId());
            clock.advance(Duration.ofMillis(5));
        }
        String bobId = table.create(newRequest("arn:aws:iam::000000000000:user/bob")).requestId();
        List<String> newestFirst = new ArrayList<>(aliceIds);
        java.util.Collections.reverse(newestFirst);

        assertEquals(newestFirst, ids(table.byOwner(alice, 10)));
        assertEquals(newestFirst.subList(0, 2), ids(table.byOwner(alice, 2)));
        assertEquals(List.of(bobId), ids(table.byOwner("arn:aws:iam::000000000000:user/bob", 10)));
        assertTrue(table.byOwner("nobody", 10).isEmpty());
    }

    @Test
    void everyItemCarriesTheTtlAttributeRefreshedOnChange() {
        ExportRequest request = table.create(newRequest("owner"));
        String id = request.requestId();
        long atCreation = START.plus(TTL).getEpochSecond();
        assertEquals(atCreation, Long.parseLong(rawRequestItem(id).get("expiresAt").n()));
        clock.advance(Duration.ofHours(5));
        table.transition(request, QUEUED, null, null);
        long afterChange = START.plus(Duration.ofHours(5)).plus(TTL).getEpochSecond();

        QueryResponse items = dynamo.query(r -> r.tableName(tableName).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("REQ#" + id))).consistentRead(true));
        assertEquals(3, items.count());
        for (Map<String, AttributeValue> item : items.items()) {
            assertTrue(item.containsKey("expiresAt"), "no TTL on " + item.get("sk"));
        }
        assertEquals(afterChange, Long.parseLong(rawRequestItem(id).get("expiresAt").n()));
        assertEquals(TimeToLiveStatus.ENABLED, dynamo.describeTimeToLive(r -> r.tableName(tableName))
                .timeToLiveDescription().timeToLiveStatus());
        assertEquals("expiresAt", dynamo.describeTimeToLive(r -> r.tableName(tableName))
                .timeToLiveDescription().attributeName());
    }

    @Test
    void statementIdIsStoredOnce() {
        ExportRequest request = table.create(newRequest("owner"));
        String id = request.requestId();
        assertEquals("stmt-a", table.setStatementId(id, "stmt-a").statementId());
        ConflictException again = assertThrows(ConflictException.class, () -> table.setStatementId(id, "stmt-b"));
        assertEquals(ConflictException.Reason.STATEMENT_ALREADY_SET, again.reason());
        assertEquals("stmt-a", again.current().orElseThrow().statementId());
        assertEquals("stmt-a", table.get(id).orElseThrow().statementId());
        ConflictException missing = assertThrows(ConflictException.class,
                () -> table.setStatementId(RequestIds.newId(), "stmt-c"));
        assertEquals(ConflictException.Reason.NOT_FOUND, missing.reason());
        assertFalse(table.get(id).isEmpty());
    }

    @Test
    void storedParametersKeepTheirTypes() {
        ExportRequest request = newRequest("owner");
        table.create(request);
        Map<String, AttributeValue> item = rawRequestItem(request.requestId());
        assertEquals(Json.write(request.parameters().toStoredJson()), item.get("parameters").s());
        assertEquals(request.parameters(), table.get(request.requestId()).orElseThrow().parameters());
        assertEquals("CSV", item.get("format").s());
        assertEquals("2025-03-01T10:00:00.123Z", item.get("createdAt").s());
    }

    private ExportRequest step(ExportRequest request) {
        clock.advance(Duration.ofMillis(250));
        return request;
    }

    private ExportRequest newRequest(String owner) {
        ValidatedParameters parameters = inventory.validate(Json.parse("""
                {"sku": "AB-1", "warehouse_id": 7, "is_active": true, "restocked_since": "2024-02-29",
                 "category": "Jasmine", "limit": 500}""")).parameters();
        return ExportRequest.received(RequestIds.newId(), owner, inventory.name(), parameters, ExportFormat.CSV,
                clock.instant());
    }

    private Map<String, AttributeValue> rawRequestItem(String requestId) {
        return dynamo.getItem(r -> r.tableName(tableName).key(RequestItems.key(requestId)).consistentRead(true)).item();
    }

    private static List<String> ids(List<ExportRequest> requests) {
        return requests.stream().map(ExportRequest::requestId).toList();
    }
}
