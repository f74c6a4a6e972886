package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.RequestUpdate;
import com.warehouseexport.model.warehouse.AthenaWarehouse;
import com.warehouseexport.model.warehouse.ExportJob;
import com.warehouseexport.model.warehouse.ExportWarehouse;
import com.warehouseexport.model.warehouse.RedshiftDataWarehouse;
import com.warehouseexport.model.warehouse.Warehouses;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** The poller on Athena executions: no manifest (the prefix is listed), rows counted, events lead to the request. */
@LocalAwsTest
class ResultPollerAthenaTest {
    private static final DatasetCatalog CATALOG = DatasetCatalog.load(null);

    private record Setup(PollerWorld world, ResultPoller poller, Warehouses warehouses) {
    }

    private static Setup setup(LocalAws aws, String name) {
        PollerWorld world = new PollerWorld(aws, name);
        Warehouses warehouses = Warehouses.of(Map.of(
                Warehouses.REDSHIFT, () -> new RedshiftDataWarehouse(world.clients.redshiftData(), null,
                        world.resultsBucket, null),
                Warehouses.ATHENA, () -> new AthenaWarehouse(world.clients.athena(), null, "rsdataapi", null,
                        world.resultsBucket)));
        PollerSettings settings = world.settings();
        ResultPoller poller = new ResultPoller(world.table, world.leases, warehouses,
                new ResultPackager(world.clients.s3(), world.resultsBucket, world.archiveBucket,
                        MultipartUploadOutputStream.MIN_PART_SIZE),
                ArchiveLinks.presigned(world.clients.s3Presigner()),
                new Notifier(world.leases, world.ses, PollerWorld.SOURCE, PollerWorld.TARGETS,
                        settings.notificationLease(), world.clock),
                settings, world.clock);
        return new Setup(world, poller, warehouses);
    }

    /** A SUBMITTED request whose Athena query was started the way the processor starts it. */
    private static ExportRequest submitted(Setup s, String dataset, String parameters, ExportFormat format) {
        Dataset d = CATALOG.get(dataset).orElseThrow();
        ValidatedParameters values = d.validate(Json.parse(parameters)).parameters();
        String requestId = RequestIds.newId();
        ExportRequest request = s.world().table.create(ExportRequest.received(requestId, PollerWorld.OWNER, dataset,
                values, format, s.world().clock.instant()));
        request = s.world().table.transition(request, RequestState.QUEUED, "test", RequestUpdate.none());
        ExportWarehouse warehouse = s.warehouses().forDataset(d);
        ExportJob job = new ExportJob(requestId, d, values, format);
        String id = Warehouses.storedId(warehouse, warehouse.submit(job, warehouse.statement(job)));
        return s.world().table.transition(request, RequestState.SUBMITTED, "test", RequestUpdate.withStatementId(id));
    }

    private static void awaitWarehouse(Setup s, String storedId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!s.warehouses().describe(storedId).state().isFinal() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static List<String> entries(Setup s, String requestId) throws Exception {
        ExportRequest done = s.world().table.get(requestId).orElseThrow();
        byte[] zip = s.world().clients.s3().getObjectAsBytes(g -> g.bucket(s.world().archiveBucket)
                .key(done.result().archiveKey())).asByteArray();
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName() + "=" + new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                        .length());
            }
        }
        return names;
    }

    @Test
    void csvResultIsPackagedFromTheQueryOutputAndRowsAreCounted(LocalAws aws) throws Exception {
        Setup s = setup(aws, "athena-csv");
        ExportRequest request = submitted(s, "athena_product_detail", "{\"sku\":\"FLOWER14\"}", ExportFormat.CSV);
        awaitWarehouse(s, request.statementId());
        s.poller().poll(request.requestId());
        ExportRequest done = s.world().table.get(request.requestId()).orElseThrow();
        assertEquals(RequestState.SUCCEEDED, done.state(), () -> String.valueOf(done.error()));
        assertEquals(1, done.result().rows());
        assertEquals(1, done.result().parts());
        List<String> names = entries(s, request.requestId());
        assertEquals(1, names.size(), names::toString);
        assertTrue(names.get(0).startsWith("athena_product_detail-part-0000.csv="), names::toString);
        assertEquals(1, s.world().emailsAbout(request.requestId()).size());
    }

    @Test
    void parquetUnloadIsPackagedByListingItsPrefixWithRowsFromTheFooters(LocalAws aws) throws Exception {
        Setup s = setup(aws, "athena-parquet");
        ExportRequest request = submitted(s, "athena_inventory_by_category", "{}", ExportFormat.PARQUET);
        awaitWarehouse(s, request.statementId());
        s.poller().poll(request.requestId());
        ExportRequest done = s.world().table.get(request.requestId()).orElseThrow();
        assertEquals(RequestState.SUCCEEDED, done.state(), () -> String.valueOf(done.error()));
        assertEquals(3, done.result().rows(), "one row per category");
        List<String> names = entries(s, request.requestId());
        assertEquals(1, names.size(), names::toString);
        assertTrue(names.get(0).startsWith("athena_inventory_by_category-part-0000.parquet="), names::toString);
    }

    @Test
    void jsonUnloadIsPackagedUnzippedWithItsLinesCounted(LocalAws aws) throws Exception {
        Setup s = setup(aws, "athena-json");
        ExportRequest request = submitted(s, "athena_inventory_by_category", "{}", ExportFormat.JSON);
        awaitWarehouse(s, request.statementId());
        s.poller().poll(request.requestId());
        ExportRequest done = s.world().table.get(request.requestId()).orElseThrow();
        assertEquals(RequestState.SUCCEEDED, done.state(), () -> String.valueOf(done.error()));
        assertEquals(3, done.result().rows(), "one line per category");
        byte[] zip = s.world().clients.s3().getObjectAsBytes(g -> g.bucket(s.world().archiveBucket)
                .key(done.result().archiveKey())).asByteArray();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry = in.getNextEntry();
            assertEquals("athena_inventory_by_category-part-0000.json", entry.getName());
            String[] lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n");
            assertEquals(3, lines.length, String.join("|", lines));
            for (String line : lines) {
                assertTrue(Json.parse(line).has("category"), line);
            }
            assertEquals(null, in.getNextEntry());
        }
    }

    @Test
    void athenaStateChangeEventsLeadToTheirRequest(LocalAws aws) throws Exception {
        Setup s = setup(aws, "athena-event");
        ExportRequest request = submitted(s, "athena_product_detail", "{\"sku\":\"FLOWER12\"}", ExportFormat.CSV);
        awaitWarehouse(s, request.statementId());
        String queryId = request.statementId().substring("athena:".length());
        PollReport report = s.poller().handle(new ScheduledEvent().withSource("aws.athena")
                .withDetailType("Athena Query State Change")
                .withDetail(Map.of("queryExecutionId", queryId, "currentState", "SUCCEEDED",
                        "workgroupName", "primary")), () -> Long.MAX_VALUE);
        assertEquals(PollReport.STATEMENT_EVENT, report.trigger());
        assertEquals(RequestState.SUCCEEDED, s.world().table.get(request.requestId()).orElseThrow().state());

        // a query that is not an export, and an id Athena never saw: ignored, nothing fails
        String other = s.world().clients.athena().startQueryExecution(b -> b.queryString("select 1")
                .resultConfiguration(r -> r.outputLocation("s3://" + s.world().resultsBucket + "/adhoc/")))
                .queryExecutionId();
        PollReport ignored = s.poller().handle(new ScheduledEvent().withSource("aws.athena")
                .withDetail(Map.of("queryExecutionId", other)), () -> Long.MAX_VALUE);
        assertEquals(0, ignored.examined());
        PollReport unknown = s.poller().handle(new ScheduledEvent().withSource("aws.athena")
                .withDetail(Map.of("queryExecutionId", "00000000-0000-4000-8000-000000000000")), () -> Long.MAX_VALUE);
        assertEquals(0, unknown.failures());
    }

    @Test
    void failedAthenaQueryFailsTheRequestWithAthenasError(LocalAws aws) throws Exception {
        Setup s = setup(aws, "athena-fail");
        ExportRequest request = submitted(s, "athena_product_detail", "{\"sku\":\"FLOWER12\"}", ExportFormat.CSV);
        awaitWarehouse(s, request.statementId());
        // the same request on a query that failed: stop one that is still queued is not deterministic, so use a
        // failing query of our own under this request's output location
        String failing = s.world().clients.athena().startQueryExecution(b -> b.queryString("select * from nope")
                .queryExecutionContext(c -> c.database("rsdataapi"))
                .resultConfiguration(r -> r.outputLocation("s3://" + s.world().resultsBucket + "/exports/"
                        + request.requestId() + "/"))).queryExecutionId();
        awaitWarehouse(s, Warehouses.athenaId(failing));
        ExportRequest second = submittedWithId(s, Warehouses.athenaId(failing));
        s.poller().poll(second.requestId());
        ExportRequest failed = s.world().table.get(second.requestId()).orElseThrow();
        assertEquals(RequestState.FAILED, failed.state());
        assertEquals(ResultPoller.STATEMENT_FAILED, failed.error().code());
        assertTrue(failed.error().message().startsWith("TABLE_NOT_FOUND"), failed.error().message());
    }

    private static ExportRequest submittedWithId(Setup s, String storedId) {
        Dataset d = CATALOG.get("athena_product_detail").orElseThrow();
        ExportRequest request = s.world().table.create(ExportRequest.received(RequestIds.newId(), PollerWorld.OWNER,
                d.name(), d.validate(Json.parse("{\"sku\":\"FLOWER12\"}")).parameters(), ExportFormat.CSV,
                s.world().clock.instant()));
        request = s.world().table.transition(request, RequestState.QUEUED, "test", RequestUpdate.none());
        return s.world().table.transition(request, RequestState.SUBMITTED, "test",
                RequestUpdate.withStatementId(storedId));
    }
}
