package com.warehouseexport.model.table;

import static com.warehouseexport.model.table.RequestItems.PK;
import static com.warehouseexport.model.table.RequestItems.SK;
import static com.warehouseexport.model.table.RequestItems.n;
import static com.warehouseexport.model.table.RequestItems.s;

import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.domain.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The warehouse statement semaphore: one item ({@code pk = LIMIT#statements}, {@code sk = SEMAPHORE}) whose
 * {@code running} is the number of requests in SUBMITTED or RUNNING, i.e. holding a statement slot.
 * {@link ControlTable} changes it in the same transaction as the state, conditioned on {@code running < max}
 * when a limit is set, so the count never drifts from the requests and a slot is never taken twice.
 * {@code changes} grows on every change; {@link #reconcile} uses it to correct the count only if nothing moved.
 */
public final class StatementSlots {
    static final String SLOTS_PK = "LIMIT#statements";
    static final String SLOTS_SK = "SEMAPHORE";
    static final String RUNNING = "running";
    static final String CHANGES = "changes";
    static final String CHANGED_AT = "changedAt";

    private final DynamoDbClient dynamo;
    private final String tableName;

    public StatementSlots(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    /** A request in this state holds one of the warehouse's statement slots. */
    public static boolean holdsSlot(RequestState state) {
        return state == RequestState.SUBMITTED || state == RequestState.RUNNING;
    }

    static Map<String, AttributeValue> key() {
        return Map.of(PK, s(SLOTS_PK), SK, s(SLOTS_SK));
    }

    /** The transaction part that takes ({@code +1}, capped when {@code limit > 0}) or gives back ({@code -1}) a slot. */
    static Update change(String tableName, int delta, int limit, Instant now) {
        Map<String, String> names = Map.of("#running", RUNNING, "#changes", CHANGES, "#changedAt", CHANGED_AT);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":delta", n(delta));
        values.put(":zero", n(0));
        values.put(":one", n(1));
        values.put(":now", s(Timestamps.format(now)));
        Update.Builder update = Update.builder()
                .tableName(tableName)
                .key(key())
                .updateExpression("SET #running = if_not_exists(#running, :zero) + :delta, "
                        + "#changes = if_not_exists(#changes, :zero) + :one, #changedAt = :now")
                .expressionAttributeNames(names);
        if (delta > 0 && limit > 0) {
            values.put(":max", n(limit));
            update.conditionExpression("attribute_not_exists(#running) OR #running < :max");
        }
        // A release is never refused: refusing it would block the request's move for good.
        return update.expressionAttributeValues(values).build();
    }

    /** The semaphore as stored now (strongly consistent); zeros when no slot was ever taken. */
    public Snapshot read() {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(tableName).key(key())
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return new Snapshot(0, 0, null);
        }
        return new Snapshot(number(item.get(RUNNING)), number(item.get(CHANGES)),
                item.containsKey(CHANGED_AT) ? Timestamps.parse(item.get(CHANGED_AT).s()) : null);
    }

    /**
     * Sets {@code running} to the number of requests that really hold a slot, if it differs, the semaphore has
     * not changed for {@code quietFor} (so the eventually consistent index has caught up with every move) and
     * nothing changes it meanwhile. Only a safety net: moves and slots share transactions, so drift needs a
     * write outside this code. Returns the correction made ({@code 0} when none).
     */
    public long reconcile(ControlTable table, Instant now, Duration quietFor, int inFlightLimit) {
        Snapshot seen = read();
        if (seen.changedAt() == null || seen.changedAt().plus(quietFor).isAfter(now)) {
            return 0;
        }
        List<ExportRequest> inFlight = table.inFlight(inFlightLimit);
        if (inFlight.size() >= inFlightLimit) {
            return 0;   // not the whole picture: do not guess
        }
        long holding = inFlight.stream().map(ExportRequest::requestId).map(table::get).flatMap(Optional::stream)
                .filter(r -> holdsSlot(r.state())).count();
        if (holding == seen.running()) {
            return 0;
        }
        try {
            dynamo.updateItem(r -> r.tableName(tableName).key(key())
                    .updateExpression("SET #running = :holding, #changes = #changes + :one")
                    .conditionExpression("#changes = :seen")
                    .expressionAttributeNames(Map.of("#running", RUNNING, "#changes", CHANGES))
                    .expressionAttributeValues(Map.of(":holding", n(holding), ":one", n(1),
                            ":seen", n(seen.changes()))));
            return holding - seen.running();
        } catch (ConditionalCheckFailedException e) {
            return 0;   // a slot moved meanwhile: the next sweep looks again
        }
    }

    private static long number(AttributeValue value) {
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    /** {@code running}: slots held; {@code changes}: how many times it changed; {@code changedAt}: last change. */
    public record Snapshot(long running, long changes, Instant changedAt) {
    }
}
