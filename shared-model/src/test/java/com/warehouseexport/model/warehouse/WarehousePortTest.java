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
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
