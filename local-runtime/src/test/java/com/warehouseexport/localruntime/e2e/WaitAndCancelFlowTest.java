package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localruntime.LocalRuntime;
import com.warehouseexport.localruntime.apigateway.Principals;
import com.warehouseexport.localruntime.outbox.SesOutbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/**
 * {@code POST /exports} with {@code "wait"} and {@code DELETE /exports/{id}} through the signed local gateway, with
 * the real template and function jars in this JVM (local AWS's warehouse has 1,000 inventory rows). Two datasets
 * are added through a catalog file: {@code inventory_pairs} (a cross join, for results over the inline limit),
 * {@code steady_cross} (a count that takes the warehouse seconds),
 * {@code slow_cross} and {@code athena_slow_cross} (run until cancelled). Athena datasets answer {@code wait} and
 * {@code DELETE} like Redshift ones: their inline rows come from GetQueryResults, with Athena's column types.
 */
@LocalAwsTest
class WaitAndCancelFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATE = Path.of(System.getProperty("e2e.template", "../template.yaml"))
        .toAbsolutePath().normalize();
    private static final String EXTRA_DATASETS = """
        {"datasets": [
          {"name": "inventory_pairs", "description": "Pairs of inventory lines: first_id up to :max_first.",
           "warehouse": "redshift", "formats": ["csv"],
           "sql": "select a.inventory_id as first_id, b.inventory_id as second_id from rsdataapi.product_inventory a cross join rsdataapi.product_inventory b where a.inventory_id <= :max_first",
           "parameters": [{"name": "max_first", "type": "integer", "description": "Highest first id.",
                           "required": true, "min": 1, "max": 1000}]},
          {"name": "steady_cross", "description": ":max_first million rows computed: seconds, whatever the pipeline.",
           "warehouse": "redshift", "formats": ["csv"],
           "sql": "select count(*) as hits from rsdataapi.product_inventory a, rsdataapi.product_inventory b, rsdataapi.product_inventory c where a.inventory_id <= :max_first and (a.inventory_id + b.inventory_id * 2 + c.inventory_id * 3) % 97 = 3",
           "parameters": [{"name": "max_first", "type": "integer", "description": "Highest first id.",
                           "required": true, "min": 1, "max": 1000}]},
          {"name": "slow_cross", "description": "Ten to the twelfth rows computed: runs until cancelled.",
           "warehouse": "redshift", "formats": ["csv"],
           "sql": "select count(*) as hits from rsdataapi.product_inventory a, rsdataapi.product_inventory b, rsdataapi.product_inventory c, rsdataapi.product_inventory d where (a.inventory_id + b.inventory_id * 2 + c.inventory_id * 3 + d.inventory_id * :step) % 97 = 3",
           "parameters": [{"name": "step", "type": "integer", "description": "Multiplier.", "required": true,
                           "min": 1, "max": 9}]},
          {"name": "athena_slow_cross", "description": "slow_cross on Athena: runs until cancelled.",
           "warehouse": "athena", "formats": ["csv"],
           "sql": "select count(*) as hits from product_inventory a, product_inventory b, product_inventory c, product_inventory d where (a.inventory_id + b.inventory_id * 2 + c.inventory_id * 3 + d.inventory_id * :step) % 97 = 3",
           "parameters": [{"name": "step", "type": "integer", "description": "Multiplier.", "required": true,
                           "min": 1, "max": 9}]}
        ]}
        """;

    private static LocalAws aws;
    private static LocalRuntime runtime;
    private static SignedApi partnerA;
    private static SignedApi partnerB;

    @BeforeAll
    static void startRuntime(LocalAws localAws, @TempDir Path dir) throws Exception {
        aws = localAws;
        Path datasets = dir.resolve("datasets.json");
        Files.writeString(datasets, EXTRA_DATASETS);
        runtime = LocalRuntime.start(new LocalRuntime.Settings(TEMPLATE, "e2e-wait", 0, Map.of(),
            Duration.ofSeconds(1), Principals.defaults(), datasets), aws, new SesOutbox(aws.outbox()), System.out);
        partnerA = new SdkSignedApi(runtime.apiEndpoint(), Partner.A);
        partnerB = new SdkSignedApi(runtime.apiEndpoint(), Partner.B);
        // cold starts of all four functions take seconds on a busy machine: not what the waits are about
        long started = System.nanoTime();
        ExportFlow.awaitSucceeded(partnerA, ExportFlow.submit(partnerA, ExportFlow.FLOWER12_CSV));
        System.out.println("E2E figure: warm-up export (cold starts) " + (System.nanoTime() - started) / 1_000_000
            + " ms");
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static String body(String dataset, String parameters, Integer wait) {
        return "{\"dataset\":\"" + dataset + "\",\"parameters\":" + parameters + ",\"format\":\"csv\""
            + (wait == null ? "" : ",\"wait\":" + wait) + "}";
    }

    private static HttpReply timedPost(String what, String body) {
        long started = System.nanoTime();
        HttpReply reply = partnerA.postJson("/exports", body);
        System.out.println("E2E figure: " + what + " answered " + reply.status() + " after "
            + (System.nanoTime() - started) / 1_000_000 + " ms");
        return reply;
    }

    @Test
    void aSmallQuickExportIsAnsweredInline() throws Exception {
        HttpReply reply = timedPost("wait 20, FLOWER12",
            body("product_detail", "{\"sku\":\"FLOWER12\"}", 20));
        assertEquals(200, reply.status(), reply::toString);
        JsonNode json = reply.json();
        assertEquals("SUCCEEDED", json.path("status").asText(), reply::toString);
        assertEquals(JSON.readTree("[{\"name\":\"sku\",\"type\":\"string\"},{\"name\":\"product_id\",\"type\":\"string\"},"
            + "{\"name\":\"product_name\",\"type\":\"string\"},{\"name\":\"product_description\",\"type\":\"string\"}]"),
            json.at("/inline/columns"));
        assertEquals(JSON.readTree("[[\"FLOWER12\",\"12345\",\"Flowers - Rose\",\"Flowers-Rose\"]]"),
            json.at("/inline/rows"));
        assertTrue(json.at("/result/downloadUrl").asText().startsWith("http"), "the link is there too");

        HttpReply noWait = partnerA.postJson("/exports", body("product_detail", "{\"sku\":\"FLOWER12\"}", 0));
        assertEquals(202, noWait.status(), noWait::toString);
        ExportFlow.awaitSucceeded(partnerA, noWait.json().path("requestId").asText());
    }

    @Test
    void anAthenaExportIsAnsweredInlineWithTheRowsOfTheSameRedshiftProduct() throws Exception {
        HttpReply redshift = timedPost("wait 20, FLOWER13 on Redshift",
            body("product_detail", "{\"sku\":\"FLOWER13\"}", 20));
        HttpReply athena = timedPost("wait 20, FLOWER13 on Athena",
            body("athena_product_detail", "{\"sku\":\"FLOWER13\"}", 20));
        assertEquals(200, redshift.status(), redshift::toString);
        assertEquals(200, athena.status(), athena::toString);
        JsonNode fromRedshift = redshift.json().path("inline");
        JsonNode fromAthena = athena.json().path("inline");
        assertEquals("SUCCEEDED", athena.json().path("status").asText(), athena::toString);
        assertEquals(1, athena.json().at("/result/rows").asLong(), athena::toString);
        assertEquals(JSON.readTree("[[\"FLOWER13\",\"12346\",\"Flowers - Jasmine\",\"Flowers-Jasmine\"]]"),
            fromAthena.path("rows"), athena::toString);
        assertEquals(fromRedshift.path("rows"), fromAthena.path("rows"));
        assertEquals(names(fromRedshift), names(fromAthena));
        // Athena reports its column types; Redshift's UNLOAD CSV carries none
        assertEquals(List.of("varchar", "integer", "varchar", "varchar"), types(fromAthena), fromAthena::toString);
        assertEquals(List.of("string", "string", "string", "string"), types(fromRedshift));
    }

    private static List<String> names(JsonNode inline) {
        List<String> names = new ArrayList<>();
        inline.path("columns").forEach(c -> names.add(c.path("name").asText()));
        return names;
    }

    private static List<String> types(JsonNode inline) {
        List<String> types = new ArrayList<>();
        inline.path("columns").forEach(c -> types.add(c.path("type").asText()));
        return types;
    }

    @Test
    void aRunningAthenaExportIsCancelledAndItsQueryStopped() {
        HttpReply slow = partnerA.postJson("/exports", body("athena_slow_cross", "{\"step\":7}", null));
        assertEquals(202, slow.status(), slow::toString);
        String id = slow.json().path("requestId").asText();
        QueryExecution running = ExportFlow.await("Athena query of " + id + " to run", Duration.ofSeconds(60),
            () -> athenaQueryOf(id), q -> q != null && q.status().state() == QueryExecutionState.RUNNING);
        ExportFlow.await("request " + id + " to be submitted", Duration.ofSeconds(60),
            () -> partnerA.get("/exports/" + id).json().path("status").asText(),
            state -> state.equals("SUBMITTED") || state.equals("RUNNING"));

        HttpReply foreign = partnerB.delete("/exports/" + id);
        assertEquals(404, foreign.status(), foreign::toString);

        HttpReply cancelled = partnerA.delete("/exports/" + id);
        assertEquals(200, cancelled.status(), cancelled::toString);
        assertEquals("CANCELLED", cancelled.json().path("status").asText());
        QueryExecution stopped = ExportFlow.await("Athena query " + running.queryExecutionId() + " to be cancelled",
            Duration.ofSeconds(30), () -> athenaQueryOf(id),
            q -> q.status().state() == QueryExecutionState.CANCELLED);
        System.out.println("E2E figure: cancelled Athena query " + stopped.queryExecutionId() + " is "
            + stopped.status().state());

        HttpReply again = partnerA.delete("/exports/" + id);
        assertEquals(409, again.status(), again::toString);
        assertEquals("already_final", again.json().path("error").asText());
        ExportFlow.sleep(Duration.ofSeconds(2));
        assertEquals("CANCELLED", partnerA.get("/exports/" + id).json().path("status").asText(),
            "the poller leaves a cancelled request alone, Athena's state-change event too");
        List<String> states = ExportFlow.states(partnerA.get("/exports/" + id + "/history").json());
        assertEquals("CANCELLED", states.get(states.size() - 1), states::toString);
        assertFalse(states.contains("PACKAGING"), states::toString);
        assertTrue(aws.outbox().messages().stream().noneMatch(m -> m.subject().contains(id)),
            "a cancelled request sends no e-mail");
    }

    /** The Athena query whose output is in the request's {@code exports/<id>/}, or null. */
    private static QueryExecution athenaQueryOf(String requestId) {
        AthenaClient athena = aws.clients().athena();
        List<String> ids = new ArrayList<>();
        athena.listQueryExecutionsPaginator(l -> l.workGroup("primary")).forEach(p -> ids.addAll(p.queryExecutionIds()));
        for (String queryId : ids) {
            QueryExecution q = athena.getQueryExecution(g -> g.queryExecutionId(queryId)).queryExecution();
            String location = q.resultConfiguration() == null ? "" : q.resultConfiguration().outputLocation();
            // Athena reports the result file's own location: s3://<results>/exports/<id>/<query id>.csv
            if (location.contains("/exports/" + requestId + "/")) {
                return q;
            }
        }
        return null;
    }

    @Test
    void aBigExportWithAShortWaitIsAccepted202AndLaterSucceeds() {
        // the warehouse's own work sets the pace, not the size of the result: a million-row export was seen done
        // within the second; 400 million combinations counted take DuckDB several seconds (16 s a billion here)
        HttpReply reply = timedPost("wait 1, 400 million combinations", body("steady_cross", "{\"max_first\":400}", 1));
        assertEquals(202, reply.status(), reply::toString);
        JsonNode status = ExportFlow.awaitSucceeded(partnerA, reply.json().path("requestId").asText());
        assertEquals(1, status.at("/result/rows").asLong());
    }

    @Test
    void aResultOverTheInlineLimitIsAnswered200WithoutRows() {
        HttpReply reply = timedPost("wait 25, 11,000 rows", body("inventory_pairs", "{\"max_first\":11}", 25));
        assertEquals(200, reply.status(), reply::toString);
        JsonNode json = reply.json();
        assertEquals("SUCCEEDED", json.path("status").asText(), reply::toString);
        assertEquals(11_000, json.at("/result/rows").asLong());
        assertTrue(json.path("inline").isMissingNode(), reply::toString);
    }

    @Test
    void aBadWaitIsRefused() {
        HttpReply reply = partnerA.postJson("/exports", body("product_detail", "{\"sku\":\"FLOWER12\"}", 30));
        assertEquals(400, reply.status(), reply::toString);
        assertEquals("invalid_body", reply.json().path("error").asText());
    }

    @Test
    void aRunningExportIsCancelledAndItsStatementAborted() {
        // a caller waiting on the slow export holds one receiver environment; others are served meanwhile
        CompletableFuture<HttpReply> waiting = CompletableFuture.supplyAsync(() ->
            timedPost("wait 3, slow_cross (never finishes)", body("slow_cross", "{\"step\":5}", 3)));
        HttpReply slow = partnerA.postJson("/exports", body("slow_cross", "{\"step\":7}", 0));
        assertEquals(202, slow.status(), slow::toString);
        String id = slow.json().path("requestId").asText();
        ExportFlow.await("request " + id + " to be submitted", Duration.ofSeconds(60),
            () -> partnerA.get("/exports/" + id).json().path("status").asText(),
            state -> state.equals("SUBMITTED") || state.equals("RUNNING"));

        HttpReply foreign = partnerB.delete("/exports/" + id);
        assertEquals(404, foreign.status(), foreign::toString);
        assertEquals("not_found", foreign.json().path("error").asText());

        HttpReply cancelled = partnerA.delete("/exports/" + id);
        assertEquals(200, cancelled.status(), cancelled::toString);
        assertEquals("CANCELLED", cancelled.json().path("status").asText());
        StatementData statement = ExportFlow.await("statement of " + id + " to be aborted", Duration.ofSeconds(30),
            () -> statementOf(id), s -> s != null && s.status() == StatusString.ABORTED);
        System.out.println("E2E figure: cancelled statement " + statement.id() + " is " + statement.status());

        HttpReply again = partnerA.delete("/exports/" + id);
        assertEquals(409, again.status(), again::toString);
        assertEquals("already_final", again.json().path("error").asText());
        assertTrue(again.json().path("message").asText().contains("is CANCELLED"), again::toString);
        ExportFlow.sleep(Duration.ofSeconds(2));
        assertEquals("CANCELLED", partnerA.get("/exports/" + id).json().path("status").asText(),
            "the poller leaves a cancelled request alone");
        List<String> states = ExportFlow.states(partnerA.get("/exports/" + id + "/history").json());
        assertEquals("CANCELLED", states.get(states.size() - 1), states::toString);
        assertFalse(states.contains("PACKAGING"), states::toString);

        assertTrue(aws.outbox().messages().stream().noneMatch(m -> m.subject().contains(id)),
            "a cancelled request sends no e-mail");

        HttpReply waited = waiting.join();
        assertEquals(202, waited.status(), waited::toString);
        String other = waited.json().path("requestId").asText();
        HttpReply cancelOther = partnerA.delete("/exports/" + other);
        assertEquals(200, cancelOther.status(), cancelOther::toString);
        // cancelled while QUEUED it never runs; once submitted, its statement is aborted
        ExportFlow.sleep(Duration.ofSeconds(2));
        if (statementOf(other) != null) {
            ExportFlow.await("statement of " + other + " to be aborted", Duration.ofSeconds(30),
                () -> statementOf(other), s -> s.status() == StatusString.ABORTED);
        }
        assertEquals("CANCELLED", partnerA.get("/exports/" + other).json().path("status").asText());
    }

    private static StatementData statementOf(String requestId) {
        RedshiftDataClient redshift = aws.clients().redshiftData();
        List<StatementData> statements = redshift.listStatements(l -> l.statementName("export-" + requestId)
            .status(StatusString.ALL)).statements();
        return statements.isEmpty() ? null : statements.get(0);
    }
}
