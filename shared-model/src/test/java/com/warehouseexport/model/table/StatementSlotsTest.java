package com.warehouseexport.model.table;

import static com.warehouseexport.model.domain.RequestState.FAILED;
import static com.warehouseexport.model.domain.RequestState.PACKAGING;
import static com.warehouseexport.model.domain.RequestState.QUEUED;
import static com.warehouseexport.model.domain.RequestState.RUNNING;
import static com.warehouseexport.model.domain.RequestState.SUBMITTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The statement semaphore moves with the state, in the same transactions, and caps the moves into SUBMITTED. */
@LocalAwsTest
class StatementSlotsTest {
    private static final Instant START = Instant.parse("2025-03-01T10:00:00.123Z");

    private final DynamoDbClient dynamo;
    private final String tableName = "slots-" + UUID.randomUUID();
    private final MutableClock clock = new MutableClock(START);
    private final ControlTable table;
    private final StatementSlots slots;
    private final Dataset detail = DatasetCatalog.load(null).get("product_detail").orElseThrow();

    StatementSlotsTest(DynamoDbClient dynamo) {
        this.dynamo = dynamo;
        ControlTableSchema.createTableIfMissing(dynamo, tableName);
        this.table = new ControlTable(dynamo, tableName, Duration.ofDays(7), clock);
        this.slots = new StatementSlots(dynamo, tableName);
    }

    @Test
    void slotsFollowTheStatesAndTheLimitRefusesTheThirdSubmission() {
        ControlTable limited = table.withStatementLimit(2);
        ExportRequest a = limited.transition(queued(), SUBMITTED, "a", RequestUpdate.none());
        ExportRequest b = limited.transition(queued(), SUBMITTED, "b", RequestUpdate.none());
        ExportRequest c = queued();
        assertEquals(2, slots.read().running());

        StatementLimitException refused = assertThrows(StatementLimitException.class,
                () -> limited.transition(c, SUBMITTED, "c", RequestUpdate.none()));
        assertEquals(2, refused.limit());
        assertEquals(QUEUED, table.get(c.requestId()).orElseThrow().state(), "nothing written for the refused move");
        assertEquals(2, table.history(c.requestId()).size(), "no event for the refused move");

        a = limited.transition(a, RUNNING, "running", RequestUpdate.none());
        assertEquals(2, slots.read().running(), "SUBMITTED -> RUNNING keeps the slot");
        limited.transition(a, PACKAGING, "finished", RequestUpdate.none());
        assertEquals(1, slots.read().running(), "leaving RUNNING gives the slot back");
        limited.transition(c, SUBMITTED, "c again", RequestUpdate.none());
        limited.transition(b, FAILED, "failed", RequestUpdate.withError(new ExportError("x", "y")));
        assertEquals(1, slots.read().running(), "FAILED from SUBMITTED gives it back too");
    }

    @Test
    void concurrentSubmissionsNeverTakeMoreThanTheLimit() throws Exception {
        ControlTable limited = table.withStatementLimit(3);
        List<ExportRequest> requests = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            requests.add(queued());
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Boolean>> results = new ArrayList<>();
        for (ExportRequest request : requests) {
            Callable<Boolean> submit = () -> {
                try {
                    limited.transition(request, SUBMITTED, "race", RequestUpdate.none());
                    return true;
                } catch (StatementLimitException e) {
                    return false;
                }
            };
            results.add(pool.submit(submit));
        }
        int won = 0;
        for (Future<Boolean> result : results) {
            won += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(3, won);
        assertEquals(3, slots.read().running());
        long submitted = requests.stream().map(r -> table.get(r.requestId()).orElseThrow())
                .filter(r -> r.state() == SUBMITTED).count();
        assertEquals(3, submitted);
    }

    @Test
    void reconcileCorrectsADriftedCountOnlyOnceTheSemaphoreIsQuiet() {
        table.transition(queued(), SUBMITTED, "holds one", RequestUpdate.none());
        // a write outside ControlTable (an operator, an older version) leaves the count wrong
        dynamo.updateItem(r -> r.tableName(tableName).key(StatementSlots.key())
                .updateExpression("SET #running = :five")
                .expressionAttributeNames(Map.of("#running", StatementSlots.RUNNING))
                .expressionAttributeValues(Map.of(":five", RequestItems.n(5))));
        assertEquals(0, slots.reconcile(table, clock.instant(), Duration.ofMinutes(1), 1000),
                "too soon after the last change");
        clock.advance(Duration.ofMinutes(2));
        assertEquals(-4, slots.reconcile(table, clock.instant(), Duration.ofMinutes(1), 1000));
        assertEquals(1, slots.read().running());
        assertEquals(0, slots.reconcile(table, clock.instant(), Duration.ofMinutes(1), 1000), "nothing left to fix");
        assertTrue(slots.read().changes() >= 2);
    }

    private ExportRequest queued() {
        ExportRequest request = ExportRequest.received(RequestIds.newId(), "arn:aws:iam::000000000000:user/a",
                detail.name(), detail.validate(Json.parse("{\"sku\":\"FLOWER12\"}")).parameters(), ExportFormat.CSV,
                clock.instant());
        table.create(request);
        return table.transition(request, QUEUED, "queued", RequestUpdate.none());
    }
}
