package com.warehouseexport.processor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.config.ConfigException;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.lambda.Log;
import com.warehouseexport.model.table.ConflictException;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.RequestUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Consumer of the export dead-letter queue: a message lands there after the processor failed it
 * {@code maxReceiveCount} times without recording an outcome (it crashed, timed out, or could not even write
 * FAILED). Its request must not stay in limbo: if it has no statement yet it becomes FAILED with the reason
 * (and the poller emails it). A request that has a statement is the poller's and is left alone: failing it
 * would hide a statement that is still running.
 */
public final class DeadLetterHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    static final String DEAD_LETTERED = "dead_lettered";
    private static final int CONFLICT_ATTEMPTS = 3;

    private final ControlTable table;

    /** Lambda's constructor. */
    public DeadLetterHandler() {
        this(ControlTable.fromConfig(config()));
    }

    private static AppConfig config() {
        AppConfig config = AppConfig.fromEnv();
        if (config.region() == null || config.controlTable() == null) {
            throw new ConfigException("Missing required environment variable(s) for the dead-letter handler: "
                    + AppConfig.AWS_REGION + ", " + AppConfig.CONTROL_TABLE);
        }
        return config;
    }

    public DeadLetterHandler(ControlTable table) {
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSMessage message : records) {
            try {
                handle(message);
            } catch (RuntimeException e) {
                // stays on the dead-letter queue and comes back after its visibility timeout
                Log.warn("dead letter %s: could not record it, retrying: %s", message.getMessageId(),
                        ErrorClassifier.describe(e));
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    void handle(SQSMessage message) {
        String requestId;
        try {
            requestId = RequestMessage.requestId(message.getBody());
        } catch (IllegalArgumentException e) {
            Log.warn("dead letter %s: not an export message (%s), dropped", message.getMessageId(), e.getMessage());
            return;
        }
        for (int attempt = 1; ; attempt++) {
            Optional<ExportRequest> found = table.get(requestId);
            if (found.isEmpty()) {
                Log.warn("request %s: dead-lettered but not in the control table", requestId);
                return;
            }
            ExportRequest request = found.get();
            if (request.state().isFinal() || request.statementId() != null) {
                Log.info("request %s: dead-lettered message ignored, the request is %s%s", requestId, request.state(),
                        request.statementId() == null ? "" : " with statement " + request.statementId());
                return;
            }
            ExportError error = new ExportError(DEAD_LETTERED, "The export could not be submitted to the warehouse:"
                    + " its message failed " + RequestProcessorHandler.receiveCount(message)
                    + " deliveries and was moved to the dead-letter queue.");
            try {
                table.transition(request, RequestState.FAILED, error.message(),
                        RequestUpdate.withError(error).keepInFlight());
                Log.warn("request %s: FAILED (%s)", requestId, DEAD_LETTERED);
                return;
            } catch (ConflictException e) {
                if (attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
