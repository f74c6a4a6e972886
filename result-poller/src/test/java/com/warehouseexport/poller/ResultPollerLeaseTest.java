package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localaws.ses.OutboxMessage;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportLocations;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.table.RequestUpdate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The poller's claims and leases against the emulated DynamoDB, S3 and SES: a packager that died is taken over
 * after its lease, and every finished request gets exactly one email however many pollers run.
 */
@LocalAwsTest
class ResultPollerLeaseTest {

    private static HttpResponse<byte[]> download(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aPackagerThatDiedIsTakenOverAfterItsLease(LocalAws aws) throws Exception {
        PollerWorld world = new PollerWorld(aws, "lease");
        String id = RequestIds.newId();
        world.requestIn(id, RequestState.PACKAGING, "statement-1");
        List<String> parts = ResultPackagerTest.writeUnloadOutput(aws.clients().s3(), world.resultsBucket, id,
                new int[] {1200, 800});
        // the dead packager's unfinished upload
        aws.clients().s3().createMultipartUpload(b -> b.bucket(world.archiveBucket).key(ExportLocations.archiveKey(id)));
        ResultPoller poller = world.poller();

        world.clock.advance(Duration.ofMinutes(5));
        poller.sweep(() -> 600_000);
        assertEquals(RequestState.PACKAGING, world.table.get(id).orElseThrow().state(), "lease still running");
        assertEquals(0, world.emailsAbout(id).size());

        world.clock.advance(PollerSettings.DEFAULT_PACKAGING_LEASE);
        PollReport report = poller.sweep(() -> 600_000);
        assertEquals(1, report.examined());
        assertEquals(0, report.failures());

        ExportRequest done = world.table.get(id).orElseThrow();
        assertEquals(RequestState.SUCCEEDED, done.state());
        assertEquals(2000, done.result().rows());
        assertEquals(2, done.result().parts());
        assertEquals(ExportLocations.archiveKey(id), done.result().archiveKey());
        assertEquals(world.clock.instant().plus(Duration.ofHours(1)), done.result().expiresAt());
        assertEquals(0, aws.clients().s3().listMultipartUploads(b -> b.bucket(world.archiveBucket)).uploads().size());

        HttpResponse<byte[]> zip = download(done.result().downloadUrl());
        assertEquals(200, zip.statusCode());
        assertEquals(done.result().bytes(), zip.body().length);
        Map<String, String> entries = ResultPackagerTest.unzip(new ByteArrayInputStream(zip.body()));
        assertEquals(List.of("product_detail-part-0000.csv", "product_detail-part-0001.csv"),
                List.copyOf(entries.keySet()));
        assertEquals(parts, List.copyOf(entries.values()));

        List<OutboxMessage> emails = world.emailsAbout(id);
        assertEquals(1, emails.size());
        assertEquals("Export " + id + " is ready", emails.get(0).subject());
        assertEquals(PollerWorld.TARGETS, emails.get(0).to());
        assertTrue(emails.get(0).text().contains(done.result().downloadUrl()));
        assertTrue(emails.get(0).text().contains("Rows: 2,000"));
        assertNotNull(emails.get(0).html());

        assertFalse(world.inFlightIndexHas(id), "notified requests leave the in-flight index");
        poller.sweep(() -> 600_000);
        poller.poll(id);
        assertEquals(1, world.emailsAbout(id).size(), "running the poller again sends no second email");
    }

    @Test
    void aClaimedButUnrecordedEmailIsSentOnceItsLeaseRunsOut(LocalAws aws) {
        PollerWorld world = new PollerWorld(aws, "notify-lease");
        String id = RequestIds.newId();
        ExportRequest running = world.requestIn(id, RequestState.RUNNING, "statement-2");
        world.table.transition(running, RequestState.FAILED, "failed",
                RequestUpdate.withError(new ExportError("statement_failed", "ERROR: disk full")).keepInFlight());
        // a poller claimed the email and died before sending it
        assertTrue(world.leases.claimNotification(id, world.clock.instant(), world.clock.instant()));
        ResultPoller poller = world.poller();

        poller.sweep(() -> 600_000);
        assertEquals(0, world.emailsAbout(id).size(), "the claim is still someone else's");
        assertTrue(world.inFlightIndexHas(id));

        world.clock.advance(PollerSettings.DEFAULT_NOTIFICATION_LEASE.plusSeconds(1));
        poller.sweep(() -> 600_000);
        List<OutboxMessage> emails = world.emailsAbout(id);
        assertEquals(1, emails.size());
        assertEquals("Export " + id + " failed", emails.get(0).subject());
        assertTrue(emails.get(0).text().contains("ERROR: disk full"));
        assertFalse(world.inFlightIndexHas(id));
        assertTrue(world.leases.notifiedAt(id).isPresent());
    }

    @Test
    void concurrentPollersSendOneEmail(LocalAws aws) throws Exception {
        PollerWorld world = new PollerWorld(aws, "concurrent");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = RequestIds.newId();
            ExportRequest running = world.requestIn(id, RequestState.RUNNING, "statement-" + i);
            world.table.transition(running, RequestState.FAILED, "failed",
                    RequestUpdate.withError(new ExportError("statement_failed", "ERROR " + i)).keepInFlight());
            ids.add(id);
        }
        List<Callable<PollReport>> pollers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ResultPoller poller = world.poller();
            pollers.add(() -> poller.sweep(() -> 600_000));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (Future<PollReport> report : pool.invokeAll(pollers)) {
                assertEquals(0, report.get().failures());
            }
        } finally {
            pool.shutdownNow();
        }
        for (String id : ids) {
            assertEquals(1, world.emailsAbout(id).size(), "one email for " + id);
            assertFalse(world.inFlightIndexHas(id));
        }
    }

    @Test
    void cancelledRequestsJustLeaveTheIndex(LocalAws aws) {
        PollerWorld world = new PollerWorld(aws, "cancelled");
        String id = RequestIds.newId();
        ExportRequest queued = world.requestIn(id, RequestState.QUEUED, null);
        world.table.transition(queued, RequestState.CANCELLED, "cancelled", RequestUpdate.none().keepInFlight());
        assertTrue(world.inFlightIndexHas(id));
        world.poller().sweep(() -> 600_000);
        assertFalse(world.inFlightIndexHas(id));
        assertEquals(0, world.emailsAbout(id).size());
    }

    @Test
    void theSweepStopsWhenTimeRunsShort(LocalAws aws) {
        PollerWorld world = new PollerWorld(aws, "deadline");
        String id = RequestIds.newId();
        ExportRequest running = world.requestIn(id, RequestState.RUNNING, "statement-3");
        world.table.transition(running, RequestState.FAILED, "failed",
                RequestUpdate.withError(new ExportError("statement_failed", "x")).keepInFlight());
        PollReport report = world.poller().sweep(() -> 1_000);
        assertTrue(report.stoppedForTime());
        assertEquals(0, report.examined());
        assertEquals(0, world.emailsAbout(id).size());
    }
}
