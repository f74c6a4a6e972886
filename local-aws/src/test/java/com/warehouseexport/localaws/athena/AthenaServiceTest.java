package com.warehouseexport.localaws.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.events.EventBus;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The local Athena endpoint through the real SDK v2 client, over the shared sample warehouse. */
@LocalAwsTest
class AthenaServiceTest {
    private static final String BUCKET = "athena-test-results";
    private static final String OUTPUT = "s3://" + BUCKET + "/queries/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void bucket(S3Client s3) {
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    private static String start(AthenaClient athena, String sql, String... parameters) {
        return athena.startQueryExecution(b -> {
            b.queryString(sql).queryExecutionContext(c -> c.database("rsdataapi"))
                .resultConfiguration(r -> r.outputLocation(OUTPUT));
            if (parameters.length > 0) {
                b.executionParameters(parameters);
            }
        }).queryExecutionId();
    }

    static QueryExecution awaitFinal(AthenaClient athena, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            QueryExecution q = athena.getQueryExecution(g -> g.queryExecutionId(id)).queryExecution();
            QueryExecutionState state = q.status().state();
            if (state == QueryExecutionState.SUCCEEDED || state == QueryExecutionState.FAILED
                    || state == QueryExecutionState.CANCELLED || System.nanoTime() > deadline) {
                return q;
            }
            Thread.sleep(20);
        }
    }

    private static List<String> values(Row row) {
        return row.data().stream().map(d -> d.varCharValue()).toList();
    }

    @Test
    void selectWithParametersWritesAthenasCsvAndPagesResultsHeaderFirst(AthenaClient athena, S3Client s3)
            throws Exception {
        String id = start(athena, "select sku, product_id, product_name, null as nothing, true as flag "
            + "from product_detail where product_id >= ? order by sku", "12346");
        QueryExecution q = awaitFinal(athena, id);
        assertEquals(QueryExecutionState.SUCCEEDED, q.status().state(), q.status().stateChangeReason());
        assertEquals(OUTPUT + id + ".csv", q.resultConfiguration().outputLocation());
        assertEquals("DML", q.statementTypeAsString());
        assertEquals("rsdataapi", q.queryExecutionContext().database());
        assertEquals(List.of("12346"), q.executionParameters());
        assertTrue(q.statistics().totalExecutionTimeInMillis() >= 0);
        assertNotEquals(null, q.status().completionDateTime());

        String csv = s3.getObjectAsBytes(g -> g.bucket(BUCKET).key("queries/" + id + ".csv")).asUtf8String();
        assertEquals("\"sku\",\"product_id\",\"product_name\",\"nothing\",\"flag\"\n"
            + "\"FLOWER13\",\"12346\",\"Flowers - Jasmine\",,\"true\"\n"
            + "\"FLOWER14\",\"12347\",\"Flowers - Other\",,\"true\"\n", csv);
        assertTrue(s3.getObjectAsBytes(g -> g.bucket(BUCKET).key("queries/" + id + ".csv.metadata")).asUtf8String()
            .contains("ColumnInfo"));

        GetQueryResultsResponse first = athena.getQueryResults(g -> g.queryExecutionId(id).maxResults(2));
        assertEquals(List.of("sku", "product_id", "product_name", "nothing", "flag"),
            values(first.resultSet().rows().get(0)));
        assertEquals(List.of("FLOWER13", "12346", "Flowers - Jasmine"),
            values(first.resultSet().rows().get(1)).subList(0, 3));
        assertNull(values(first.resultSet().rows().get(1)).get(3), "NULL has no VarCharValue");
        List<ColumnInfo> columns = first.resultSet().resultSetMetadata().columnInfo();
        assertEquals(List.of("varchar", "integer", "varchar", "varchar", "boolean"),
            columns.stream().map(ColumnInfo::type).toList());
        assertEquals(10, columns.get(1).precision());
        assertTrue(first.nextToken() != null);
        GetQueryResultsResponse second = athena.getQueryResults(g -> g.queryExecutionId(id).maxResults(2)
            .nextToken(first.nextToken()));
        assertEquals(1, second.resultSet().rows().size());
        assertEquals("FLOWER14", values(second.resultSet().rows().get(0)).get(0));
        assertNull(second.nextToken());
        // the SDK's paginator walks the same pages
        long rows = athena.getQueryResultsPaginator(g -> g.queryExecutionId(id).maxResults(1)).stream()
            .mapToLong(p -> p.resultSet().rows().size()).sum();
        assertEquals(3, rows);
    }

    @Test
    void literalsFollowAthenaRulesDoubledQuotesAndPlainBackslashes(AthenaClient athena) throws Exception {
        String id = start(athena, "select 'it''s' as quoted, 'a\\b' as backslash, ? as param, "
            + "awsdatacatalog.rsdataapi.product_detail.sku from awsdatacatalog.rsdataapi.product_detail "
            + "where sku = 'FLOWER12'", "'o''k\\'");
        QueryExecution q = awaitFinal(athena, id);
        assertEquals(QueryExecutionState.SUCCEEDED, q.status().state(), q.status().stateChangeReason());
        Row row = athena.getQueryResults(g -> g.queryExecutionId(id)).resultSet().rows().get(1);
        assertEquals(List.of("it's", "a\\b", "o'k\\", "FLOWER12"), values(row));
    }

    @Test
    void parametersMustBeLiteralsAndMatchThePlaceholders(AthenaClient athena) throws Exception {
        QueryExecution tooFew = awaitFinal(athena, start(athena, "select ? , ?", "1"));
        assertEquals(QueryExecutionState.FAILED, tooFew.status().state());
        assertTrue(tooFew.status().stateChangeReason().contains("Incorrect number of parameters: expected 2 but "
            + "found 1"), tooFew.status().stateChangeReason());
        QueryExecution injection = awaitFinal(athena, start(athena, "select ?", "1) union select (2"));
        assertEquals(QueryExecutionState.FAILED, injection.status().state());
        assertTrue(injection.status().stateChangeReason().contains("not a literal"));
        QueryExecution typed = awaitFinal(athena, start(athena, "select ? as d, ? as n", "DATE '2024-02-29'", "-3"));
        assertEquals(QueryExecutionState.SUCCEEDED, typed.status().state(), typed.status().stateChangeReason());
        assertEquals(List.of("2024-02-29", "-3"), values(athena.getQueryResults(g -> g.queryExecutionId(typed
            .queryExecutionId())).resultSet().rows().get(1)));
    }

    @Test
    void clientRequestTokenMakesTheStartIdempotent(AthenaClient athena) {
        String token = "token-" + UUID.randomUUID();
        String first = athena.startQueryExecution(b -> b.queryString("select 1").clientRequestToken(token)
            .resultConfiguration(r -> r.outputLocation(OUTPUT))).queryExecutionId();
        String again = athena.startQueryExecution(b -> b.queryString("select 1").clientRequestToken(token)
            .resultConfiguration(r -> r.outputLocation(OUTPUT))).queryExecutionId();
        assertEquals(first, again);
        InvalidRequestException other = assertThrows(InvalidRequestException.class, () ->
            athena.startQueryExecution(b -> b.queryString("select 2").clientRequestToken(token)
                .resultConfiguration(r -> r.outputLocation(OUTPUT))));
        assertTrue(other.getMessage().contains("different QueryString"), other.getMessage());
        InvalidRequestException shortToken = assertThrows(InvalidRequestException.class, () ->
            athena.startQueryExecution(b -> b.queryString("select 1").clientRequestToken("too-short")
                .resultConfiguration(r -> r.outputLocation(OUTPUT))));
        assertTrue(shortToken.getMessage().contains("greater than or equal to 32"), shortToken.getMessage());
    }

    @Test
    void failuresCarryAthenasErrorNamesAndResultsAreRefused(AthenaClient athena) throws Exception {
        QueryExecution missing = awaitFinal(athena, start(athena, "select * from nope"));
        assertEquals(QueryExecutionState.FAILED, missing.status().state());
        assertEquals("TABLE_NOT_FOUND: Table 'awsdatacatalog.rsdataapi.nope' does not exist",
            missing.status().stateChangeReason());
        assertEquals(2, missing.status().athenaError().errorCategory());
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
            () -> athena.getQueryResults(g -> g.queryExecutionId(missing.queryExecutionId())));
        assertTrue(refused.getMessage().contains("Final query state: FAILED"), refused.getMessage());

        String wrongDb = athena.startQueryExecution(b -> b.queryString("select 1")
            .queryExecutionContext(c -> c.database("no_such_db")).resultConfiguration(r -> r.outputLocation(OUTPUT)))
            .queryExecutionId();
        assertEquals("SCHEMA_NOT_FOUND: Schema 'no_such_db' does not exist",
            awaitFinal(athena, wrongDb).status().stateChangeReason());

        InvalidRequestException unknown = assertThrows(InvalidRequestException.class,
            () -> athena.getQueryExecution(g -> g.queryExecutionId(UUID.randomUUID().toString())));
        assertTrue(unknown.getMessage().contains("was not found"));
        InvalidRequestException noOutput = assertThrows(InvalidRequestException.class,
            () -> athena.startQueryExecution(b -> b.queryString("select 1")));
        assertTrue(noOutput.getMessage().startsWith("No output location provided"), noOutput.getMessage());
    }

    @Test
    void unloadWritesParquetToAnEmptyTargetAndTheManifestToTheOutputLocation(AthenaClient athena, S3Client s3,
                                                                            @TempDir Path dir) throws Exception {
        String prefix = "unload-" + UUID.randomUUID() + "/";
        String id = start(athena, "UNLOAD (select sku, product_id, 'it''s' as q from product_detail "
            + "where sku <> ?) TO 's3://" + BUCKET + "/" + prefix + "' WITH (format = 'PARQUET', "
            + "compression = 'SNAPPY')", "'FLOWER14'");
        QueryExecution q = awaitFinal(athena, id);
        assertEquals(QueryExecutionState.SUCCEEDED, q.status().state(), q.status().stateChangeReason());
        List<S3Object> files = s3.listObjectsV2(l -> l.bucket(BUCKET).prefix(prefix)).contents();
        assertEquals(1, files.size());
        assertEquals(OUTPUT + id + "-manifest.csv", q.statistics().dataManifestLocation());
        String manifest = s3.getObjectAsBytes(g -> g.bucket(BUCKET).key("queries/" + id + "-manifest.csv"))
            .asUtf8String();
        assertEquals("s3://" + BUCKET + "/" + files.get(0).key() + "\n", manifest);
        Path local = dir.resolve("part.parquet");
        Files.write(local, s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(files.get(0).key())).asByteArray());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select string_agg(sku || '/' || q, ',' order by sku) from read_parquet('"
                 + local + "')")) {
            r.next();
            assertEquals("FLOWER12/it's,FLOWER13/it's", r.getString(1));
        }
        // Athena never writes into a target that holds data
        QueryExecution again = awaitFinal(athena, start(athena, "UNLOAD (select 1 as x) TO 's3://" + BUCKET + "/"
            + prefix + "' WITH (format = 'PARQUET')"));
        assertEquals(QueryExecutionState.FAILED, again.status().state());
        assertTrue(again.status().stateChangeReason().startsWith("HIVE_PATH_ALREADY_EXISTS"));
    }

    @Test
    void unloadTextfileAndJsonHonourDelimiterAndCompression(AthenaClient athena, S3Client s3) throws Exception {
        String text = "text-" + UUID.randomUUID() + "/";
        QueryExecution q = awaitFinal(athena, start(athena, "UNLOAD (select sku, product_id, null as n from "
            + "product_detail order by sku) TO 's3://" + BUCKET + "/" + text + "' WITH (format = 'TEXTFILE', "
            + "field_delimiter = ',', compression = 'NONE')"));
        assertEquals(QueryExecutionState.SUCCEEDED, q.status().state(), q.status().stateChangeReason());
        S3Object file = s3.listObjectsV2(l -> l.bucket(BUCKET).prefix(text)).contents().get(0);
        assertEquals("FLOWER12,12345,\\N\nFLOWER13,12346,\\N\nFLOWER14,12347,\\N\n",
            s3.getObjectAsBytes(g -> g.bucket(BUCKET).key(file.key())).asUtf8String());

        String json = "json-" + UUID.randomUUID() + "/";
        QueryExecution j = awaitFinal(athena, start(athena, "UNLOAD (select sku from product_detail) TO 's3://"
            + BUCKET + "/" + json + "' WITH (format = 'JSON')"));
        assertEquals(QueryExecutionState.SUCCEEDED, j.status().state(), j.status().stateChangeReason());
        assertTrue(s3.listObjectsV2(l -> l.bucket(BUCKET).prefix(json)).contents().get(0).key().endsWith(".gz"),
            "gzip is the default compression");

        QueryExecution badOption = awaitFinal(athena, start(athena, "UNLOAD (select 1) TO 's3://" + BUCKET
            + "/x/' WITH (format = 'PARQUET', field_delimiter = ',')"));
        assertEquals(QueryExecutionState.FAILED, badOption.status().state());
        assertTrue(badOption.status().stateChangeReason().contains("field_delimiter"));
    }

    @Test
    void stateChangesArePublishedAndStopCancels(AthenaClient athena, EventBus bus) throws Exception {
        List<ObjectNode> events = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = bus.subscribe(e -> {
            if (e.path("source").asText().equals("aws.athena")) {
                events.add(e);
            }
        })) {
            String done = start(athena, "select 1");
            awaitFinal(athena, done);
            String slow = start(athena, "select count(*) from range(200000000) a, range(1000) b");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (athena.getQueryExecution(g -> g.queryExecutionId(slow)).queryExecution().status().state()
                    != QueryExecutionState.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            athena.stopQueryExecution(s -> s.queryExecutionId(slow));
            QueryExecution stopped = awaitFinal(athena, slow);
            assertEquals(QueryExecutionState.CANCELLED, stopped.status().state());
            athena.stopQueryExecution(s -> s.queryExecutionId(slow)); // a final query: nothing happens

            Thread.sleep(200);
            List<JsonNode> mine = events.stream().map(e -> (JsonNode) e)
                .filter(e -> e.at("/detail/queryExecutionId").asText().equals(done)).toList();
            assertEquals(List.of("RUNNING", "SUCCEEDED"),
                mine.stream().map(e -> e.at("/detail/currentState").asText()).toList());
            JsonNode succeeded = mine.get(1);
            assertEquals("Athena Query State Change", succeeded.get("detail-type").asText());
            assertEquals("RUNNING", succeeded.at("/detail/previousState").asText());
            assertEquals("primary", succeeded.at("/detail/workgroupName").asText());
            assertEquals("DML", succeeded.at("/detail/statementType").asText());
            assertEquals(LocalAws.ACCOUNT_ID, succeeded.get("account").asText());
            assertTrue(events.stream().anyMatch(e -> e.at("/detail/queryExecutionId").asText().equals(slow)
                && e.at("/detail/currentState").asText().equals("CANCELLED")));
        }
    }

    @Test
    void workGroupsSupplyTheOutputLocation(AthenaClient athena, S3Client s3) throws Exception {
        String name = "wg-" + UUID.randomUUID().toString().substring(0, 8);
        athena.createWorkGroup(c -> c.name(name).configuration(w -> w.resultConfiguration(
            r -> r.outputLocation("s3://" + BUCKET + "/" + name + "/")).enforceWorkGroupConfiguration(false)));
        assertEquals("s3://" + BUCKET + "/" + name + "/", athena.getWorkGroup(g -> g.workGroup(name)).workGroup()
            .configuration().resultConfiguration().outputLocation());
        assertTrue(athena.listWorkGroups(l -> { }).workGroups().stream().anyMatch(w -> w.name().equals("primary")));
        String id = athena.startQueryExecution(b -> b.queryString("select 42").workGroup(name)).queryExecutionId();
        QueryExecution q = awaitFinal(athena, id);
        assertEquals(QueryExecutionState.SUCCEEDED, q.status().state());
        assertEquals(name, q.workGroup());
        assertFalse(s3.listObjectsV2(l -> l.bucket(BUCKET).prefix(name + "/" + id + ".csv")).contents().isEmpty());
        assertTrue(athena.listQueryExecutions(l -> l.workGroup(name)).queryExecutionIds().contains(id));
        assertThrows(InvalidRequestException.class, () -> athena.getWorkGroup(g -> g.workGroup("nope")));
    }

    @Test
    void executionsSurviveARestartOfTheService(LocalAws aws, S3Client s3, @TempDir Path state) throws Exception {
        String id;
        try (AthenaService first = new AthenaService(aws.warehouse(), s3, null, state, 1)) {
            id = JSON.readTree(JSON.writeValueAsString(first.handle("StartQueryExecution", JSON.readTree(
                "{\"QueryString\":\"select 7 as n\",\"ResultConfiguration\":{\"OutputLocation\":\"" + OUTPUT
                    + "\"}}")))).get("QueryExecutionId").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!state(first, id).equals("SUCCEEDED") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        try (AthenaService second = new AthenaService(aws.warehouse(), s3, null, state, 1)) {
            assertEquals("SUCCEEDED", state(second, id));
            JsonNode results = second.handle("GetQueryResults", JSON.readTree("{\"QueryExecutionId\":\"" + id + "\"}"));
            assertEquals("7", results.at("/ResultSet/Rows/1/Data/0/VarCharValue").asText());
        }
    }

    private static String state(AthenaService service, String id) throws Exception {
        return service.handle("GetQueryExecution", JSON.readTree("{\"QueryExecutionId\":\"" + id + "\"}"))
            .at("/QueryExecution/Status/State").asText();
    }
}
