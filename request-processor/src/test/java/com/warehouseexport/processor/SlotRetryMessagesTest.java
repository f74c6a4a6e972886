package com.warehouseexport.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.queue.ExportQueue;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.model.table.RequestLeases;
import com.warehouseexport.model.table.RequestUpdate;
import com.warehouseexport.processor.ExportSubmitter.SlotWait.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * A request refused a statement slot keeps one delayed message however many copies of its message arrive: against
 * DynamoDB Local and ElasticMQ, with the clock set by hand.
 */
@LocalAwsTest
class SlotRetryMessagesTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final int RETRY_SECONDS = 30;

    private SqsClient sqs;
    private ControlTable table;
    private RequestLeases leases;
    private String queueUrl;

    @BeforeEach
    void setUp(DynamoDbClient dynamo, SqsClient sqs) {
        this.sqs = sqs;
        String name = "slot-wait-" + UUID.randomUUID();
        ControlTableSchema.createTableIfMissing(dynamo, name);
        table = new ControlTable(dynamo, name, Duration.ofDays(30));
        leases = new RequestLeases(dynamo, name);
        queueUrl = sqs.createQueue(r -> r.queueName("slot-wait-" + UUID.randomUUID())).queueUrl();
    }

    private SlotRetryMessages at(Instant now, String url) {
        return new SlotRetryMessages(leases, new ExportQueue(sqs, url), RETRY_SECONDS,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private String queuedRequest() {
        String id = RequestIds.newId();
        ExportRequest received = ExportRequest.received(id, "arn:aws:iam::000000000000:user/partner-a",
                "product_detail", DatasetCatalog.load(null).get("product_detail").orElseThrow()
                        .validate(Json.parse("{\"sku\":\"FLOWER12\"}")).parameters(), ExportFormat.CSV, T0);
        table.create(received);
        table.transition(received, RequestState.QUEUED, "queued", RequestUpdate.none());
        return id;
    }

    private int messagesOnQueue() {
        var attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }

    @Test
    void copiesThatArriveWhileOneWaitsAreDroppedAndTheNextRoundIsClaimedOnce() {
        String id = queuedRequest();

        assertEquals(Outcome.SCHEDULED, at(T0, queueUrl).later(id));
        // a redelivery, the sweep's re-send, a copy left by a crash: all before the first one is due
        assertEquals(Outcome.ALREADY_WAITING, at(T0.plusSeconds(1), queueUrl).later(id));
        assertEquals(Outcome.ALREADY_WAITING, at(T0.plusSeconds(RETRY_SECONDS - 3), queueUrl).later(id),
                "just before the earliest the delayed message can be due (30 s less the 2 s clock margin)");
        assertEquals(1, messagesOnQueue(), "one delayed message, not three");

        // the delayed message comes back (at least RETRY_SECONDS later) and still finds every slot taken
        Instant due = T0.plusSeconds(RETRY_SECONDS * 3 / 2);
        assertEquals(Outcome.SCHEDULED, at(due, queueUrl).later(id));
        assertEquals(Outcome.ALREADY_WAITING, at(due, queueUrl).later(id), "a second copy at the same moment");
        assertEquals(2, messagesOnQueue());
    }

    @Test
    void aClaimWhoseMessageCouldNotBeSentIsGivenBack() {
        String id = queuedRequest();
        String missingQueue = queueUrl + "-deleted";

        assertThrows(SqsException.class, () -> at(T0, missingQueue).later(id));

        assertEquals(Outcome.SCHEDULED, at(T0.plusSeconds(1), queueUrl).later(id),
                "the delivery's retry claims again at once");
        assertEquals(1, messagesOnQueue());
    }

    @Test
    void aRequestThatMovedOnNeedsNoMessage() {
        String id = queuedRequest();
        ExportRequest queued = table.get(id).orElseThrow();
        table.transition(queued, RequestState.CANCELLED, "cancelled by its owner", RequestUpdate.none());

        assertEquals(Outcome.ALREADY_WAITING, at(T0, queueUrl).later(id));
        assertEquals(0, messagesOnQueue());
    }

    @Test
    void theDelayIsJitteredUpToHalfAgainAndNeverBeyondSqsLimit() {
        for (int i = 0; i < 200; i++) {
            int delay = SlotRetryMessages.jittered(30);
            assertTrue(delay >= 30 && delay <= 45, "delay " + delay);
            assertEquals(900, SlotRetryMessages.jittered(900), "SQS delays no longer than 900 s");
        }
    }
}
