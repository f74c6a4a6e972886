package com.warehouseexport.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.model.table.RequestUpdate;
import com.warehouseexport.model.table.StatementSlots;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A dead-lettered message leaves its request FAILED with the reason, unless the request already has a statement. */
@LocalAwsTest
class DeadLetterHandlerTest {
    @Test
    void failsWaitingRequestsAndLeavesTheOthersAlone(DynamoDbClient dynamo) {
        String tableName = "dead-letters-" + UUID.randomUUID();
        ControlTableSchema.createTableIfMissing(dynamo, tableName);
        ControlTable table = new ControlTable(dynamo, tableName, Duration.ofDays(1));
        ExportRequest queued = request(table, RequestState.QUEUED, null);
        ExportRequest submittedWithoutStatement = request(table, RequestState.SUBMITTED, null);
        ExportRequest running = request(table, RequestState.RUNNING, "statement-1");

        SQSEvent event = new SQSEvent();
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (ExportRequest r : List.of(queued, submittedWithoutStatement, running)) {
            records.add(message("{\"requestId\":\"" + r.requestId() + "\"}"));
        }
        records.add(message("not json"));
        records.add(message("{\"requestId\":\"" + RequestIds.newId() + "\"}"));
        event.setRecords(records);

        SQSBatchResponse response = new DeadLetterHandler(table).handleRequest(event, null);
        assertTrue(response.getBatchItemFailures().isEmpty(), response::toString);
        for (ExportRequest r : List.of(queued, submittedWithoutStatement)) {
            ExportRequest now = table.get(r.requestId()).orElseThrow();
            assertEquals(RequestState.FAILED, now.state());
            assertEquals(DeadLetterHandler.DEAD_LETTERED, now.error().code());
            assertTrue(now.error().message().contains("5 deliveries"), now.error().message());
        }
        assertEquals(RequestState.RUNNING, table.get(running.requestId()).orElseThrow().state(),
                "a request with a statement belongs to the poller");
        assertEquals(1, new StatementSlots(dynamo, tableName).read().running(), "the failed one gave its slot back");
        assertTrue(table.inFlight(10).stream().anyMatch(r -> r.requestId().equals(queued.requestId())),
                "FAILED stays in flight until the poller emails it");

        // a second delivery of the same dead letters changes nothing
        new DeadLetterHandler(table).handleRequest(event, null);
        assertEquals(3, table.history(queued.requestId()).size());
    }

    private static ExportRequest request(ControlTable table, RequestState state, String statementId) {
        ExportRequest request = ExportRequest.received(RequestIds.newId(), "arn:aws:iam::000000000000:user/a",
                "product_detail", DatasetCatalog.load(null).get("product_detail").orElseThrow()
                        .validate(Json.parse("{\"sku\":\"FLOWER12\"}")).parameters(), ExportFormat.CSV, Instant.now());
        table.create(request);
        for (RequestState next : List.of(RequestState.QUEUED, RequestState.SUBMITTED, RequestState.RUNNING)) {
            if (next.ordinal() > state.ordinal()) {
                break;
            }
            request = table.transition(request, next, "set-up", next == RequestState.SUBMITTED && statementId != null
                    ? RequestUpdate.withStatementId(statementId) : RequestUpdate.none());
        }
        return request;
    }

    private static SQSEvent.SQSMessage message(String body) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(UUID.randomUUID().toString());
        message.setBody(body);
        message.setAttributes(Map.of("ApproximateReceiveCount", "5"));
        return message;
    }
}
