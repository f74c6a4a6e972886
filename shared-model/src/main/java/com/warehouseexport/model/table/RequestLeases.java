package com.warehouseexport.model.table;

import static com.warehouseexport.model.table.RequestItems.IN_FLIGHT;
import static com.warehouseexport.model.table.RequestItems.PK;
import static com.warehouseexport.model.table.RequestItems.STATE;
import static com.warehouseexport.model.table.RequestItems.UPDATED_AT;
import static com.warehouseexport.model.table.RequestItems.VERSION;
import static com.warehouseexport.model.table.RequestItems.key;
import static com.warehouseexport.model.table.RequestItems.n;
import static com.warehouseexport.model.table.RequestItems.s;
import static com.warehouseexport.model.table.RequestItems.toRequest;

import com.warehouseexport.model.aws.AwsClients;
import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.domain.Timestamps;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The result poller's claims that are not state changes (no new version, no event item), added on branch
 * {@code async}:
 * <ul>
 *   <li>the PACKAGING lease: its timestamp is the request's {@code updatedAt}, set by the move to PACKAGING
 *       (that conditional move is the first claim); {@link #reclaimPackaging} takes over an expired one;</li>
 *   <li>the notification: {@code notifyClaimedAt} (a lease, taken by {@link #claimNotification}) and
 *       {@code notifiedAt} (recorded by {@link #recordNotified}, which also takes the request out of the
 *       {@code inFlight} index; see {@link RequestUpdate#keepInFlight()}).</li>
 * </ul>
 * Times are {@link Timestamps} text, fixed width, so {@code <} compares them as instants.
 */
public final class RequestLeases {
    static final String NOTIFY_CLAIMED_AT = "notifyClaimedAt";
    static final String NOTIFIED_AT = "notifiedAt";
    static final String REQUEUED_AT = "requeuedAt";
    static final String SLOT_WAIT_UNTIL = "slotWaitUntil";

    private final DynamoDbClient dynamo;
    private final String tableName;

    public RequestLeases(DynamoDbClient dynamo, String tableName) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    public static RequestLeases fromConfig(AppConfig config) {
        return new RequestLeases(AwsClients.dynamoDb(), config.controlTable());
    }

    /**
     * Takes over the PACKAGING lease of a request seen as {@code seen} (whose lease the caller judged expired):
     * succeeds only if nobody changed or re-claimed it since. Returns the request with the new lease time.
     */
    public Optional<ExportRequest> reclaimPackaging(ExportRequest seen, Instant now) {
        try {
            return Optional.of(toRequest(dynamo.updateItem(r -> r
                    .tableName(tableName)
                    .key(key(seen.requestId()))
                    .updateExpression("SET #updatedAt = :now")
                    .conditionExpression("#state = :packaging AND #version = :version AND #updatedAt = :seen")
                    .expressionAttributeNames(Map.of("#updatedAt", UPDATED_AT, "#state", STATE, "#version", VERSION))
                    .expressionAttributeValues(Map.of(
                            ":now", s(Timestamps.format(now)),
                            ":packaging", s(RequestState.PACKAGING.name()),
                            ":version", n(seen.version()),
                            ":seen", s(Timestamps.format(seen.updatedAt()))))
                    .returnValues(ReturnValue.ALL_NEW)).attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * Claims the re-sending of the message of a request waiting for its statement (QUEUED, or SUBMITTED without
     * a statement id; the sweep's answer to a lost message): succeeds only if it is still so at the version seen,
     * nobody re-sent it after {@code staleBefore}, so two sweeps do not both send, and no slot wait was due after
     * {@code staleBefore} (a request waiting for a statement slot has its message; see {@link #claimSlotWait}).
     * The claim is {@code requeuedAt}, not a state change.
     */
    public boolean claimRequeue(ExportRequest seen, Instant now, Instant staleBefore) {
        return updateIf(r -> r
                .key(key(seen.requestId()))
                .updateExpression("SET #requeued = :now")
                .conditionExpression("#state = :seenState AND #version = :version"
                        + " AND attribute_not_exists(#statementId)"
                        + " AND (attribute_not_exists(#requeued) OR #requeued < :staleBefore)"
                        + " AND (attribute_not_exists(#slotWait) OR #slotWait < :staleBefore)")
                .expressionAttributeNames(Map.of("#state", STATE, "#version", VERSION, "#requeued", REQUEUED_AT,
                        "#statementId", RequestItems.STATEMENT_ID, "#slotWait", SLOT_WAIT_UNTIL))
                .expressionAttributeValues(Map.of(
                        ":now", s(Timestamps.format(now)),
                        ":seenState", s(seen.state().name()),
                        ":version", n(seen.version()),
                        ":staleBefore", s(Timestamps.format(staleBefore)))));
    }

    /**
     * Claims the one delayed message that brings a QUEUED request, refused a statement slot, back at {@code until}.
     * Succeeds only if the request is still QUEUED without a statement and no earlier claim is still due
     * ({@code slotWaitUntil} absent or not after {@code now}): of the messages that carry the same request (a
     * redelivery, the sweep's re-send, a copy left by a crash between send and delete) one goes on waiting and the
     * others are dropped, so copies never multiply while a request waits.
     */
    public boolean claimSlotWait(String requestId, Instant now, Instant until) {
        return updateIf(r -> r
                .key(key(requestId))
                .updateExpression("SET #slotWait = :until")
                .conditionExpression("#state = :queued AND attribute_not_exists(#statementId)"
                        + " AND (attribute_not_exists(#slotWait) OR #slotWait <= :now)")
                .expressionAttributeNames(Map.of("#state", STATE, "#statementId", RequestItems.STATEMENT_ID,
                        "#slotWait", SLOT_WAIT_UNTIL))
                .expressionAttributeValues(Map.of(
                        ":queued", s(RequestState.QUEUED.name()),
                        ":now", s(Timestamps.format(now)),
                        ":until", s(Timestamps.format(until)))));
    }

    /** Gives back a slot-wait claim whose message could not be sent, so the next delivery can claim at once. */
    public void releaseSlotWait(String requestId, Instant until) {
        // refused when someone claimed after us: theirs stands
        updateIf(r -> r
                .key(key(requestId))
                .updateExpression("REMOVE #slotWait")
                .conditionExpression("#slotWait = :until")
                .expressionAttributeNames(Map.of("#slotWait", SLOT_WAIT_UNTIL))
                .expressionAttributeValues(Map.of(":until", s(Timestamps.format(until)))));
    }

    /**
     * Claims the right to send the notification of a SUCCEEDED or FAILED request: {@code true} when none was
     * recorded and no other claim was made after {@code staleBefore} (an older claim belongs to a poller that
     * died before recording; it is taken over).
     */
    public boolean claimNotification(String requestId, Instant now, Instant staleBefore) {
        return updateIf(r -> r
                .key(key(requestId))
                .updateExpression("SET #claimed = :now")
                .conditionExpression("attribute_exists(#pk) AND #state IN (:succeeded, :failed)"
                        + " AND attribute_not_exists(#notified)"
                        + " AND (attribute_not_exists(#claimed) OR #claimed < :staleBefore)")
                .expressionAttributeNames(Map.of("#pk", PK, "#state", STATE, "#notified", NOTIFIED_AT,
                        "#claimed", NOTIFY_CLAIMED_AT))
                .expressionAttributeValues(Map.of(
                        ":now", s(Timestamps.format(now)),
                        ":succeeded", s(RequestState.SUCCEEDED.name()),
                        ":failed", s(RequestState.FAILED.name()),
                        ":staleBefore", s(Timestamps.format(staleBefore)))));
    }

    /** Records the notification as sent and takes the request out of the {@code inFlight} index. */
    public void recordNotified(String requestId, Instant now) {
        dynamo.updateItem(r -> r
                .tableName(tableName)
                .key(key(requestId))
                .updateExpression("SET #notified = :now REMOVE #inFlight")
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK, "#notified", NOTIFIED_AT, "#inFlight", IN_FLIGHT))
                .expressionAttributeValues(Map.of(":now", s(Timestamps.format(now)))));
    }

    /** Takes a final request that owes no notification (e.g. CANCELLED) out of the {@code inFlight} index. */
    public void leaveInFlightIndex(String requestId) {
        // refused when not final (any more): then it belongs in the index
        updateIf(r -> r
                .key(key(requestId))
                .updateExpression("REMOVE #inFlight")
                .conditionExpression("#state IN (:succeeded, :failed, :cancelled)")
                .expressionAttributeNames(Map.of("#inFlight", IN_FLIGHT, "#state", STATE))
                .expressionAttributeValues(Map.of(
                        ":succeeded", s(RequestState.SUCCEEDED.name()),
                        ":failed", s(RequestState.FAILED.name()),
                        ":cancelled", s(RequestState.CANCELLED.name()))));
    }

    /** When the notification was recorded, if it was (strongly consistent read). */
    public Optional<Instant> notifiedAt(String requestId) {
        var item = dynamo.getItem(r -> r.tableName(tableName).key(key(requestId)).consistentRead(true)
                .projectionExpression("#notified").expressionAttributeNames(Map.of("#notified", NOTIFIED_AT))).item();
        return item == null || !item.containsKey(NOTIFIED_AT)
                ? Optional.empty() : Optional.of(Timestamps.parse(item.get(NOTIFIED_AT).s()));
    }

    /** One conditional update of this table; {@code false} when its condition did not hold. */
    private boolean updateIf(Consumer<UpdateItemRequest.Builder> request) {
        try {
            dynamo.updateItem(r -> request.accept(r.tableName(tableName)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
