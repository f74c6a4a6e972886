package com.warehouseexport.localaws.redshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/** Statement records and results in a state directory outlive the process, including a kill -9. */
class DurabilityTest {

    @Test
    void statementsAndResultsSurviveARestart(@TempDir Path state) throws Exception {
        String ok;
        String failed;
        List<List<Field>> records;
        DescribeStatementResponse before;
        try (RedshiftFixture fx = RedshiftFixture.start(100, state)) {
            ok = fx.client.executeStatement(b -> b.clusterIdentifier(RedshiftFixture.CLUSTER)
                .database(RedshiftFixture.DATABASE).dbUser(RedshiftFixture.DB_USER).statementName("durable-ok")
                .clientToken("durable-token").sql("select sku, product_id from rsdataapi.product_detail order by sku"))
                .id();
            before = fx.await(ok);
            records = fx.client.getStatementResult(b -> b.id(ok)).records();
            failed = fx.await(fx.execute("select * from rsdataapi.nope")).id();
        }
        try (RedshiftFixture fx = RedshiftFixture.start(100, state)) {
            DescribeStatementResponse after = fx.client.describeStatement(b -> b.id(ok));
            assertEquals(before.toString(), after.toString());
            assertEquals(records, fx.client.getStatementResult(b -> b.id(ok)).records());
            assertEquals("ERROR: relation \"rsdataapi.nope\" does not exist",
                fx.client.describeStatement(b -> b.id(failed)).error());
            String again = fx.client.executeStatement(b -> b.clusterIdentifier(RedshiftFixture.CLUSTER)
                .database(RedshiftFixture.DATABASE).clientToken("durable-token").sql("select 1")).id();
            assertEquals(ok, again, "the client token still maps to the first statement");
            assertEquals(2, fx.client.listStatements(b -> b.status(StatusString.ALL)).statements().size());
            long nextQueryId = fx.run("select 2").redshiftQueryId();
            assertTrue(nextQueryId > before.redshiftQueryId(), "query ids keep growing across restarts");
        }
    }

    @Test
    void aStatementCutOffByShutdownRunsAgainAtStart(@TempDir Path state) throws Exception {
        String id;
        Semaphore never = new Semaphore(0);
        try (RedshiftFixture fx = RedshiftFixture.start(100, state)) {
            fx.service.setTransitionHook((statementId, next) -> {
                if (next.equals("FINISHED")) {
                    never.acquire();
                }
            });
            id = fx.execute("select count(*) from rsdataapi.product_inventory");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!fx.client.describeStatement(b -> b.id(id)).statusAsString().equals("STARTED")
                && System.nanoTime() < deadline) {
                RedshiftFixture.sleep(10);
            }
            assertEquals("STARTED", fx.client.describeStatement(b -> b.id(id)).statusAsString());
        }
        System.out.println("stopped with a statement in flight");
        long restarted = System.nanoTime();
        try (RedshiftFixture fx = RedshiftFixture.start(100, state)) {
            DescribeStatementResponse d = fx.await(id);
            System.out.printf("restarted and re-ran in %d ms%n", (System.nanoTime() - restarted) / 1_000_000);
            assertEquals("FINISHED", d.statusAsString());
            assertEquals(100L, fx.client.getStatementResult(b -> b.id(id)).records().get(0).get(0).longValue());
        }
    }

    @Test
    void statementsSurviveKillDashNine(@TempDir Path state) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), RedshiftCrashMain.class.getName(), state.toString())
            .redirectErrorStream(true)
            .start();
        String done = null;
        String inFlight = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8))) {
            String line;
            while (inFlight == null && (line = out.readLine()) != null) {
                if (line.startsWith("DONE ")) {
                    done = line.substring(5);
                } else if (line.startsWith("INFLIGHT ")) {
                    inFlight = line.substring(9);
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertNotNull(done, "the child process died before finishing its first statement");
        assertNotNull(inFlight);
        String finished = done;
        String rerun = inFlight;
        try (RedshiftFixture fx = RedshiftFixture.start(100, state)) {
            assertEquals("FINISHED", fx.client.describeStatement(b -> b.id(finished)).statusAsString());
            assertEquals(List.of("FLOWER12", "FLOWER13", "FLOWER14"), fx.client.getStatementResult(b -> b.id(finished))
                .records().stream().map(r -> r.get(0).stringValue()).toList());
            assertEquals("FINISHED", fx.await(rerun).statusAsString(), "the statement killed mid-run ran again");
            assertEquals(100L, fx.client.getStatementResult(b -> b.id(rerun)).records().get(0).get(0).longValue());
            String again = fx.client.executeStatement(b -> b.clusterIdentifier("c").database("dev")
                .clientToken("crash-token").sql("select 1")).id();
            assertEquals(finished, again);
        }
    }

    @Test
    void recordsExpireAfter24Hours(@TempDir Path state) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        try (Warehouse w = Warehouse.open(null, 1, "256MB")) {
            String id;
            try (RedshiftDataService service = new RedshiftDataService(w, null, null, state, 1, clock)) {
                id = service.handle("ExecuteStatement", new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    "{\"ClusterIdentifier\": \"c\", \"Database\": \"dev\", \"Sql\": \"select 1\"}")).get("Id").asText();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!status(service, id).equals("FINISHED") && System.nanoTime() < deadline) {
                    RedshiftFixture.sleep(10);
                }
                clock.advance(Duration.ofHours(23));
                service.expire();
                assertEquals("FINISHED", status(service, id));
                clock.advance(Duration.ofHours(2));
                service.expire();
                assertThrows(com.warehouseexport.localaws.http.AwsServiceException.class, () -> status(service, id));
            }
            try (RedshiftDataService reopened = new RedshiftDataService(w, null, null, state, 1, clock)) {
                assertThrows(com.warehouseexport.localaws.http.AwsServiceException.class, () -> status(reopened, id));
            }
        }
    }

    private static String status(RedshiftDataService service, String id) {
        return service.handle("DescribeStatement",
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("Id", id))
            .get("Status").asText();
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
