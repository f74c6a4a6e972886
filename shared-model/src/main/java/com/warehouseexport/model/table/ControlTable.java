package com.warehouseexport.model.table;

import com.warehouseexport.model.aws.AwsClients;
import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.domain.StatusEvent;
import com.warehouseexport.model.domain.Timestamps;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static com.warehouseexport.model.table.RequestItems.*;

/**
 * The control table (design page): one request item and one event item per state change, every change one
 * {@code TransactWriteItems} conditioned on the expected state and version. Low-level client, hand-written
 * mapping ({@link RequestItems}).
 *
 * <p>TTL: every write sets {@code expiresAt} = now + TTL on the items it writes, so a request's items expire
 * TTL after its last change (never while it is in flight, for any sensible TTL).
 */
public final class ControlTable {
    /** Attempts when DynamoDB cancels a transaction because another one touched the item at the same time. */
    private static final int CONTENTION_ATTEMPTS = 5;

    private final DynamoDbClient dynamo;
    private final String tableName;
    private final Duration ttl;
    private final Clock clock;
    /** Items per history page; {@code null}: DynamoDB's own (1 MB) pages. Small only in tests. */
    private final Integer historyPageSize;
    /** Most requests holding a statement slot at once; 0: slots are counted but not capped. */
    private final int statementLimit;

    public ControlTable(DynamoDbClient dynamo, String tableName, Duration ttl) {
        this(dynamo, tableName, ttl, Clock.systemUTC());
    }

    public ControlTable(DynamoDbClient dynamo, String tableName, Duration ttl, Clock clock) {
        this(dynamo, tableName, ttl, clock, null);
    }

    private ControlTable(DynamoDbClient dynamo, String tableName, Duration ttl, Clock clock, Integer historyPageSize) {
        this(dynamo, tableName, ttl, clock, historyPageSize, 0);
    }

    private ControlTable(DynamoDbClient dynamo, String tableName, Duration ttl, Clock clock, Integer historyPageSize,
                         int statementLimit) {
        if (statementLimit < 0) {
            throw new IllegalArgumentException("statementLimit must not be negative");
        }
        this.statementLimit = statementLimit;
        this.historyPageSize = historyPageSize;
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
    }

    /** The table of this function's configuration, on the shared DynamoDB client. */
    public static ControlTable fromConfig(AppConfig config) {
        return new ControlTable(AwsClients.dynamoDb(), config.controlTable(), Duration.ofDays(config.requestTtlDays()));
    }

    /** The same table read with small history pages, to exercise paging in tests. */
    ControlTable withHistoryPageSize(int pageSize) {
        return new ControlTable(dynamo, tableName, ttl, clock, pageSize, statementLimit);
    }

    /**
     * The same table where a move into SUBMITTED/RUNNING succeeds only while fewer than {@code limit} requests
     * hold a statement slot ({@link StatementSlots}); otherwise it throws {@link StatementLimitException}.
     */
    public ControlTable withStatementLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the statement limit must be at least 1");
        }
        return new ControlTable(dynamo, tableName, ttl, clock, historyPageSize, limit);
    }

    public int statementLimit() {
        return statementLimit;
    }

    public String tableName() {
        return tableName;
    }

    /**
     * Stores a new request (state RECEIVED, version 1) and its first event, both only if absent.
     *
     * @throws ConflictException ALREADY_EXISTS when the id is taken
     */
    public ExportRequest create(ExportRequest request) {
        return create(request, "request accepted");
    }

    /** As {@link #create(ExportRequest)}, with the detail of the first history event. */
    public ExportRequest create(ExportRequest request, String detail) {
        return create(request, detail, null);
    }

    /**
     * As {@link #create(ExportRequest, String)}; with a claim, the caller's idempotency key is recorded in the same
     * transaction (only if the caller has no live item for that key), so two submissions under one key can never
     * both create a request.
     *
     * @throws IdempotencyKeyTakenException when the key is already taken: nothing was written
     */
    public ExportRequest create(ExportRequest request, String detail, IdempotencyClaim claim) {
        if (request.state() != RequestState.RECEIVED || request.version() != 1) {
            throw new IllegalArgumentException("a new request must be RECEIVED at version 1");
        }
        long expiresAt = expiresAt(request.createdAt());
        Put requestPut = Put.builder()
                .tableName(tableName)
                .item(requestItem(request, expiresAt))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK))
                .build();
        Put eventPut = eventPut(request.requestId(), 1, RequestState.RECEIVED, request.createdAt(), detail,
                expiresAt);
        List<TransactWriteItem> items = new ArrayList<>(List.of(TransactWriteItem.builder().put(requestPut).build(),
                TransactWriteItem.builder().put(eventPut).build()));
        if (claim != null) {
            items.add(TransactWriteItem.builder().put(idempotencyPut(request, claim)).build());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                transact(items);
                return request;
            } catch (TransactionCanceledException e) {
                if (claim != null && failedAt(e, 2)) {
                    throw keyTaken(claim, e);
                }
                if (conditionFailed(e)) {
                    throw new ConflictException(request.requestId(), ConflictException.Reason.ALREADY_EXISTS, null,
                            "Request " + request.requestId() + " already exists");
                }
                // two submissions racing for one key: the next attempt finds the winner's item
                if (contended(e) && attempt < CONTENTION_ATTEMPTS) {
                    backOff(attempt);
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * The caller's idempotency item, kept {@link IdempotencyClaim#KEEP}: TTL removes it some time after that, so an
     * item past its time counts as absent and is overwritten.
     */
    private Put idempotencyPut(ExportRequest request, IdempotencyClaim claim) {
        Instant now = request.createdAt();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(claim.partitionKey()));
        item.put(SK, s(IDEMPOTENCY_SK));
        item.put(REQUEST_ID, s(request.requestId()));
        item.put(ORDER_HASH, s(claim.orderHash()));
        item.put(CREATED_AT_IDEMPOTENCY, s(Timestamps.format(now)));
        item.put(EXPIRES_AT, n(now.plus(IdempotencyClaim.KEEP).getEpochSecond()));
        return Put.builder()
                .tableName(tableName)
                .item(item)
                .conditionExpression("attribute_not_exists(#pk) OR #expiresAt <= :now")
                .expressionAttributeNames(Map.of("#pk", PK, "#expiresAt", EXPIRES_AT))
                .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond())))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
    }

    private IdempotencyKeyTakenException keyTaken(IdempotencyClaim claim, TransactionCanceledException e) {
        Map<String, AttributeValue> item = e.cancellationReasons().get(2).hasItem()
                ? e.cancellationReasons().get(2).item() : Map.of();
        if (item.isEmpty()) {
            item = dynamo.getItem(r -> r.tableName(tableName).consistentRead(true)
                    .key(Map.of(PK, s(claim.partitionKey()), SK, s(IDEMPOTENCY_SK)))).item();
        }
        if (item == null || !item.containsKey(REQUEST_ID) || !item.containsKey(ORDER_HASH)) {
            throw new IllegalStateException("Idempotency item " + claim.partitionKey() + " vanished or is damaged");
        }
        return new IdempotencyKeyTakenException(item.get(REQUEST_ID).s(),
                claim.orderHash().equals(item.get(ORDER_HASH).s()));
    }

    private static boolean failedAt(TransactionCanceledException e, int index) {
        return e.hasCancellationReasons() && e.cancellationReasons().size() > index
                && "ConditionalCheckFailed".equals(e.cancellationReasons().get(index).code());
    }

    /**
     * Moves a request from {@code expected} at {@code expectedVersion} to {@code next}, recording an event,
     * and returns the request as stored afterwards (one consistent read).
     *
     * @throws ConflictException        STALE when the request is not at that state and version (re-read and
     *                                  decide), NOT_FOUND when there is no such request
     * @throws IllegalArgumentException when {@code expected} cannot move to {@code next} at all
     */
    public ExportRequest transition(String requestId, RequestState expected, long expectedVersion,
                                    RequestState next, String detail, RequestUpdate update) {
        write(requestId, expected, expectedVersion, next, detail, update);
        return get(requestId).orElseThrow(() -> new ConflictException(requestId,
                ConflictException.Reason.NOT_FOUND, null, "Request " + requestId + " disappeared"));
    }

    /**
     * As {@link #transition(String, RequestState, long, RequestState, String, RequestUpdate)} from the
     * caller's copy of the request; returns the new request computed locally (no extra read).
     */
    public ExportRequest transition(ExportRequest current, RequestState next, String detail, RequestUpdate update) {
        RequestUpdate changes = update == null ? RequestUpdate.none() : update;
        Instant now = write(current.requestId(), current.state(), current.version(), next, detail, changes);
        return new ExportRequest(current.requestId(), current.owner(), current.dataset(), current.parameters(),
                current.format(), next, current.version() + 1, current.createdAt(), now,
                changes.statementId() != null ? changes.statementId() : current.statementId(),
                changes.result() != null ? changes.result() : current.result(),
                changes.error() != null ? changes.error() : current.error(), current.compression());
    }

    private Instant write(String requestId, RequestState expected, long expectedVersion, RequestState next,
                          String detail, RequestUpdate update) {
        if (!expected.canMoveTo(next)) {
            throw new IllegalArgumentException("A request cannot move from " + expected + " to " + next);
        }
        RequestUpdate changes = update == null ? RequestUpdate.none() : update;
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant();
            long newVersion = expectedVersion + 1;
            long expiresAt = expiresAt(now);

            Map<String, String> names = new HashMap<>();
            Map<String, AttributeValue> values = new HashMap<>();
            StringBuilder set = new StringBuilder("SET ");
            names.put("#state", STATE);
            names.put("#version", VERSION);
            values.put(":expected", s(expected.name()));
            values.put(":expectedVersion", n(expectedVersion));
            appendSet(set, names, values, STATE, s(next.name()));
            appendSet(set, names, values, VERSION, n(newVersion));
            appendSet(set, names, values, UPDATED_AT, s(Timestamps.format(now)));
            appendSet(set, names, values, EXPIRES_AT, n(expiresAt));
            Map<String, AttributeValue> extra = new HashMap<>();
            if (changes.statementId() != null) {
                extra.put(STATEMENT_ID, s(changes.statementId()));
            }
            putResult(extra, changes.result());
            putError(extra, changes.error());
            extra.forEach((attribute, value) -> appendSet(set, names, values, attribute, value));
            String expression;
            if (next.isInFlight() || changes.keepsInFlight()) {
                appendSet(set, names, values, IN_FLIGHT, s(IN_FLIGHT_VALUE));
                expression = set.toString();
            } else {
                names.put("#inFlight", IN_FLIGHT);
                expression = set + " REMOVE #inFlight";
            }

            Update requestUpdate = Update.builder()
                    .tableName(tableName)
                    .key(key(requestId))
                    .updateExpression(expression)
                    .conditionExpression("#state = :expected AND #version = :expectedVersion")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build();
            Put eventPut = eventPut(requestId, newVersion, next, now, detail, expiresAt);
            List<TransactWriteItem> items = new ArrayList<>(List.of(
                    TransactWriteItem.builder().update(requestUpdate).build(),
                    TransactWriteItem.builder().put(eventPut).build()));
            // Holding a slot is being SUBMITTED or RUNNING: the counter moves in the same transaction as the
            // state, so it cannot drift from the requests whatever crashes.
            boolean acquires = !StatementSlots.holdsSlot(expected) && StatementSlots.holdsSlot(next);
            boolean releases = StatementSlots.holdsSlot(expected) && !StatementSlots.holdsSlot(next);
            if (acquires || releases) {
                items.add(TransactWriteItem.builder().update(
                        StatementSlots.change(tableName, acquires ? 1 : -1, acquires ? statementLimit : 0, now))
                        .build());
            }
            try {
                transact(items);
                return now;
            } catch (TransactionCanceledException e) {
                if (acquires && reasonAt(e, 2, "ConditionalCheckFailed") && !reasonAt(e, 0, "ConditionalCheckFailed")) {
                    throw new StatementLimitException(requestId, statementLimit);
                }
                if (conditionFailed(e)) {
                    throw staleOrMissing(requestId, expected, expectedVersion, next, e);
                }
                if (contended(e) && attempt < CONTENTION_ATTEMPTS) {
                    backOff(attempt);
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * Stores the warehouse statement id once.
     *
     * @throws ConflictException STATEMENT_ALREADY_SET (with the current request) or NOT_FOUND
     */
    public ExportRequest setStatementId(String requestId, String statementId) {
        Objects.requireNonNull(statementId, "statementId");
        try {
            UpdateItemResponse response = dynamo.updateItem(r -> r
                    .tableName(tableName)
                    .key(key(requestId))
                    .updateExpression("SET #statementId = :statementId, #updatedAt = :now")
                    .conditionExpression("attribute_exists(#pk) AND attribute_not_exists(#statementId)")
                    .expressionAttributeNames(Map.of("#pk", PK, "#statementId", STATEMENT_ID,
                            "#updatedAt", UPDATED_AT))
                    .expressionAttributeValues(Map.of(":statementId", s(statementId),
                            ":now", s(Timestamps.format(clock.instant()))))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return toRequest(response.attributes());
        } catch (ConditionalCheckFailedException e) {
            if (e.hasItem() && !e.item().isEmpty()) {
                ExportRequest current = toRequest(e.item());
                throw new ConflictException(requestId, ConflictException.Reason.STATEMENT_ALREADY_SET, current,
                        "Request " + requestId + " already has statement " + current.statementId());
            }
            Optional<ExportRequest> current = get(requestId);
            if (current.isPresent()) {
                throw new ConflictException(requestId, ConflictException.Reason.STATEMENT_ALREADY_SET,
                        current.get(), "Request " + requestId + " already has statement "
                        + current.get().statementId());
            }
            throw new ConflictException(requestId, ConflictException.Reason.NOT_FOUND, null,
                    "No request " + requestId);
        }
    }

    /** Strongly consistent read of the request item. */
    public Optional<ExportRequest> get(String requestId) {
        GetItemResponse response = dynamo.getItem(r -> r.tableName(tableName).key(key(requestId)).consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(toRequest(response.item()));
    }

    /** Every event of a request, oldest first (all pages; empty if there is no such request). */
    public List<StatusEvent> history(String requestId) {
        QueryRequest.Builder query = QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(pk(requestId)), ":prefix", s(EVENT_PREFIX)))
                .consistentRead(true)
                .scanIndexForward(true)
                .limit(historyPageSize);
        List<StatusEvent> events = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            QueryResponse page = dynamo.query(query.exclusiveStartKey(startKey).build());
            for (Map<String, AttributeValue> item : page.items()) {
                events.add(toEvent(item));
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return events;
    }

    /** Up to {@code limit} in-flight requests, least recently updated first (sparse GSI, eventually consistent). */
    public List<ExportRequest> inFlight(int limit) {
        return queryIndex(ControlTableSchema.IN_FLIGHT_INDEX, IN_FLIGHT, IN_FLIGHT_VALUE, true, limit);
    }

    /**
     * Up to {@code limit} in-flight requests in one of {@code states} whose last change is before
     * {@code updatedBefore} ({@code null}: any time), least recently updated first (eventually consistent).
     */
    public List<ExportRequest> inFlight(Set<RequestState> states, Instant updatedBefore, int limit) {
        return inFlight(states, updatedBefore, false, limit);
    }

    /**
     * As {@link #inFlight(Set, Instant, int)}, leaving out the requests whose statement-slot wait
     * ({@link RequestLeases#claimSlotWait}) fell due at or after {@code quietBefore}: those have a message. Left out
     * by the query's filter, so however many requests wait for a slot, the {@code limit} is spent on the others.
     */
    public List<ExportRequest> inFlightNotWaitingForSlot(Set<RequestState> states, Instant quietBefore, int limit) {
        return inFlight(states, Objects.requireNonNull(quietBefore, "quietBefore"), true, limit);
    }

    private List<ExportRequest> inFlight(Set<RequestState> states, Instant updatedBefore, boolean skipSlotWaits,
                                         int limit) {
        if (states.isEmpty()) {
            return List.of();
        }
        Map<String, String> names = new HashMap<>(Map.of("#k", IN_FLIGHT, "#state", STATE));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":v", s(IN_FLIGHT_VALUE)));
        String keyCondition = "#k = :v";
        if (updatedBefore != null) {
            names.put("#updatedAt", UPDATED_AT);
            values.put(":before", s(Timestamps.format(updatedBefore)));
            keyCondition += " AND #updatedAt < :before";
        }
        List<String> placeholders = new ArrayList<>();
        for (RequestState state : states) {
            String placeholder = ":state" + placeholders.size();
            placeholders.add(placeholder);
            values.put(placeholder, s(state.name()));
        }
        String filter = "#state IN (" + String.join(", ", placeholders) + ")";
        if (skipSlotWaits) {
            names.put("#slotWait", RequestLeases.SLOT_WAIT_UNTIL);
            filter += " AND (attribute_not_exists(#slotWait) OR #slotWait < :before)";
        }
        return queryIndex(QueryRequest.builder()
                .indexName(ControlTableSchema.IN_FLIGHT_INDEX)
                .keyConditionExpression(keyCondition)
                .filterExpression(filter)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .scanIndexForward(true), limit);
    }

    /** Up to {@code limit} requests of one caller, newest first (GSI, eventually consistent). */
    public List<ExportRequest> byOwner(String owner, int limit) {
        return queryIndex(ControlTableSchema.BY_OWNER_INDEX, OWNER, owner, false, limit);
    }

    private List<ExportRequest> queryIndex(String index, String keyAttribute, String keyValue, boolean forward,
                                           int limit) {
        return queryIndex(QueryRequest.builder()
                .indexName(index)
                .keyConditionExpression("#k = :v")
                .expressionAttributeNames(Map.of("#k", keyAttribute))
                .expressionAttributeValues(Map.of(":v", s(keyValue)))
                .scanIndexForward(forward), limit);
    }

    private List<ExportRequest> queryIndex(QueryRequest.Builder query, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        List<ExportRequest> requests = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            // With a filter, Limit counts the items read, not the ones kept: keep paging until enough are kept.
            QueryResponse page = dynamo.query(query
                    .tableName(tableName)
                    .limit(limit - requests.size())
                    .exclusiveStartKey(startKey)
                    .build());
            for (Map<String, AttributeValue> item : page.items()) {
                requests.add(toRequest(item));
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null && requests.size() < limit);
        return requests;
    }

    private Put eventPut(String requestId, long version, RequestState state, Instant at, String detail,
                         long expiresAt) {
        return Put.builder()
                .tableName(tableName)
                .item(eventItem(requestId, version, state, at, detail, expiresAt))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK))
                .build();
    }

    private void transact(List<TransactWriteItem> items) {
        // A fresh token per logical write: the SDK's own retries of this call then cannot apply it twice,
        // nor report a committed write as a failed condition. Never shared between writers, so two callers
        // racing for the same move cannot both be told they won.
        dynamo.transactWriteItems(r -> r.transactItems(items).clientRequestToken(UUID.randomUUID().toString()));
    }

    private ConflictException staleOrMissing(String requestId, RequestState expected, long expectedVersion,
                                             RequestState next, TransactionCanceledException e) {
        CancellationReason first = e.hasCancellationReasons() && !e.cancellationReasons().isEmpty()
                ? e.cancellationReasons().get(0) : null;
        ExportRequest current = null;
        if (first != null && first.hasItem() && !first.item().isEmpty()) {
            current = toRequest(first.item());
        } else {
            current = get(requestId).orElse(null);
        }
        if (current == null) {
            return new ConflictException(requestId, ConflictException.Reason.NOT_FOUND, null, "No request " + requestId);
        }
        return new ConflictException(requestId, ConflictException.Reason.STALE, current,
                "Request " + requestId + " is " + current.state() + " at version " + current.version()
                        + ", not " + expected + " at version " + expectedVersion + " (wanted " + next + ")");
    }

    private static boolean conditionFailed(TransactionCanceledException e) {
        return hasReason(e, "ConditionalCheckFailed");
    }

    private static boolean contended(TransactionCanceledException e) {
        return hasReason(e, "TransactionConflict");
    }

    private static boolean reasonAt(TransactionCanceledException e, int index, String code) {
        return e.hasCancellationReasons() && e.cancellationReasons().size() > index
                && code.equals(e.cancellationReasons().get(index).code());
    }

    private static boolean hasReason(TransactionCanceledException e, String code) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        for (CancellationReason reason : e.cancellationReasons()) {
            if (code.equals(reason.code())) {
                return true;
            }
        }
        return false;
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(10L * attempt + ThreadLocalRandom.current().nextInt(20));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying a contended write", interrupted);
        }
    }

    private static void appendSet(StringBuilder set, Map<String, String> names, Map<String, AttributeValue> values,
                                  String attribute, AttributeValue value) {
        String name = "#" + attribute;
        String placeholder = ":" + attribute;
        names.put(name, attribute);
        values.put(placeholder, value);
        if (set.length() > "SET ".length()) {
            set.append(", ");
        }
        set.append(name).append(" = ").append(placeholder);
    }

    private long expiresAt(Instant from) {
        return from.plus(ttl).getEpochSecond();
    }
}
