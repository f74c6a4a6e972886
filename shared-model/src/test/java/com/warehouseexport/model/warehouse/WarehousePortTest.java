package com.warehouseexport.model.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.json.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Both adapters of the warehouse port against the local Redshift Data API and Athena (one DuckDB behind both). */
@LocalAwsTest
class WarehousePortTest {
    private static final String BUCKET = "port-test-results";
    private static final DatasetCatalog CATALOG = DatasetCatalog.load(null);

    @BeforeAll
    static void bucket(S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    private static Warehouses warehouses(RedshiftDataClient redshift, AthenaClient athena) {
        return Warehouses.of(Map.of(
                Warehouses.REDSHIFT, () -> new RedshiftDataWarehouse(redshift,
                        new RedshiftConnection("local", null, "dev", null, "awsuser"), BUCKET, "default"),
                Warehouses.ATHENA, () -> new AthenaWarehouse(athena, null, "rsdataapi", null, BUCKET)));
    }

    /** As the receiver builds them: Redshift reads small results from the UNLOAD parts. */
    private static Warehouses readingWarehouses(RedshiftDataClient redshift, AthenaClient athena, S3Client s3) {
        return Warehouses.of(Map.of(
                Warehouses.REDSHIFT, () -> new RedshiftDataWarehouse(redshift,
                        new RedshiftConnection("local", null, "dev", null, "awsuser"), BUCKET, "default",
                        new UnloadPartsReader(s3, BUCKET)),
                Warehouses.ATHENA, () -> new AthenaWarehouse(athena, null, "rsdataapi", null, BUCKET)));
    }

    private static ExportJob job(String dataset, String parameters, ExportFormat format) {
        Dataset d = CATALOG.get(dataset).orElseThrow();
        return new ExportJob(RequestIds.newId(), d, d.validate(Json.parse(parameters)).parameters(), format);
    }

    private static String submit(Warehouses warehouses, ExportJob job) {
        ExportWarehouse warehouse = warehouses.forDataset(job.dataset());
        return Warehouses.storedId(warehouse, warehouse.submit(job, warehouse.statement(job)));
    }

    private static WarehouseExecution awaitFinal(Warehouses warehouses, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        WarehouseExecution e;
        do {
            Thread.sleep(10);
            e = warehouses.describe(id);
        } while (!e.state().isFinal() && System.nanoTime() < deadline);
        return e;
    }

    @Test
    void athenaCsvExportIsIdempotentAndLeadsBackToItsRequest(RedshiftDataClient redshift, AthenaClient athena,
                                                             S3Client s3) throws Exception {
        Warehouses warehouses = warehouses(redshift, athena);
        ExportJob job = job("athena_product_detail", "{\"sku\":\"FLOWER13\"}", ExportFormat.CSV);
        String id = submit(warehouses, job);
        assertTrue(id.startsWith("athena:"), id);
        assertEquals(Warehouses.ATHENA, Warehouses.engineOf(id));
        assertEquals(id, submit(warehouses, job), "same request id, same query execution");

        WarehouseExecution done = awaitFinal(warehouses, id);
        assertEquals(ExecutionState.FINISHED, done.state(), done.error());
        assertEquals(job.requestId(), done.requestId());
        assertEquals(id, done.executionId());
        assertEquals(ResultFiles.Layout.PREFIX, done.output().layout());
        assertEquals("exports/" + job.requestId() + "/" + id.substring("athena:".length()) + ".csv",
                done.output().key());
        String csv = s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(done.output().key())).asUtf8String();
        assertEquals("\"sku\",\"product_id\",\"product_name\",\"product_description\"\n"
                + "\"FLOWER13\",\"12346\",\"Flowers - Jasmine\",\"Flowers-Jasmine\"\n", csv);
    }

    @Test
    void athenaParquetExportUnloadsIntoTheDataPrefix(RedshiftDataClient redshift, AthenaClient athena, S3Client s3)
            throws Exception {
        Warehouses warehouses = warehouses(redshift, athena);
        ExportJob job = job("athena_inventory_by_category", "{\"is_active\":true}", ExportFormat.PARQUET);
        WarehouseExecution done = awaitFinal(warehouses, submit(warehouses, job));
        assertEquals(ExecutionState.FINISHED, done.state(), done.error());
        assertEquals("exports/" + job.requestId() + "/data/", done.output().key());
        assertEquals(1, s3.listObjectsV2(l -> l.bucket(BUCKET).prefix(done.output().key())).contents().size());
        assertTrue(done.duration() != null);
    }

    @Test
    void failuresCancelsAndUnknownIdsLookTheSameOnBothEngines(RedshiftDataClient redshift, AthenaClient athena)
            throws Exception {
        Warehouses warehouses = warehouses(redshift, athena);
        Dataset broken = DatasetCatalog.of("""
                {"datasets": [{"name": "broken", "description": "d", "warehouse": "athena",
                  "sql": "select * from no_such_table"}]}""", "test").get("broken").orElseThrow();
        ExportJob job = new ExportJob(RequestIds.newId(), broken, broken.validate(Json.parse("{}")).parameters(),
                ExportFormat.CSV);
        WarehouseExecution failed = awaitFinal(warehouses, submit(warehouses, job));
        assertEquals(ExecutionState.FAILED, failed.state());
        assertEquals("TABLE_NOT_FOUND: Table 'awsdatacatalog.rsdataapi.no_such_table' does not exist", failed.error());

        assertThrows(ExecutionNotFoundException.class,
                () -> warehouses.describe(Warehouses.athenaId("00000000-0000-4000-8000-000000000000")));
        assertThrows(ExecutionNotFoundException.class,
                () -> warehouses.describe("00000000-0000-4000-8000-000000000000"));

        Dataset slow = DatasetCatalog.of("""
                {"datasets": [{"name": "slow", "description": "d", "warehouse": "athena",
                  "sql": "select count(*) as n from range(200000000) a, range(1000) b"}]}""", "test")
                .get("slow").orElseThrow();
        String slowId = submit(warehouses, new ExportJob(RequestIds.newId(), slow,
                slow.validate(Json.parse("{}")).parameters(), ExportFormat.CSV));
        warehouses.cancel(slowId);
        assertEquals(ExecutionState.ABORTED, awaitFinal(warehouses, slowId).state());
        warehouses.cancel(slowId); // already final: nothing happens
    }

    @Test
    void redshiftKeepsItsUnloadAndStoredIds(RedshiftDataClient redshift, AthenaClient athena) throws Exception {
        Warehouses warehouses = warehouses(redshift, athena);
        ExportJob job = job("product_detail", "{\"sku\":\"FLOWER12\"}", ExportFormat.CSV);
        String statement = warehouses.forDataset(job.dataset()).statement(job);
        assertTrue(statement.startsWith("UNLOAD ('select * from rsdataapi.product_detail where sku = \\'FLOWER12\\''"),
                statement);
        String id = submit(warehouses, job);
        assertTrue(RequestIds.isWellFormed(id) || id.matches("[0-9a-f-]{36}"), "stored as the Data API's id: " + id);
        assertEquals(Warehouses.REDSHIFT, Warehouses.engineOf(id));
        WarehouseExecution done = awaitFinal(warehouses, id);
        assertEquals(ExecutionState.FINISHED, done.state(), done.error());
        assertEquals(1, done.rows());
        assertEquals(job.requestId(), done.requestId());
        assertEquals(new ResultFiles(ResultFiles.Layout.MANIFEST, BUCKET,
                "exports/" + job.requestId() + "/part_manifest"), done.output());
    }

    @Test
    void bothEnginesReadTheSameSmallResultAthenaWithItsColumnTypes(RedshiftDataClient redshift, AthenaClient athena,
                                                                   S3Client s3) throws Exception {
        Warehouses warehouses = readingWarehouses(redshift, athena, s3);
        ExportJob onRedshift = job("product_detail", "{\"sku\":\"FLOWER12\"}", ExportFormat.CSV);
        ExportJob onAthena = job("athena_product_detail", "{\"sku\":\"FLOWER12\"}", ExportFormat.CSV);
        String redshiftId = submit(warehouses, onRedshift);
        String athenaId = submit(warehouses, onAthena);
        assertEquals(ExecutionState.FINISHED, awaitFinal(warehouses, redshiftId).state());
        assertEquals(ExecutionState.FINISHED, awaitFinal(warehouses, athenaId).state());

        InlineResult fromParts = warehouses.smallResult(redshiftId, onRedshift.requestId(), InlineResult.Limits.DEFAULT)
                .orElseThrow();
        InlineResult fromAthena = warehouses.smallResult(athenaId, onAthena.requestId(), InlineResult.Limits.DEFAULT)
                .orElseThrow();
        assertEquals(List.of(List.of("FLOWER12", "12345", "Flowers - Rose", "Flowers-Rose")), fromParts.rows());
        assertEquals(fromParts.rows(), fromAthena.rows(), "Athena's header row is not a row");
        assertEquals(fromParts.columns().stream().map(InlineResult.Column::name).toList(),
                fromAthena.columns().stream().map(InlineResult.Column::name).toList());
        assertTrue(fromParts.columns().stream().allMatch(c -> c.type().equals("string")), fromParts::toString);
        assertEquals("varchar", fromAthena.columns().get(0).type(), fromAthena::toString);
        System.out.println("Athena column types: " + fromAthena.columns());
    }

    @Test
    void athenaSmallResultsArePagedAndRespectTheLimits(RedshiftDataClient redshift, AthenaClient athena, S3Client s3)
            throws Exception {
        Warehouses warehouses = readingWarehouses(redshift, athena, s3);
        Dataset numbers = DatasetCatalog.of("""
                {"datasets": [{"name": "numbers", "description": "d", "warehouse": "athena",
                  "sql": "select range as n, case when range % 2 = 0 then null else 'odd' end as parity from range(2500) order by n"}]}""",
                "test").get("numbers").orElseThrow();
        ExportJob job = new ExportJob(RequestIds.newId(), numbers, numbers.validate(Json.parse("{}")).parameters(),
                ExportFormat.CSV);
        String id = submit(warehouses, job);
        assertEquals(ExecutionState.FINISHED, awaitFinal(warehouses, id).state());

        InlineResult all = warehouses.smallResult(id, job.requestId(), InlineResult.Limits.DEFAULT).orElseThrow();
        assertEquals(2500, all.rows().size(), "three pages of at most 1,000 rows, header skipped once");
        assertEquals(List.of("0", "1", "2"), all.rows().subList(0, 3).stream().map(r -> r.get(0)).toList());
        assertEquals("2499", all.rows().get(2499).get(0));
        assertEquals(null, all.rows().get(0).get(1), "NULL stays null");
        assertEquals("odd", all.rows().get(1).get(1));
        assertEquals(List.of("bigint", "varchar"), all.columns().stream().map(InlineResult.Column::type).toList());

        assertEquals(Optional.empty(), warehouses.smallResult(id, job.requestId(), new InlineResult.Limits(1 << 20, 2499)));
        assertTrue(warehouses.smallResult(id, job.requestId(), new InlineResult.Limits(1 << 20, 2500)).isPresent());
        assertEquals(Optional.empty(), warehouses.smallResult(id, job.requestId(), new InlineResult.Limits(1000, 10_000)));
    }

    @Test
    void athenaJsonUnloadWritesGzippedNewlineDelimitedObjects(RedshiftDataClient redshift, AthenaClient athena,
                                                              S3Client s3) throws Exception {
        Warehouses warehouses = warehouses(redshift, athena);
        ExportJob job = job("athena_inventory_by_category", "{\"is_active\":true}", ExportFormat.JSON);
        WarehouseExecution done = awaitFinal(warehouses, submit(warehouses, job));
        assertEquals(ExecutionState.FINISHED, done.state(), done.error());
        assertEquals("exports/" + job.requestId() + "/data/", done.output().key());
        var files = s3.listObjectsV2(l -> l.bucket(BUCKET).prefix(done.output().key())).contents();
        assertEquals(1, files.size());
        assertTrue(files.get(0).key().endsWith(".gz"), files.get(0).key());
        int lines = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                s3.getObject(g -> g.bucket(BUCKET).key(files.get(0).key()))), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; lines++) {
                var object = Json.parse(line);
                assertTrue(object.isObject() && object.has("category") && object.has("units_on_hand"), line);
            }
        }
        assertTrue(lines > 0);
        assertEquals(Optional.empty(), warehouses.smallResult(done.executionId(), job.requestId(),
                InlineResult.Limits.DEFAULT), "an UNLOAD has no result set to read");
    }

    @Test
    void redshiftCompressedCsvPartsAreNamedAsRedshiftNamesThem(RedshiftDataClient redshift, AthenaClient athena,
                                                              S3Client s3) throws Exception {
        Warehouses warehouses = warehouses(redshift, athena);
        Dataset detail = CATALOG.get("product_detail").orElseThrow();
        for (Compression compression : new Compression[] {Compression.GZIP, Compression.ZSTD}) {
            ExportJob job = new ExportJob(RequestIds.newId(), detail,
                    detail.validate(Json.parse("{\"sku\":\"FLOWER12\"}")).parameters(), ExportFormat.CSV, compression);
            String statement = warehouses.forDataset(detail).statement(job);
            assertTrue(statement.endsWith(" FORMAT AS CSV HEADER " + compression.name()
                    + " MANIFEST VERBOSE ALLOWOVERWRITE"), statement);
            WarehouseExecution done = awaitFinal(warehouses, submit(warehouses, job));
            assertEquals(ExecutionState.FINISHED, done.state(), done.error());
            List<String> parts = s3.listObjectsV2(l -> l.bucket(BUCKET).prefix("exports/" + job.requestId() + "/"))
                    .contents().stream().map(o -> o.key()).filter(k -> !k.endsWith("manifest")).toList();
            assertFalse(parts.isEmpty());
            for (String key : parts) {
                assertTrue(key.endsWith(compression.fileSuffix()), key);
            }
        }
    }

    @Test
    void athenaRefusesACompressedJobBeforeAnythingRuns(RedshiftDataClient redshift, AthenaClient athena) {
        Warehouses warehouses = warehouses(redshift, athena);
        Dataset d = CATALOG.get("athena_product_detail").orElseThrow();
        ExportJob job = new ExportJob(RequestIds.newId(), d, d.validate(Json.parse("{\"sku\":\"FLOWER13\"}")).parameters(),
                ExportFormat.CSV, Compression.GZIP);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> warehouses.forDataset(d).statement(job));
        assertTrue(e.getMessage().contains("Athena"), e.getMessage());
    }
}
