package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.table.StatementSlots;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A dead-lettered message leaves its request FAILED with the reason, unless the request already has a statement. */
@LocalAwsTest
class DeadLettersTest {
    @Test
    void failsWaitingRequestsLeavesTheOthersAloneAndEmptiesTheQueue(LocalAws aws) {
        PollerWorld world = new PollerWorld(aws, "dead-" + RequestIds.newId().substring(0, 8));
        String dlq = aws.clients().sqs().createQueue(r -> r.queueName("dead-" + RequestIds.newId())).queueUrl();
        String queued = RequestIds.newId();
        String submittedWithoutStatement = RequestIds.newId();
        String running = RequestIds.newId();
        world.requestIn(queued, RequestState.QUEUED, null);
        world.requestIn(submittedWithoutStatement, RequestState.SUBMITTED, null);
        world.requestIn(running, RequestState.RUNNING, "statement-1");
        for (String body : List.of(message(queued), message(submittedWithoutStatement), message(running), "not json",
                message(RequestIds.newId()))) {
            aws.clients().sqs().sendMessage(r -> r.queueUrl(dlq).messageBody(body));
        }

        assertEquals(5, new DeadLetters(aws.clients().sqs(), dlq, world.table).drain());
        for (String id : List.of(queued, submittedWithoutStatement)) {
            ExportRequest now = world.table.get(id).orElseThrow();
            assertEquals(RequestState.FAILED, now.state());
            assertEquals(DeadLetters.DEAD_LETTERED, now.error().code());
            assertTrue(now.error().message().contains("dead-letter queue"), now.error().message());
            assertTrue(world.inFlightIndexHas(id), "FAILED stays in flight until the poller emails it");
        }
        assertEquals(RequestState.RUNNING, world.table.get(running).orElseThrow().state(),
                "a request with a statement belongs to the poller");
        assertEquals(1, new StatementSlots(world.clients.dynamoDb(), world.table.tableName()).read().running(),
                "the failed one gave its slot back, the running one keeps it");
        assertEquals(0, new DeadLetters(aws.clients().sqs(), dlq, world.table).drain(), "queue emptied");

        // the next sweep emails the failures
        world.poller().sweep(() -> Long.MAX_VALUE);
        assertEquals(1, world.emailsAbout(queued).size());
    }

    private static String message(String id) {
        return "{\"requestId\":\"" + id + "\"}";
    }
}
