package com.warehouseexport.localruntime.testfunction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.warehouseexport.model.config.Env;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every message it gets (one line per message in RECORD_FILE) and reports as failed those whose body
 * contains "fail"; a body "throw" makes the whole invocation fail.
 */
public class SqsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        StringBuilder lines = new StringBuilder();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            lines.append(message.getBody()).append('|').append(message.getMessageId()).append('|')
                .append(message.getAttributes().get("ApproximateReceiveCount")).append('|')
                .append(message.getEventSource()).append('|').append(message.getEventSourceArn()).append('|')
                .append(message.getAwsRegion()).append('|').append(message.getMd5OfBody()).append('|')
                .append(message.getMessageAttributes().containsKey("kind")
                    ? message.getMessageAttributes().get("kind").getStringValue() : "-").append('|')
                .append(event.getRecords().size()).append('\n');
            if (message.getBody().contains("fail")) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId())
                    .build());
            }
        }
        try {
            Files.writeString(Path.of(Env.get("RECORD_FILE")), lines, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            if (message.getBody().equals("throw")) {
                throw new IllegalStateException("asked to throw");
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
