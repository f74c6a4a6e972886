package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.queue.ExportQueue;
import com.warehouseexport.model.table.StatementSlots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The sweep queues what the receiver left RECEIVED and re-sends lost messages, once however many sweeps run, and
 * leaves alone a request whose slot-wait message is still due.
 */
@LocalAwsTest
class StuckRequestSweepTest {
    @Test
    void requeuesStuckRequestsOnceEvenWithConcurrentSweeps(LocalAws aws) throws Exception {
        PollerWorld world = new PollerWorld(aws, "stuck-" + RequestIds.newId().substring(0, 8));
        String queueUrl = aws.clients().sqs().createQueue(r -> r.queueName("stuck-" + RequestIds.newId())).queueUrl();
        String leftReceived = RequestIds.newId();
        String lostMessage = RequestIds.newId();
        String lostBeforeExecute = RequestIds.newId();
        String fresh = RequestIds.newId();
        String running = RequestIds.newId();
        String waitingForSlot = RequestIds.newId();
        world.clock.advance(Duration.ofMinutes(-20));
        world.requestIn(waitingForSlot, RequestState.QUEUED, null);
        world.requestIn(leftReceived, RequestState.RECEIVED, null);
        world.requestIn(lostMessage, RequestState.QUEUED, null);
        world.requestIn(lostBeforeExecute, RequestState.SUBMITTED, null);
        world.requestIn(running, RequestState.RUNNING, "statement-1");
        world.clock.advance(Duration.ofMinutes(20));
        world.requestIn(fresh, RequestState.RECEIVED, null);
        // refused a statement slot 30 s ago: its own delayed message brings it back, it is not lost
        assertTrue(world.leases.claimSlotWait(waitingForSlot, world.clock.instant().minusSeconds(30),
                world.clock.instant()));

        StuckRequestSweep sweep = new StuckRequestSweep(world.table, world.leases,
                new StatementSlots(world.clients.dynamoDb(), world.table.tableName()),
                new ExportQueue(aws.clients().sqs(), queueUrl), Duration.ofSeconds(60), Duration.ofMinutes(15),
                world.clock);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(pool.submit(sweep::run));
        }
        int sent = 0;
        for (Future<Integer> run : runs) {
            sent += run.get();
        }
        pool.shutdown();
        sent += sweep.run();

        assertEquals(3, sent, "one message each for the three stuck requests");
        assertEquals(List.of(leftReceived, lostBeforeExecute, lostMessage).stream().sorted().toList(),
                receiveAll(aws, queueUrl).stream().map(m -> m.body().replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1"))
                        .sorted().toList());
        assertEquals(RequestState.QUEUED, world.table.get(leftReceived).orElseThrow().state());
        assertEquals(RequestState.RECEIVED, world.table.get(fresh).orElseThrow().state(), "too young to touch");

        // a lost message is sent again once per threshold, not on every sweep
        world.clock.advance(Duration.ofMinutes(16));
        assertEquals(5, sweep.run(), "16 minutes later: the three waiting ones again, the fresh one is queued, and"
                + " the one whose slot wait fell due 16 minutes ago without its message coming back");
        assertEquals(0, sweep.run());
    }

    @Test
    void aLostMessageIsFoundBehindMoreRequestsWaitingForASlotThanOneSweepLooksAt(LocalAws aws) {
        PollerWorld world = new PollerWorld(aws, "behind-" + RequestIds.newId().substring(0, 8));
        String queueUrl = aws.clients().sqs().createQueue(r -> r.queueName("behind-" + RequestIds.newId())).queueUrl();
        world.clock.advance(Duration.ofMinutes(-20));
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < StuckRequestSweep.LIMIT + 5; i++) {
            String id = RequestIds.newId();
            world.requestIn(id, RequestState.QUEUED, null);
            waiting.add(id);
        }
        world.clock.advance(Duration.ofMinutes(1));
        String lost = RequestIds.newId();
        world.requestIn(lost, RequestState.QUEUED, null);   // less stale than all the waiting ones
        world.clock.advance(Duration.ofMinutes(19));
        for (String id : waiting) {
            assertTrue(world.leases.claimSlotWait(id, world.clock.instant().minusSeconds(30), world.clock.instant()));
        }

        StuckRequestSweep sweep = new StuckRequestSweep(world.table, world.leases,
                new StatementSlots(world.clients.dynamoDb(), world.table.tableName()),
                new ExportQueue(aws.clients().sqs(), queueUrl), Duration.ofSeconds(60), Duration.ofMinutes(15),
                world.clock);

        assertEquals(1, sweep.run(), "only the lost one, though the waiting ones fill more than a sweep's page");
        assertEquals(List.of(lost), receiveAll(aws, queueUrl).stream()
                .map(m -> m.body().replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1")).toList());
    }

    private static List<Message> receiveAll(LocalAws aws, String queueUrl) {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = aws.clients().sqs().receiveMessage(r -> r.queueUrl(queueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
        }
    }
}
