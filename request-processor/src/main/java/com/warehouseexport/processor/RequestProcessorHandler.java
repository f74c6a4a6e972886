package com.warehouseexport.processor;

import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.lambda.Log;
import com.warehouseexport.model.lambda.Priming;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * SQS batch handler of the export queue ({@code ReportBatchItemFailures}): each message is handled on its
 * own, and only the ones worth retrying are reported, so one bad message never fails the others.
 */
public final class RequestProcessorHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final ExportSubmitter submitter;

    /** Lambda's constructor: builds the submitter once per JVM from the environment. */
    public RequestProcessorHandler() {
        this(ExportSubmitter.fromEnvironment());
        Priming.register("request-processor", this::prime);
    }

    /** SnapStart priming: a message for a request that does not exist (one GetItem; the message is dropped). */
    private void prime() {
        SQSMessage message = new SQSMessage();
        message.setMessageId("snapstart-priming");
        message.setBody("{\"requestId\":\"" + RequestIds.newId() + "\"}");
        message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        handleRequest(event, null);
    }

    public RequestProcessorHandler(ExportSubmitter submitter) {
        this.submitter = Objects.requireNonNull(submitter, "submitter");
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        List<SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSMessage message : records) {
            SubmitOutcome outcome;
            try {
                outcome = submitter.submit(message.getBody(), receiveCount(message));
            } catch (RuntimeException e) {
                // The submitter handles its own failures; this is a bug, and retrying is the safe side.
                Log.warn("message %s: unexpected failure: %s", message.getMessageId(), ErrorClassifier.describe(e));
                outcome = SubmitOutcome.RETRY;
            }
            if (outcome == SubmitOutcome.RETRY) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }

    /** {@code ApproximateReceiveCount}: 1 on the first delivery; 1 when absent or unreadable. */
    static int receiveCount(SQSMessage message) {
        Map<String, String> attributes = message.getAttributes();
        String value = attributes == null ? null : attributes.get("ApproximateReceiveCount");
        try {
            return value == null ? 1 : Math.max(1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
