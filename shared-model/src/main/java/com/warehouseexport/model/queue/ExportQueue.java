package com.warehouseexport.model.queue;

import com.warehouseexport.model.json.Json;
import java.util.Objects;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Sends an export message ({@code {"requestId": "..."}}) again: the processor when no statement slot is free
 * (a new message, so the waiting does not count towards the queue's maxReceiveCount), the poller's sweep for
 * requests whose message was lost. A duplicate message is harmless: the processor is idempotent.
 */
public final class ExportQueue {
    /** SQS's largest per-message delay. */
    public static final int MAX_DELAY_SECONDS = 900;

    private final SqsClient sqs;
    private final String queueUrl;

    public ExportQueue(SqsClient sqs, String queueUrl) {
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
    }

    /** Sends the request's message, visible after {@code delaySeconds} (0 to 900). */
    public void send(String requestId, int delaySeconds) {
        if (delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
            throw new IllegalArgumentException("delaySeconds must be between 0 and 900, got " + delaySeconds);
        }
        String body = Json.write(Json.object().put("requestId", requestId));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body).delaySeconds(delaySeconds));
    }
}
