package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.RequestUpdate;
import com.warehouseexport.model.table.StatementSlots;
import com.warehouseexport.processor.ExportSubmitter;
import com.warehouseexport.processor.WarehouseConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Several processors and several pollers, on threads, on the same requests at once; every message delivered
 * several times. Counted afterwards where it happened: statements in the warehouse emulator, archives in S3,
 * emails in the outbox. Also: the statement limit held (from the statements' own lifetimes).
 */
@LocalAwsTest
class ExactlyOnceConcurrencyTest {
    private static final int REQUESTS = 10;
    private static final int STATEMENT_LIMIT = 3;
    private static final int PROCESSORS = 4;
    private static final int POLLERS = 3;
    private static final int DELIVERIES_PER_PROCESSOR = 2;
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @Test
    void everyRequestRunsOnceAndIsArchivedAndEmailedOnce(LocalAws aws) throws Exception {
        PollerWorld world = new PollerWorld(aws, "once-" + RequestIds.newId().substring(0, 8));
        ControlTable limited = world.table.withStatementLimit(STATEMENT_LIMIT);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String id = RequestIds.newId();
            ExportRequest request = ExportRequest.received(id, PollerWorld.OWNER, "product_detail",
                    TestRequests.skuParameters(i % 2 == 0 ? "FLOWER12" : "FLOWER13"), ExportFormat.CSV,
                    world.clock.instant());
            world.table.create(request);
            // a few were left by a processor that died after SUBMITTED, before ExecuteStatement answered
            if (i < 2) {
                request = limited.transition(world.table.transition(request, RequestState.QUEUED, "queued",
                        RequestUpdate.none()), RequestState.SUBMITTED, "test: processor died here", RequestUpdate.none());
            } else if (i < 6) {
                world.table.transition(request, RequestState.QUEUED, "queued", RequestUpdate.none());
            }
            // the rest stay RECEIVED: the message overtook the receiver's own QUEUED write
            ids.add(id);
        }

        ConcurrentLinkedQueue<String> deferred = new ConcurrentLinkedQueue<>();
        AtomicInteger deferrals = new AtomicInteger();
        ExportSubmitter submitter = new ExportSubmitter(limited, world.clients.redshiftData(), DatasetCatalog.load(null),
                new WarehouseConnection("redshift-cluster-1", null, "dev", null, "export_user"), world.resultsBucket,
                "arn:aws:iam::000000000000:role/redshift-unload", 5, id -> {
                    deferrals.incrementAndGet();
                    deferred.add(id);
                    return ExportSubmitter.SlotWait.Outcome.SCHEDULED;
                });

        ExecutorService pool = Executors.newFixedThreadPool(PROCESSORS + POLLERS);
        AtomicBoolean done = new AtomicBoolean();
        long started = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int p = 0; p < PROCESSORS; p++) {
            List<String> order = new ArrayList<>(ids);
            Collections.shuffle(order);
            workers.add(pool.submit(() -> {
                for (int round = 0; round < DELIVERIES_PER_PROCESSOR; round++) {
                    for (String id : order) {
                        submitter.submit(message(id), round + 1);
                    }
                }
                // the delayed messages of requests that found every slot taken come back until none is left
                while (!done.get()) {
                    String id = deferred.poll();
                    if (id == null) {
                        sleep(50);
                    } else {
                        submitter.submit(message(id), 1);
                    }
                }
                return null;
            }));
        }
        for (int p = 0; p < POLLERS; p++) {
            ResultPoller poller = world.poller();
            workers.add(pool.submit(() -> {
                while (!done.get()) {
                    poller.sweep(() -> Long.MAX_VALUE);
                    sleep(20);
                }
                return null;
            }));
        }
        try {
            while (!ids.stream().allMatch(id -> world.leases.notifiedAt(id).isPresent())) {
                assertTrue(System.nanoTime() - started < DEADLINE.toNanos(), () -> "not all done after " + DEADLINE
                        + ": " + ids.stream().map(id -> world.table.get(id).orElseThrow().state()).toList());
                sleep(100);
            }
        } finally {
            done.set(true);
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        // a few more sweeps after the end must change nothing
        world.poller().sweep(() -> Long.MAX_VALUE);

        Map<String, List<StatementData>> statements = new TreeMap<>();
        for (String id : ids) {
            ExportRequest request = world.table.get(id).orElseThrow();
            assertEquals(RequestState.SUCCEEDED, request.state(), request::toString);
            List<StatementData> ofRequest = aws.clients().redshiftData().listStatements(r -> r
                    .statementName("export-" + id).status(StatusString.ALL).maxResults(100)).statements();
            statements.put(id, ofRequest);
            assertEquals(1, ofRequest.size(), () -> "statements of " + id + ": " + ofRequest);
            assertEquals(request.statementId(), ofRequest.get(0).id());
            List<S3Object> archives = world.clients.s3().listObjectsV2(r -> r.bucket(world.archiveBucket)
                    .prefix("archives/" + id + "/")).contents();
            assertEquals(1, archives.size(), () -> "archives of " + id + ": " + archives);
            assertEquals(1, world.emailsAbout(id).size(), () -> "emails about " + id);
        }
        assertEquals(0, world.clients.s3().listMultipartUploads(r -> r.bucket(world.archiveBucket)).uploads().size(),
                "no multipart upload left behind");
        assertEquals(0, new StatementSlots(world.clients.dynamoDb(), world.table.tableName()).read().running(),
                "every slot given back");

        int mostAtOnce = mostOverlapping(statements.values().stream().flatMap(List::stream).toList());
        assertTrue(mostAtOnce <= STATEMENT_LIMIT, "statements alive at once: " + mostAtOnce);
        System.out.printf("exactly-once figures: %d requests, %d processors x %d deliveries, %d pollers, "
                        + "%d deferrals for want of a slot, at most %d statements at once (limit %d), %d ms%n",
                REQUESTS, PROCESSORS, DELIVERIES_PER_PROCESSOR, POLLERS, deferrals.get(), mostAtOnce,
                STATEMENT_LIMIT, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Most statements alive at the same instant, a statement living from CreatedAt to its final UpdatedAt. */
    static int mostOverlapping(List<StatementData> statements) {
        TreeMap<Instant, Integer> changes = new TreeMap<>();
        for (StatementData s : statements) {
            changes.merge(s.createdAt(), 1, Integer::sum);
            changes.merge(s.updatedAt(), -1, Integer::sum);
        }
        int alive = 0;
        int most = 0;
        for (int change : changes.values()) {
            alive += change;
            most = Math.max(most, alive);
        }
        return most;
    }

    private static String message(String id) {
        return "{\"requestId\":\"" + id + "\"}";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
