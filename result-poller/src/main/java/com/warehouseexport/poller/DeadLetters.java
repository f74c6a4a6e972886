package com.warehouseexport.poller;

import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.lambda.Log;
import com.warehouseexport.model.table.ConflictException;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.RequestUpdate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The sweep's reader of the export dead-letter queue: a message lands there after the processor failed it
 * {@code maxReceiveCount} times without recording an outcome (it crashed, timed out, or could not even write
 * FAILED). Its request must not stay in limbo: if it has no statement yet it becomes FAILED with the reason (and is
 * emailed like any failure). A request that has a statement is the poller's own business and is left alone: failing
 * it would hide a statement that is still running. A message is deleted only once its request is settled.
 */
public final class DeadLetters {
    static final String DEAD_LETTERED = "dead_lettered";
    /** Receives per sweep at most (10 messages each); the rest wait for the next sweep. */
    static final int MAX_BATCHES = 5;
    private static final int CONFLICT_ATTEMPTS = 3;

    private final SqsClient sqs;
    private final String queueUrl;
    private final ControlTable table;

    public DeadLetters(SqsClient sqs, String queueUrl, ControlTable table) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** Settles what is on the dead-letter queue now; returns how many messages were settled. */
    public int drain() {
        int settled = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).visibilityTimeout(60)).messages();
            if (messages.isEmpty()) {
                break;
            }
            for (Message message : messages) {
                try {
                    settle(message);
                    sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                    settled++;
                } catch (RuntimeException e) {
                    // stays on the dead-letter queue; visible again for the next sweep
                    Log.warn("dead letter %s: not settled, the next sweep tries again: %s", message.messageId(), e);
                }
            }
        }
        return settled;
    }

    void settle(Message message) {
        Optional<String> requestId = requestId(message.body());
        if (requestId.isEmpty()) {
            Log.warn("dead letter %s: not an export message, dropped", message.messageId());
            return;
        }
        String id = requestId.get();
        for (int attempt = 1; ; attempt++) {
            Optional<ExportRequest> found = table.get(id);
            if (found.isEmpty()) {
                Log.warn("request %s: dead-lettered but not in the control table", id);
                return;
            }
            ExportRequest request = found.get();
            if (request.state().isFinal() || request.statementId() != null) {
                Log.info("request %s: dead-lettered message ignored, the request is %s%s", id, request.state(),
                        request.statementId() == null ? "" : " with statement " + request.statementId());
                return;
            }
            ExportError error = new ExportError(DEAD_LETTERED, "The export could not be submitted to the warehouse:"
                    + " every delivery of its message failed and it was moved to the dead-letter queue.");
            try {
                table.transition(request, RequestState.FAILED, error.message(),
                        RequestUpdate.withError(error).keepInFlight());
                Log.warn("request %s: FAILED (%s)", id, DEAD_LETTERED);
                return;
            } catch (ConflictException e) {
                if (attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static Optional<String> requestId(String body) {
        try {
            JsonNode id = Json.parse(body).path("requestId");
            return id.isTextual() && RequestIds.isWellFormed(id.textValue()) ? Optional.of(id.textValue())
                    : Optional.empty();
        } catch (Json.MalformedJsonException e) {
            return Optional.empty();
        }
    }
}
