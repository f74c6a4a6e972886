package com.warehouseexport.localaws.redshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ColumnMetadata;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.ListStatementsResponse;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.SqlParameter;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

/** The Data API through the real SDK client: lifecycle, errors, parameters, paging, idempotency, events. */
class RedshiftDataServiceTest {
    private static RedshiftFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = RedshiftFixture.start(1_000, null);
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void selectFinishesWithTypedRecordsAndMetadata() {
        String id = fx.execute("select sku, product_id, product_name from rsdataapi.product_detail order by sku");
        DescribeStatementResponse d = fx.await(id);
        assertEquals("FINISHED", d.statusAsString());
        assertTrue(d.hasResultSet());
        assertEquals(3L, d.resultRows());
        assertTrue(d.resultSize() > 0);
        assertTrue(d.duration() > 0, "duration is in nanoseconds");
        assertEquals(RedshiftFixture.CLUSTER, d.clusterIdentifier());
        assertEquals(RedshiftFixture.DATABASE, d.database());
        assertEquals(RedshiftFixture.DB_USER, d.dbUser());
        assertTrue(d.redshiftQueryId() > 0);
        assertNull(d.error());
        assertTrue(!d.updatedAt().isBefore(d.createdAt()));

        GetStatementResultResponse r = fx.client.getStatementResult(b -> b.id(id));
        assertEquals(3L, r.totalNumRows());
        assertEquals(List.of("sku", "product_id", "product_name"),
            r.columnMetadata().stream().map(ColumnMetadata::name).toList());
        assertEquals(List.of("varchar", "int4", "varchar"),
            r.columnMetadata().stream().map(ColumnMetadata::typeName).toList());
        List<Field> first = r.records().get(0);
        assertEquals("FLOWER12", first.get(0).stringValue());
        assertEquals(12345L, first.get(1).longValue());
        assertEquals("Flowers - Rose", first.get(2).stringValue());
        assertEquals(List.of("FLOWER12", "FLOWER13", "FLOWER14"),
            r.records().stream().map(row -> row.get(0).stringValue()).toList());
    }

    @Test
    void valuesOfEveryTypeArriveAsTheDataApiSendsThem() {
        String id = fx.execute("select null::int as n, true as b, 1.5::double as d, 12.50::decimal(12,2) as m, "
            + "timestamp '2024-01-02 03:04:05.120' as ts, date '2024-01-02' as dt, 9000000000 as big");
        fx.await(id);
        List<Field> row = fx.client.getStatementResult(b -> b.id(id)).records().get(0);
        assertTrue(row.get(0).isNull());
        assertTrue(row.get(1).booleanValue());
        assertEquals(1.5, row.get(2).doubleValue());
        assertEquals("12.50", row.get(3).stringValue());
        assertEquals("2024-01-02 03:04:05.12", row.get(4).stringValue());
        assertEquals("2024-01-02", row.get(5).stringValue());
        assertEquals(9_000_000_000L, row.get(6).longValue());
    }

    @Test
    void stateTransitionsAreVisibleThroughDescribe() throws Exception {
        Map<String, Semaphore> gates = new ConcurrentHashMap<>();
        for (String s : List.of("PICKED", "STARTED", "FINISHED")) {
            gates.put(s, new Semaphore(0));
        }
        fx.service.setTransitionHook((statementId, next) -> gates.get(next).acquire());
        try {
            String id = fx.execute("select count(*) from rsdataapi.product_inventory");
            assertEquals("SUBMITTED", status(id));
            assertNull(fx.client.describeStatement(b -> b.id(id)).error());
            assertEquals(-1L, fx.client.describeStatement(b -> b.id(id)).duration());
            gates.get("PICKED").release();
            assertEquals("PICKED", awaitStatus(id, "PICKED"));
            gates.get("STARTED").release();
            assertEquals("STARTED", awaitStatus(id, "STARTED"));
            assertTrue(fx.client.describeStatement(b -> b.id(id)).redshiftPid() > 0);
            assertThrows(ResourceNotFoundException.class, () -> fx.client.getStatementResult(b -> b.id(id)));
            gates.get("FINISHED").release();
            DescribeStatementResponse d = fx.await(id);
            assertEquals("FINISHED", d.statusAsString());
            assertEquals(1L, d.resultRows());
        } finally {
            fx.service.setTransitionHook(null);
            gates.values().forEach(g -> g.release(10));
        }
    }

    @Test
    void failedSqlCarriesRedshiftErrorText() {
        DescribeStatementResponse missingTable = fx.await(fx.execute("select * from rsdataapi.nope"));
        assertEquals("FAILED", missingTable.statusAsString());
        assertEquals("ERROR: relation \"rsdataapi.nope\" does not exist", missingTable.error());
        assertFalse(missingTable.hasResultSet());

        DescribeStatementResponse missingColumn = fx.await(fx.execute("select nope from rsdataapi.product_detail"));
        assertEquals("ERROR: column \"nope\" does not exist in product_detail", missingColumn.error());

        DescribeStatementResponse syntax = fx.await(fx.execute("selec 1"));
        assertEquals("ERROR: syntax error at or near \"selec\"", syntax.error());

        DescribeStatementResponse unterminated = fx.await(fx.execute("select 'open"));
        assertEquals("FAILED", unterminated.statusAsString());
        assertTrue(unterminated.error().startsWith("ERROR: unterminated quoted string"), unterminated.error());

        ResourceNotFoundException e = assertThrows(ResourceNotFoundException.class,
            () -> fx.client.getStatementResult(b -> b.id(missingTable.id())));
        assertTrue(e.getMessage().contains("Query does not have result"), e.getMessage());
    }

    @Test
    void ddlAndDmlReportRowsWithoutResultSet() {
        fx.run("create table public.dml_rows (a int, b varchar(10))");
        DescribeStatementResponse insert = fx.run("insert into public.dml_rows values (1, 'x'), (2, 'y'), (3, 'z')");
        assertEquals(3L, insert.resultRows());
        assertFalse(insert.hasResultSet());
        assertEquals(2L, fx.run("delete from public.dml_rows where a >= 2").resultRows());
    }

    @Test
    void cancellingARunningStatementAbortsIt() {
        String id = fx.execute("select sum(a.range * b.range) from range(400000) a, range(400000) b");
        awaitStatus(id, "STARTED");
        assertTrue(fx.client.cancelStatement(b -> b.id(id)).status());
        DescribeStatementResponse d = fx.client.describeStatement(b -> b.id(id));
        assertEquals("ABORTED", d.statusAsString());
        assertTrue(d.error().contains("cancelled on user's request"), d.error());

        ValidationException again = assertThrows(ValidationException.class,
            () -> fx.client.cancelStatement(b -> b.id(id)));
        assertTrue(again.getMessage().startsWith("Could not cancel a query that is already in ABORTED state with ID: "
            + id), again.getMessage());

        // DuckDB really stopped: both workers can hold a statement at the same time again
        java.util.concurrent.CountDownLatch bothRunning = new java.util.concurrent.CountDownLatch(2);
        List<Boolean> together = new java.util.concurrent.CopyOnWriteArrayList<>();
        fx.service.setTransitionHook((statementId, next) -> {
            if (next.equals("FINISHED")) {
                bothRunning.countDown();
                together.add(bothRunning.await(20, TimeUnit.SECONDS));
            }
        });
        try {
            long started = System.nanoTime();
            String one = fx.execute("select 1");
            String two = fx.execute("select 2");
            fx.await(one);
            fx.await(two);
            System.out.printf("after cancel, two statements ran side by side in %d ms%n",
                (System.nanoTime() - started) / 1_000_000);
        } finally {
            fx.service.setTransitionHook(null);
        }
        assertEquals(List.of(true, true), together);
        assertEquals("ABORTED", status(id));
    }

    @Test
    void cancellingAFinishedStatementIsRefused() {
        String id = fx.run("select 1").id();
        ValidationException e = assertThrows(ValidationException.class, () -> fx.client.cancelStatement(b -> b.id(id)));
        assertTrue(e.getMessage().startsWith("Could not cancel a query that is already in FINISHED state with ID: " + id),
            e.getMessage());
    }

    @Test
    void parametersAreBoundAndChecked() {
        String id = fx.client.executeStatement(b -> b.clusterIdentifier(RedshiftFixture.CLUSTER)
            .database(RedshiftFixture.DATABASE).dbUser(RedshiftFixture.DB_USER)
            .sql("select product_name from rsdataapi.product_detail where product_id = :id and sku = :sku")
            .parameters(param("id", "12346"), param("sku", "FLOWER13"))).id();
        DescribeStatementResponse d = fx.await(id);
        assertEquals("FINISHED", d.statusAsString(), d.error());
        assertEquals(List.of(param("id", "12346"), param("sku", "FLOWER13")), d.queryParameters());
        assertEquals("Flowers - Jasmine",
            fx.client.getStatementResult(b -> b.id(id)).records().get(0).get(0).stringValue());

        String typed = fx.client.executeStatement(b -> b.clusterIdentifier(RedshiftFixture.CLUSTER)
            .database(RedshiftFixture.DATABASE).dbUser(RedshiftFixture.DB_USER)
            .sql("select count(*) from rsdataapi.product_inventory where last_restocked_at >= :since "
                + "and unit_price > :price and is_active = :active")
            .parameters(param("since", "2024-06-01"), param("price", "500.5"), param("active", "true"))).id();
        assertEquals("FINISHED", fx.await(typed).statusAsString(), fx.await(typed).error());
        long viaParameters = fx.client.getStatementResult(b -> b.id(typed)).records().get(0).get(0).longValue();
        String literal = fx.run("select count(*) from rsdataapi.product_inventory where last_restocked_at >= "
            + "'2024-06-01' and unit_price > 500.5 and is_active").id();
        assertEquals(fx.client.getStatementResult(b -> b.id(literal)).records().get(0).get(0).longValue(),
            viaParameters);
        assertTrue(viaParameters > 0);

        ValidationException missing = assertThrows(ValidationException.class,
            () -> fx.client.executeStatement(b -> b.clusterIdentifier(RedshiftFixture.CLUSTER)
                .database(RedshiftFixture.DATABASE).sql("select :a, :b").parameters(param("a", "1"))));
        assertTrue(missing.getMessage().contains("Missing parameters: [b]"), missing.getMessage());

        ValidationException unused = assertThrows(ValidationException.class,
            () -> fx.client.executeStatement(b -> b.clusterIdentifier(RedshiftFixture.CLUSTER)
                .database(RedshiftFixture.DATABASE).sql("select 1").parameters(param("x", "1"))));
        assertTrue(unused.getMessage().startsWith("Parameters list contains unused parameters. Unused parameters: [x]"),
            unused.getMessage());
    }

    @Test
    void resultsArePagedWithNextToken() {
        fx.service.setResultPageSize(2);
        try {
            String id = fx.run("select inventory_id from rsdataapi.product_inventory order by inventory_id limit 5").id();
            GetStatementResultResponse page1 = fx.client.getStatementResult(b -> b.id(id));
            assertEquals(2, page1.records().size());
            assertEquals(5L, page1.totalNumRows());
            assertNotNull(page1.nextToken());
            GetStatementResultResponse page2 = fx.client.getStatementResult(b -> b.id(id).nextToken(page1.nextToken()));
            GetStatementResultResponse page3 = fx.client.getStatementResult(b -> b.id(id).nextToken(page2.nextToken()));
            assertEquals(1, page3.records().size());
            assertNull(page3.nextToken());
            List<Long> ids = new ArrayList<>();
            for (GetStatementResultResponse p : List.of(page1, page2, page3)) {
                p.records().forEach(row -> ids.add(row.get(0).longValue()));
            }
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids);

            List<Long> viaPaginator = fx.client.getStatementResultPaginator(b -> b.id(id)).records().stream()
                .map(row -> row.get(0).longValue()).toList();
            assertEquals(ids, viaPaginator);
            assertThrows(ValidationException.class,
                () -> fx.client.getStatementResult(b -> b.id(id).nextToken("bm9wZQ")));
        } finally {
            fx.service.setResultPageSize(1000);
        }
    }

    @Test
    void multipleStatementsAreRejected() {
        ValidationException e = assertThrows(ValidationException.class,
            () -> fx.execute("select 1; select 2"));
        assertTrue(e.getMessage().contains("Multiple SQL statements"), e.getMessage());
        assertEquals("FINISHED", fx.run("select ';'; ").statusAsString());
    }

    @Test
    void clientTokenMakesExecuteIdempotent() {
        fx.run("create table public.idempotent (a int)");
        String first = fx.client.executeStatement(b -> b.clusterIdentifier(RedshiftFixture.CLUSTER)
            .database(RedshiftFixture.DATABASE).sql("insert into public.idempotent values (1)").clientToken("tok-1"))
            .id();
        fx.await(first);
        String second = fx.client.executeStatement(b -> b.clusterIdentifier(RedshiftFixture.CLUSTER)
            .database(RedshiftFixture.DATABASE).sql("insert into public.idempotent values (1)").clientToken("tok-1"))
            .id();
        assertEquals(first, second);
        String count = fx.run("select count(*) from public.idempotent").id();
        assertEquals(1L, fx.client.getStatementResult(b -> b.id(count)).records().get(0).get(0).longValue());
    }

    @Test
    void listStatementsFiltersByNamePrefixAndStatus() {
        String a1 = named("list-a-1", "select 1");
        String a2 = named("list-a-2", "select 2");
        String b1 = named("list-b-1", "select 3");
        String a3 = named("list-a-3", "select * from rsdataapi.missing");
        for (String id : List.of(a1, a2, b1, a3)) {
            fx.await(id);
        }
        assertEquals(List.of(a2, a1), ids(fx.client.listStatements(b -> b.statementName("list-a"))));
        assertEquals(List.of(a3, a2, a1),
            ids(fx.client.listStatements(b -> b.statementName("list-a").status(StatusString.ALL))));
        assertEquals(List.of(a3),
            ids(fx.client.listStatements(b -> b.statementName("list-a").status(StatusString.FAILED))));
        assertEquals(List.of(), ids(fx.client.listStatements(b -> b.statementName("List-a"))));

        ListStatementsResponse page1 = fx.client.listStatements(b -> b.statementName("list-").maxResults(2)
            .status(StatusString.ALL));
        assertEquals(List.of(a3, b1), ids(page1));
        ListStatementsResponse page2 = fx.client.listStatements(b -> b.statementName("list-").maxResults(2)
            .status(StatusString.ALL).nextToken(page1.nextToken()));
        assertEquals(List.of(a2, a1), ids(page2));
        assertNull(page2.nextToken());
        StatementData listed = page2.statements().get(0);
        assertEquals("select 2", listed.queryString());
        assertEquals("list-a-2", listed.statementName());
        assertFalse(listed.isBatchStatement());
    }

    @Test
    void finalStatesArePublishedOnTheEventBus() throws Exception {
        BlockingQueue<ObjectNode> received = new LinkedBlockingQueue<>();
        try (AutoCloseable subscription = fx.events.subscribe(received::add)) {
            long before = Instant.now().getEpochSecond();
            String ok = fx.client.executeStatement(b -> b.clusterIdentifier(RedshiftFixture.CLUSTER)
                .database(RedshiftFixture.DATABASE).sql("select * from rsdataapi.product_detail")
                .statementName("export-evt-1").withEvent(true)).id();
            ObjectNode event = received.poll(30, TimeUnit.SECONDS);
            assertNotNull(event, "no event published");
            assertEquals("aws.redshift-data", event.get("source").asText());
            assertEquals("Redshift Data Statement Status Change", event.get("detail-type").asText());
            assertEquals("arn:aws:redshift:us-east-1:000000000000:cluster:local-cluster",
                event.get("resources").get(0).asText());
            assertEquals("000000000000", event.get("account").asText());
            JsonNode detail = event.get("detail");
            assertEquals("arn:aws:iam::000000000000:user/local-aws", detail.get("principal").asText());
            assertEquals("export-evt-1", detail.get("statementName").asText());
            assertEquals(ok, detail.get("statementId").asText());
            assertEquals(fx.client.describeStatement(b -> b.id(ok)).redshiftQueryId(),
                detail.get("redshiftQueryId").asLong());
            assertEquals("FINISHED", detail.get("state").asText());
            assertEquals(3, detail.get("rows").asLong());
            long expireAt = detail.get("expireAt").asLong();
            assertTrue(expireAt >= before + 24 * 3600 && expireAt <= Instant.now().getEpochSecond() + 24 * 3600 + 1);

            String bad = fx.client.executeStatement(b -> b.clusterIdentifier(RedshiftFixture.CLUSTER)
                .database(RedshiftFixture.DATABASE).sql("select * from rsdataapi.nope")
                .statementName("export-evt-2").withEvent(true)).id();
            ObjectNode failed = received.poll(30, TimeUnit.SECONDS);
            assertEquals(bad, failed.get("detail").get("statementId").asText());
            assertEquals("FAILED", failed.get("detail").get("state").asText());

            fx.await(fx.execute("select 1")); // without WithEvent: nothing
            String last = fx.client.executeStatement(b -> b.workgroupName("local-wg")
                .database(RedshiftFixture.DATABASE).sql("select 1").statementName("export-evt-3").withEvent(true)).id();
            ObjectNode serverless = received.poll(30, TimeUnit.SECONDS);
            assertEquals(last, serverless.get("detail").get("statementId").asText(), "an event without WithEvent");
            assertEquals("arn:aws:redshift-serverless:us-east-1:000000000000:workgroup/local-wg",
                serverless.get("resources").get(0).asText());
        }
    }

    @Test
    void requestsAreValidatedLikeTheRealApi() {
        assertThrows(ValidationException.class,
            () -> fx.client.executeStatement(b -> b.database(RedshiftFixture.DATABASE).sql("select 1")));
        assertThrows(ValidationException.class, () -> fx.client.executeStatement(b -> b.clusterIdentifier("c")
            .workgroupName("w").database(RedshiftFixture.DATABASE).sql("select 1")));
        assertThrows(ValidationException.class,
            () -> fx.client.executeStatement(b -> b.clusterIdentifier("c").sql("select 1")));
        assertThrows(ValidationException.class, () -> fx.client.executeStatement(b -> b.clusterIdentifier("c")
            .database("dev").secretArn("arn:aws:secretsmanager:us-east-1:000000000000:secret:x").dbUser("u")
            .sql("select 1")));
        assertThrows(ResourceNotFoundException.class,
            () -> fx.client.describeStatement(b -> b.id("00000000-0000-0000-0000-000000000000")));
        assertThrows(ValidationException.class, () -> fx.client.describeStatement(b -> b.id("not-an-id")));
        String secret = fx.client.executeStatement(b -> b.workgroupName("local-wg").database("dev")
            .secretArn("arn:aws:secretsmanager:us-east-1:000000000000:secret:rs").sql("select 1")).id();
        DescribeStatementResponse d = fx.await(secret);
        assertEquals("local-wg", d.workgroupName());
        assertEquals("arn:aws:secretsmanager:us-east-1:000000000000:secret:rs", d.secretArn());
    }

    @Test
    void activeStatementsAreCappedAt200() throws Exception {
        Semaphore gate = new Semaphore(0);
        fx.service.setTransitionHook((statementId, next) -> gate.acquire());
        List<String> ids = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < RedshiftDataService.MAX_ACTIVE_STATEMENTS; i++) {
                ids.add(fx.execute("select " + i));
            }
            System.out.printf("200 executes: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            ActiveStatementsExceededException e = assertThrows(ActiveStatementsExceededException.class,
                () -> fx.execute("select 'one too many'"));
            assertTrue(e.getMessage().contains("200"), e.getMessage());
        } finally {
            long t1 = System.nanoTime();
            for (String id : ids) {
                fx.client.cancelStatement(b -> b.id(id));
            }
            System.out.printf("200 cancels: %d ms%n", (System.nanoTime() - t1) / 1_000_000);
            fx.service.setTransitionHook(null);
            gate.release(10_000);
        }
        assertEquals(Map.of("ABORTED", (long) ids.size()), ids.stream()
            .collect(Collectors.groupingBy(RedshiftDataServiceTest::status, Collectors.counting())));
    }

    private static String named(String name, String sql) {
        return fx.client.executeStatement(b -> b.clusterIdentifier(RedshiftFixture.CLUSTER)
            .database(RedshiftFixture.DATABASE).sql(sql).statementName(name)).id();
    }

    private static List<String> ids(ListStatementsResponse r) {
        return r.statements().stream().map(StatementData::id).toList();
    }

    private static SqlParameter param(String name, String value) {
        return SqlParameter.builder().name(name).value(value).build();
    }

    private static String status(String id) {
        return fx.client.describeStatement(b -> b.id(id)).statusAsString();
    }

    private static String awaitStatus(String id, String wanted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String s = status(id);
        while (!s.equals(wanted) && System.nanoTime() < deadline) {
            RedshiftFixture.sleep(10);
            s = status(id);
        }
        return s;
    }
}
