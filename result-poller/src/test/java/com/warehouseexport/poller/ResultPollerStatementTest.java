package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localaws.ses.OutboxMessage;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportLocations;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.sql.UnloadSql;
import com.warehouseexport.model.table.RequestUpdate;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/**
 * The poller following real statements of the emulated Redshift Data API: the status-change events the
 * statements publish (and the {@code events/} fixtures) drive the handler; the result is checked row by row.
 */
@LocalAwsTest
class ResultPollerStatementTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/redshift-unload";
    private static final String FINISHED_FIXTURE_ID = "3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13";
    private static final String FAILED_FIXTURE_ID = "9a0e7d42-51c3-4f8b-b6a1-c07e2d95f384";

    private static ValidatedParameters inventoryFilter(Dataset dataset, int warehouseId) {
        return dataset.validate(Json.parse("{\"warehouse_id\": " + warehouseId + "}")).parameters();
    }

    /** What the processor does: the request's UNLOAD, named after it, with an event when it ends. */
    private static String submit(RedshiftDataClient redshift, String requestId, String sql) {
        return redshift.executeStatement(b -> b.clusterIdentifier("redshift-cluster-1").database("dev")
                .dbUser("export_user").sql(sql).statementName("export-" + requestId).withEvent(true)).id();
    }

    private static DescribeStatementResponse awaitEnd(RedshiftDataClient redshift, String statementId)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            DescribeStatementResponse statement = redshift.describeStatement(b -> b.id(statementId));
            StatusString status = statement.status();
            if (status == StatusString.FINISHED || status == StatusString.FAILED || status == StatusString.ABORTED) {
                return statement;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("statement " + statementId + " still " + status);
            }
            Thread.sleep(50);
        }
    }

    private static long countRows(RedshiftDataClient redshift, String sql) throws InterruptedException {
        String id = redshift.executeStatement(b -> b.clusterIdentifier("redshift-cluster-1").database("dev")
                .dbUser("export_user").sql(sql)).id();
        assertEquals(StatusString.FINISHED, awaitEnd(redshift, id).status());
        return redshift.getStatementResult(b -> b.id(id)).records().get(0).get(0).longValue();
    }

    private static ExportRequest submittedRequest(PollerWorld world, String requestId, String dataset,
                                                  ValidatedParameters parameters, String statementId) {
        ExportRequest request = ExportRequest.received(requestId, PollerWorld.OWNER, dataset, parameters,
                ExportFormat.CSV, world.clock.instant());
        world.table.create(request);
        request = world.table.transition(request, RequestState.QUEUED, "queued", RequestUpdate.none());
        return world.table.transition(request, RequestState.SUBMITTED, "submitted",
                RequestUpdate.withStatementId(statementId));
    }

    private static long dataLines(Map<String, String> entries) {
        long lines = 0;
        for (String csv : entries.values()) {
            List<String> rows = csv.lines().toList();
            assertTrue(rows.get(0).startsWith("inventory_id,"), "each part starts with the header: " + rows.get(0));
            lines += rows.size() - 1;
        }
        return lines;
    }

    @Test
    void aFinishedStatementBecomesADownloadableZipAndOneEmail(LocalAws aws) throws Exception {
        PollerWorld world = new PollerWorld(aws, "finished");
        RedshiftDataClient redshift = aws.clients().redshiftData();
        Dataset inventory = DatasetCatalog.load(null).get("product_inventory").orElseThrow();
        ValidatedParameters parameters = inventoryFilter(inventory, 7);
        String sql = UnloadSql.render(inventory, parameters,
                ExportLocations.unloadTarget(world.resultsBucket, FINISHED_FIXTURE_ID), ROLE, ExportFormat.CSV);

        // the status-change event the statement publishes is the fast path's trigger
        CompletableFuture<ObjectNode> finishedEvent = new CompletableFuture<>();
        try (AutoCloseable subscription = aws.eventBus().subscribe(event -> {
            if (("export-" + FINISHED_FIXTURE_ID).equals(event.path("detail").path("statementName").asText())
                    && "FINISHED".equals(event.path("detail").path("state").asText())) {
                finishedEvent.complete(event);
            }
        })) {
            String statementId = submit(redshift, FINISHED_FIXTURE_ID, sql);
            submittedRequest(world, FINISHED_FIXTURE_ID, "product_inventory", parameters, statementId);
            ScheduledEvent event = Fixtures.fromJson(Json.write(finishedEvent.get(60, TimeUnit.SECONDS)),
                    ScheduledEvent.class);
            Object report = world.handler().handleRequest(event, null);
            System.out.println("status-change event: " + report);
        }

        ExportRequest done = world.table.get(FINISHED_FIXTURE_ID).orElseThrow();
        assertEquals(RequestState.SUCCEEDED, done.state());
        long expectedRows = countRows(redshift,
                "select count(*) from rsdataapi.product_inventory where warehouse_id = 7");
        assertTrue(expectedRows > 0, "the filter matches something");
        assertEquals(expectedRows, done.result().rows());

        HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(done.result().downloadUrl())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode());
        Map<String, String> entries = ResultPackagerTest.unzip(new ByteArrayInputStream(zip.body()));
        assertEquals(done.result().parts(), entries.size());
        assertTrue(entries.keySet().stream().allMatch(n -> n.matches("product_inventory-part-\\d{4}\\.csv")));
        assertEquals(expectedRows, dataLines(entries), "exactly the warehouse's rows");

        List<OutboxMessage> emails = world.emailsAbout(FINISHED_FIXTURE_ID);
        assertEquals(1, emails.size());
        assertTrue(emails.get(0).text().contains(done.result().downloadUrl()));

        // The fixture of the same event (a second delivery) and the schedule: no second email.
        world.handler().handleRequest(Fixtures.scheduledEvent("redshift-data-status-change.json"), null);
        world.handler().handleRequest(Fixtures.scheduledEvent("schedule.json"), null);
        assertEquals(1, world.emailsAbout(FINISHED_FIXTURE_ID).size());
        assertFalse(world.inFlightIndexHas(FINISHED_FIXTURE_ID));
    }

    @Test
    void aFailedStatementFailsTheRequestWithTheWarehouseError(LocalAws aws) throws Exception {
        PollerWorld world = new PollerWorld(aws, "failed");
        RedshiftDataClient redshift = aws.clients().redshiftData();
        String sql = "UNLOAD ('select * from rsdataapi.no_such_table') TO 's3://" + world.resultsBucket
                + "/exports/" + FAILED_FIXTURE_ID + "/part_' IAM_ROLE '" + ROLE
                + "' FORMAT AS CSV HEADER MANIFEST VERBOSE ALLOWOVERWRITE";
        String statementId = submit(redshift, FAILED_FIXTURE_ID, sql);
        DescribeStatementResponse statement = awaitEnd(redshift, statementId);
        assertEquals(StatusString.FAILED, statement.status());
        ExportRequest submitted = submittedRequest(world, FAILED_FIXTURE_ID, "product_detail",
                TestRequests.skuParameters("FLOWER12"), statementId);
        assertNotNull(submitted);

        // the FAILED fixture, deserialized as the runtime does, names this request
        world.handler().handleRequest(Fixtures.scheduledEvent("redshift-data-status-failed.json"), null);

        ExportRequest failed = world.table.get(FAILED_FIXTURE_ID).orElseThrow();
        assertEquals(RequestState.FAILED, failed.state());
        assertEquals(ResultPoller.STATEMENT_FAILED, failed.error().code());
        assertEquals(statement.error(), failed.error().message());
        assertTrue(failed.error().message().contains("no_such_table"), failed.error().message());
        List<OutboxMessage> emails = world.emailsAbout(FAILED_FIXTURE_ID);
        assertEquals(1, emails.size());
        assertEquals("Export " + FAILED_FIXTURE_ID + " failed", emails.get(0).subject());
        assertTrue(emails.get(0).text().contains(statement.error()), emails.get(0).text());

        world.handler().handleRequest(Fixtures.scheduledEvent("schedule.json"), null);
        world.handler().handleRequest(Fixtures.scheduledEvent("redshift-data-status-failed.json"), null);
        assertEquals(1, world.emailsAbout(FAILED_FIXTURE_ID).size(), "no second email");
    }

    /** The Data API forgets a statement 24 h after it ends: the request fails with the reason, never stays stuck. */
    @Test
    void aStatementTheWarehouseForgotFailsTheRequestOnceLagIsRuledOut(LocalAws aws) {
        PollerWorld world = new PollerWorld(aws, "forgotten");
        String requestId = com.warehouseexport.model.domain.RequestIds.newId();
        // a well-formed statement id the emulator never issued: DescribeStatement answers ResourceNotFoundException
        String forgotten = java.util.UUID.randomUUID().toString();
        world.requestIn(requestId, RequestState.RUNNING, forgotten);
        ResultPoller poller = world.poller();

        poller.sweep(() -> 60_000);
        assertEquals(RequestState.RUNNING, world.table.get(requestId).orElseThrow().state(),
                "right after submission a missing statement may be lag: wait");

        world.clock.advance(PollRules.STATEMENT_LOST_AFTER.plusSeconds(1));
        poller.sweep(() -> 60_000);
        ExportRequest failed = world.table.get(requestId).orElseThrow();
        assertEquals(RequestState.FAILED, failed.state());
        assertEquals(ResultPoller.STATEMENT_LOST, failed.error().code());
        assertTrue(failed.error().message().contains(forgotten) && failed.error().message().contains("submit it again"),
                failed.error().message());
        poller.sweep(() -> 60_000);
        assertEquals(1, world.emailsAbout(requestId).size(), "the failure is e-mailed once");
        assertFalse(world.inFlightIndexHas(requestId));
    }

    @Test
    void theScheduleFinishesAStatementItFindsFinished(LocalAws aws) throws Exception {
        PollerWorld world = new PollerWorld(aws, "sweep");
        RedshiftDataClient redshift = aws.clients().redshiftData();
        Dataset inventory = DatasetCatalog.load(null).get("product_inventory").orElseThrow();
        ValidatedParameters parameters = inventoryFilter(inventory, 3);
        String requestId = com.warehouseexport.model.domain.RequestIds.newId();
        String sql = UnloadSql.render(inventory, parameters,
                ExportLocations.unloadTarget(world.resultsBucket, requestId), ROLE, ExportFormat.CSV);
        String statementId = submit(redshift, requestId, sql);
        submittedRequest(world, requestId, "product_inventory", parameters, statementId);
        awaitEnd(redshift, statementId);

        Instant before = Instant.now();
        Object report = world.handler().handleRequest(Fixtures.scheduledEvent("schedule.json"), null);
        System.out.printf("schedule sweep: %s in %d ms%n", report, Duration.between(before, Instant.now()).toMillis());
        ExportRequest done = world.table.get(requestId).orElseThrow();
        assertEquals(RequestState.SUCCEEDED, done.state());
        assertEquals(1, world.emailsAbout(requestId).size());
        List<RequestState> history = world.table.history(requestId).stream().map(e -> e.state()).toList();
        assertEquals(List.of(RequestState.RECEIVED, RequestState.QUEUED, RequestState.SUBMITTED,
                RequestState.PACKAGING, RequestState.SUCCEEDED), history,
                "a statement seen only when finished skips RUNNING");
    }
}
