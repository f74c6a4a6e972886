package com.warehouseexport.localruntime.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localruntime.eventbridge.EventPattern;
import com.warehouseexport.localruntime.lambda.Invocable;
import com.warehouseexport.localruntime.lambda.InvocationResult;
import com.warehouseexport.localruntime.template.SamTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/**
 * Lambda's SQS event source mapping for one {@code SQS} event: pollers receive from the queue, gather a batch
 * (BatchSize, MaximumBatchingWindowInSeconds), invoke the function with the SQSEvent JSON Lambda builds, and delete
 * what succeeded. With {@code ReportBatchItemFailures} the ids the function lists stay on the queue and the rest
 * are deleted; an invalid failure list, or a failed invocation, leaves the whole batch. What stays comes back after
 * the queue's visibility timeout, and the queue's own redrive policy moves it to the DLQ after maxReceiveCount.
 *
 * <p>Concurrency: {@code pollers} batches at most are in flight at once (the caller passes
 * min(ScalingConfig.MaximumConcurrency, what the function can run at once)). Messages that a FilterCriteria
 * pattern rejects are deleted without an invocation, as Lambda does.
 */
public final class SqsEventSource implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Receive long-poll wait while idle: short enough for a quick shutdown, long enough to be cheap. */
    private static final int IDLE_WAIT_SECONDS = 1;

    private final SamTemplate.SqsEvent mapping;
    private final SamTemplate.Queue queue;
    private final Invocable function;
    private final SqsClient sqs;
    private final String region;
    private final PrintStream log;
    private final String name;
    private final List<EventPattern> filters = new ArrayList<>();
    private final ExecutorService pollers;
    private final int pollerCount;
    private volatile boolean running = true;

    public SqsEventSource(String name, SamTemplate.SqsEvent mapping, SamTemplate.Queue queue, Invocable function,
                          SqsClient sqs, String region, int pollers, PrintStream log) {
        this.name = name;
        this.mapping = mapping;
        this.queue = queue;
        this.function = function;
        this.sqs = sqs;
        this.region = region;
        this.log = log;
        this.pollerCount = Math.max(1, pollers);
        for (JsonNode filter : mapping.filterPatterns()) {
            filters.add(EventPattern.of(filter));
        }
        AtomicInteger n = new AtomicInteger();
        this.pollers = Executors.newFixedThreadPool(pollerCount, r -> {
            Thread t = new Thread(r, "sqs-poller-" + name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        for (int i = 0; i < pollerCount; i++) {
            pollers.execute(this::poll);
        }
    }

    private void poll() {
        while (running) {
            try {
                List<Message> batch = gatherBatch();
                if (!batch.isEmpty() && running) {
                    process(batch);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.println("[" + name + "] polling " + queue.queueName() + " failed: " + e);
                sleepQuietly(1000);
            }
        }
    }

    /** One batch, as Lambda gathers it: at once (window 0), or until full or the window since the first message. */
    List<Message> gatherBatch() {
        List<Message> batch = new ArrayList<>();
        long windowMillis = mapping.maximumBatchingWindowSeconds() * 1000L;
        long windowEnds = Long.MAX_VALUE;
        while (running && batch.size() < mapping.batchSize()) {
            int wait;
            if (batch.isEmpty()) {
                wait = IDLE_WAIT_SECONDS;
            } else {
                long left = windowEnds - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                wait = (int) Math.min(20, Math.max(1, (left + 999) / 1000));
            }
            ReceiveMessageResponse received = sqs.receiveMessage(r -> r
                .queueUrl(queue.url())
                .maxNumberOfMessages(Math.min(10, mapping.batchSize() - batch.size()))
                .waitTimeSeconds(wait)
                .messageSystemAttributeNamesWithStrings("All")
                .messageAttributeNames("All"));
            if (received.hasMessages() && !received.messages().isEmpty()) {
                if (batch.isEmpty()) {
                    windowEnds = System.currentTimeMillis() + windowMillis;
                }
                batch.addAll(received.messages());
            }
            if (!batch.isEmpty() && (windowMillis == 0 || System.currentTimeMillis() >= windowEnds)) {
                break;
            }
        }
        return batch;
    }

    private void process(List<Message> received) {
        List<Message> batch = new ArrayList<>();
        List<Message> filteredOut = new ArrayList<>();
        for (Message message : received) {
            ObjectNode record = record(message);
            if (filters.isEmpty() || filters.stream().anyMatch(f -> f.matches(filterView(record)))) {
                batch.add(message);
            } else {
                filteredOut.add(message);
            }
        }
        delete(filteredOut);
        if (batch.isEmpty()) {
            return;
        }
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        batch.forEach(m -> records.add(record(m)));
        InvocationResult result;
        try {
            result = function.invoke(JSON.writeValueAsBytes(event));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (result.failed()) {
            log.println("[" + name + "] batch of " + batch.size() + " failed; the messages return after the "
                + "visibility timeout (" + queue.visibilityTimeoutSeconds() + " s)");
            return;
        }
        if (!mapping.reportBatchItemFailures()) {
            delete(batch);
            return;
        }
        Set<String> failed = failedIds(result.payload(), batch);
        if (failed == null) {
            log.println("[" + name + "] invalid batchItemFailures response " + result.payloadText()
                + "; the whole batch stays on the queue");
            return;
        }
        List<Message> succeeded = new ArrayList<>();
        for (Message message : batch) {
            if (!failed.contains(message.messageId())) {
                succeeded.add(message);
            }
        }
        delete(succeeded);
        if (!failed.isEmpty()) {
            log.println("[" + name + "] " + failed.size() + " of " + batch.size() + " messages reported failed; "
                + "they return after the visibility timeout");
        }
    }

    /**
     * The ids a ReportBatchItemFailures response lists; an empty set for a null or empty response; null when the
     * response is invalid (an entry without an itemIdentifier, or one not in the batch), which fails the batch.
     */
    static Set<String> failedIds(byte[] payload, List<Message> batch) {
        JsonNode response;
        try {
            response = JSON.readTree(payload);
        } catch (IOException e) {
            return null;
        }
        Set<String> failed = new HashSet<>();
        if (response == null || response.isNull() || response.isMissingNode()) {
            return failed;
        }
        if (!response.isObject()) {
            return null;
        }
        JsonNode failures = response.path("batchItemFailures");
        if (failures.isMissingNode() || failures.isNull()) {
            return failed;
        }
        if (!failures.isArray()) {
            return null;
        }
        Set<String> inBatch = new HashSet<>();
        batch.forEach(m -> inBatch.add(m.messageId()));
        for (JsonNode failure : failures) {
            JsonNode id = failure.path("itemIdentifier");
            if (!id.isTextual() || id.asText().isEmpty() || !inBatch.contains(id.asText())) {
                return null;
            }
            failed.add(id.asText());
        }
        return failed;
    }

    private void delete(List<Message> messages) {
        for (int from = 0; from < messages.size(); from += 10) {
            List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
            List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + 10));
            for (int i = 0; i < chunk.size(); i++) {
                entries.add(DeleteMessageBatchRequestEntry.builder().id(String.valueOf(i))
                    .receiptHandle(chunk.get(i).receiptHandle()).build());
            }
            DeleteMessageBatchResponse response = sqs.deleteMessageBatch(r -> r.queueUrl(queue.url())
                .entries(entries));
            if (response.hasFailed() && !response.failed().isEmpty()) {
                log.println("[" + name + "] could not delete " + response.failed().size() + " messages: "
                    + response.failed());
            }
        }
    }

    /** One record of the SQSEvent, field for field as Lambda builds it. */
    ObjectNode record(Message message) {
        ObjectNode record = JSON.createObjectNode();
        record.put("messageId", message.messageId());
        record.put("receiptHandle", message.receiptHandle());
        record.put("body", message.body());
        ObjectNode attributes = record.putObject("attributes");
        for (Map.Entry<String, String> attribute : message.attributesAsStrings().entrySet()) {
            attributes.put(attribute.getKey(), attribute.getValue());
        }
        ObjectNode messageAttributes = record.putObject("messageAttributes");
        for (Map.Entry<String, MessageAttributeValue> attribute : message.messageAttributes().entrySet()) {
            MessageAttributeValue value = attribute.getValue();
            ObjectNode node = messageAttributes.putObject(attribute.getKey());
            if (value.stringValue() != null) {
                node.put("stringValue", value.stringValue());
            }
            if (value.binaryValue() != null) {
                node.put("binaryValue", Base64.getEncoder().encodeToString(value.binaryValue().asByteArray()));
            }
            ArrayNode stringList = node.putArray("stringListValues");
            value.stringListValues().forEach(stringList::add);
            ArrayNode binaryList = node.putArray("binaryListValues");
            value.binaryListValues().forEach(b -> binaryList.add(Base64.getEncoder().encodeToString(
                b.asByteArray())));
            node.put("dataType", value.dataType());
        }
        record.put("md5OfBody", message.md5OfBody());
        if (message.md5OfMessageAttributes() != null) {
            record.put("md5OfMessageAttributes", message.md5OfMessageAttributes());
        }
        record.put("eventSource", "aws:sqs");
        record.put("eventSourceARN", queue.arn());
        record.put("awsRegion", region);
        return record;
    }

    /** What a FilterCriteria pattern sees: the record, with a JSON body parsed (a plain-text body stays a string). */
    private static JsonNode filterView(ObjectNode record) {
        ObjectNode view = record.deepCopy();
        try {
            JsonNode body = JSON.readTree(record.path("body").asText());
            if (body != null && body.isObject()) {
                view.set("body", body);
            }
        } catch (IOException e) {
            // not JSON: filters match the body as a string
        }
        return view;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        pollers.shutdown();
        try {
            if (!pollers.awaitTermination(IDLE_WAIT_SECONDS + 2, TimeUnit.SECONDS)) {
                pollers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pollers.shutdownNow();
        }
    }
}
