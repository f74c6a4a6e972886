package com.warehouseexport.receiver;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.cancel.RedshiftStatementCanceller;
import com.warehouseexport.model.cancel.StatementCanceller;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportLocations;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.model.table.RequestUpdate;
import com.warehouseexport.model.testing.ApiEvents;
import com.warehouseexport.model.warehouse.InlineResult;
import com.warehouseexport.model.warehouse.RedshiftDataWarehouse;
import com.warehouseexport.model.warehouse.UnloadPartsReader;
import com.warehouseexport.model.warehouse.Warehouses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code "wait"} and {@code DELETE /exports/{id}} through the handler against DynamoDB Local, ElasticMQ, S3Proxy and
 * the Redshift Data emulator. A stand-in pipeline (a thread writing the states the processor and poller would)
 * finishes requests, so the tests decide how each one ends.
 */
@LocalAwsTest
class WaitAndCancelIntegrationTest {
    private static final String PARTNER_A = "arn:aws:iam::000000000000:user/partner-a";
    private static final String PARTNER_B = "arn:aws:iam::000000000000:user/partner-b";

    private ControlTable table;
    private S3Client s3;
    private RedshiftDataClient redshift;
    private String bucket;
    private RequestReceiverHandler handler;
    private final ExecutorService pipeline = Executors.newSingleThreadExecutor();
    private final List<String> startedStatements = new ArrayList<>();

    @BeforeEach
    void world(DynamoDbClient dynamo, SqsClient sqs, S3Client s3, RedshiftDataClient redshift) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String tableName = "wait-" + suffix;
        ControlTableSchema.createTableIfMissing(dynamo, tableName);
        table = new ControlTable(dynamo, tableName, Duration.ofDays(30));
        String queueUrl = sqs.createQueue(q -> q.queueName("wait-" + suffix)).queueUrl();
        this.s3 = s3;
        this.redshift = redshift;
        bucket = "results-" + suffix;
        s3.createBucket(b -> b.bucket(bucket));
        handler = new RequestReceiverHandler(
                new ExportSubmissionService(DatasetCatalog.load((String) null), table, sqs, queueUrl),
                new WaitingAnswer(new FinalStateWaiter(table), new InlineRows(
                        Warehouses.redshiftOnly(new RedshiftDataWarehouse(redshift, null, bucket, null,
                                new UnloadPartsReader(s3, bucket))), InlineResult.Limits.DEFAULT)),
                new ExportCancellation(table, new RedshiftStatementCanceller(redshift)));
    }

    @AfterEach
    void stopLeftovers() {
        pipeline.shutdownNow();
        for (String id : startedStatements) {
            try {
                redshift.cancelStatement(c -> c.id(id));
            } catch (RuntimeException alreadyOver) {
                // expected for the ones the test cancelled
            }
        }
    }

    private static APIGatewayProxyRequestEvent post(String body, String owner) {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-post-exports.json");
        event.setBody(body);
        event.setIsBase64Encoded(false);
        event.getRequestContext().getIdentity().setUserArn(owner);
        return event;
    }

    private static APIGatewayProxyRequestEvent delete(String id, String owner) {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-get-export.json");
        event.setHttpMethod("DELETE");
        event.getRequestContext().setHttpMethod("DELETE");
        event.setPath("/exports/" + id);
        Map<String, String> path = new HashMap<>();
        path.put("id", id);
        event.setPathParameters(path);
        event.getRequestContext().getIdentity().setUserArn(owner);
        return event;
    }

    private static String flower(String wait) {
        return "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"format\":\"csv\",\"wait\":"
                + wait + "}";
    }

    /** The stand-in pipeline: once the newest request is QUEUED, run finish on it. */
    private Future<?> finishNextRequest(Function<ExportRequest, ExportRequest> finish) {
        return pipeline.submit(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                Optional<ExportRequest> queued = table.byOwner(PARTNER_A, 1).stream().findFirst()
                        .flatMap(r -> table.get(r.requestId()))
                        .filter(r -> r.state() == RequestState.QUEUED);
                if (queued.isPresent()) {
                    return finish.apply(queued.get());
                }
                Thread.sleep(20);
            }
            return null;
        });
    }

    private ExportRequest succeedWith(ExportRequest queued, String csv, long rows) {
        s3.putObject(p -> p.bucket(bucket).key(ExportLocations.partPrefix(queued.requestId()) + "0000_part_00"),
                RequestBody.fromString(csv));
        ExportRequest r = table.transition(queued, RequestState.SUBMITTED, "submitted", RequestUpdate.none());
        // a Redshift statement id (not athena:...): the inline rows come from the UNLOAD parts
        r = table.setStatementId(r.requestId(), UUID.randomUUID().toString());
        r = table.transition(r, RequestState.PACKAGING, "packaging", RequestUpdate.none());
        return table.transition(r, RequestState.SUCCEEDED, "done", RequestUpdate.withResult(new ExportResult(rows,
                120, r.format(), 1, "https://archive.example/x.zip", Instant.now().plusSeconds(3600), "archives/x")));
    }

    @Test
    void finishedWithinTheWaitAnswers200WithTheRowsInline() throws Exception {
        Future<?> done = finishNextRequest(q -> succeedWith(q, "sku,product_id\nFLOWER12,12345\n", 1));
        long started = System.nanoTime();
        APIGatewayProxyResponseEvent response = handler.handleRequest(post(flower("10"), PARTNER_A), null);
        System.out.printf("wait figure: 200 after %d ms%n", (System.nanoTime() - started) / 1_000_000);
        done.get();

        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = Json.parse(response.getBody());
        assertEquals("SUCCEEDED", body.get("status").asText());
        assertEquals(1, body.at("/result/rows").asLong());
        assertEquals(Json.parse("{\"columns\":[{\"name\":\"sku\",\"type\":\"string\"},{\"name\":\"product_id\","
                + "\"type\":\"string\"}],\"rows\":[[\"FLOWER12\",\"12345\"]]}"), body.get("inline"));
        assertEquals("/exports/" + body.get("requestId").asText(), body.at("/links/status").asText());
    }

    @Test
    void failedWithinTheWaitAnswers200WithTheFailure() throws Exception {
        Future<?> done = finishNextRequest(q -> table.transition(q, RequestState.FAILED, "no",
                RequestUpdate.withError(new ExportError("statement_failed", "relation does not exist"))));
        APIGatewayProxyResponseEvent response = handler.handleRequest(post(flower("10"), PARTNER_A), null);
        done.get();
        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = Json.parse(response.getBody());
        assertEquals("FAILED", body.get("status").asText());
        assertEquals("statement_failed", body.at("/error/code").asText());
        assertNull(body.get("inline"));
    }

    @Test
    void notFinishedWithinTheWaitAnswers202() {
        long started = System.nanoTime();
        APIGatewayProxyResponseEvent response = handler.handleRequest(post(flower("1"), PARTNER_A), null);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("wait figure: 202 after a 1 s wait: %d ms%n", millis);
        assertEquals(202, response.getStatusCode(), response.getBody());
        assertEquals("QUEUED", Json.parse(response.getBody()).get("status").asText());

        APIGatewayProxyResponseEvent noWait = handler.handleRequest(post(flower("0"), PARTNER_A), null);
        assertEquals(202, noWait.getStatusCode(), noWait.getBody());
    }

    @Test
    void aBadWaitWritesNothing() {
        APIGatewayProxyResponseEvent response = handler.handleRequest(post(flower("26"), PARTNER_A), null);
        assertEquals(400, response.getStatusCode());
        assertEquals("invalid_body", Json.parse(response.getBody()).get("error").asText());
        response = handler.handleRequest(post(flower("\"5\""), PARTNER_A), null);
        assertEquals("wrong_type", Json.parse(response.getBody()).get("error").asText());
        assertTrue(table.byOwner(PARTNER_A, 10).isEmpty(), "nothing written");
    }

    @Test
    void theWaiterBacksOffFrom100To500Milliseconds() {
        ExportRequest queued = Json.parse(handler.handleRequest(post(flower("0"), PARTNER_A), null).getBody())
                .get("requestId").asText().transform(id -> table.get(id).orElseThrow());
        List<Long> pauses = new ArrayList<>();
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return now[0]; }
        };
        FinalStateWaiter waiter = new FinalStateWaiter(table, clock, millis -> {
            pauses.add(millis);
            now[0] = now[0].plusMillis(millis);
        });
        assertTrue(waiter.awaitFinal(queued.requestId(), Duration.ofSeconds(2)).isEmpty());
        assertEquals(List.of(100L, 150L, 225L, 337L, 500L, 500L, 188L), pauses);
    }

    @Test
    void cancelMovesToCancelledThenAnswers409AndOthersGet404() {
        String id = Json.parse(handler.handleRequest(post(flower("0"), PARTNER_A), null).getBody())
                .get("requestId").asText();

        APIGatewayProxyResponseEvent foreign = handler.handleRequest(delete(id, PARTNER_B), null);
        assertEquals(404, foreign.getStatusCode());
        APIGatewayProxyResponseEvent missing = handler.handleRequest(
                delete("00000000-0000-4000-8000-000000000000", PARTNER_A), null);
        assertEquals(404, missing.getStatusCode());
        assertEquals(Json.parse(missing.getBody()).get("error"), Json.parse(foreign.getBody()).get("error"));
        assertEquals(404, handler.handleRequest(delete("not-an-id", PARTNER_A), null).getStatusCode());
        assertEquals(RequestState.QUEUED, table.get(id).orElseThrow().state(), "partner-b changed nothing");

        APIGatewayProxyResponseEvent cancelled = handler.handleRequest(delete(id, PARTNER_A), null);
        assertEquals(200, cancelled.getStatusCode(), cancelled.getBody());
        assertEquals("CANCELLED", Json.parse(cancelled.getBody()).get("status").asText());
        ExportRequest stored = table.get(id).orElseThrow();
        assertEquals(RequestState.CANCELLED, stored.state());
        assertEquals("cancelled by the caller", table.history(id).get(table.history(id).size() - 1).detail());

        APIGatewayProxyResponseEvent again = handler.handleRequest(delete(id, PARTNER_A), null);
        assertEquals(409, again.getStatusCode());
        JsonNode conflict = Json.parse(again.getBody());
        assertEquals("already_final", conflict.get("error").asText());
        assertTrue(conflict.get("message").asText().contains("is CANCELLED"), again.getBody());
    }

    @Test
    void cancellingASucceededRequestAnswers409() throws Exception {
        Future<?> done = finishNextRequest(q -> succeedWith(q, "n\n1\n", 1));
        String id = Json.parse(handler.handleRequest(post(flower("10"), PARTNER_A), null).getBody())
                .get("requestId").asText();
        done.get();
        APIGatewayProxyResponseEvent response = handler.handleRequest(delete(id, PARTNER_A), null);
        assertEquals(409, response.getStatusCode());
        assertTrue(Json.parse(response.getBody()).get("message").asText().contains("is SUCCEEDED"));
    }

    /** A statement the emulator runs for a long time: a four-way cross join of the 1,000-row sample table. */
    private String slowStatement(String requestId) {
        String id = redshift.executeStatement(b -> b.clusterIdentifier("redshift-cluster-1").database("dev")
                .dbUser("export_user").statementName("export-" + requestId)
                .sql("select count(*) from rsdataapi.product_inventory a, rsdataapi.product_inventory b, "
                        + "rsdataapi.product_inventory c, rsdataapi.product_inventory d "
                        // not decidable from column statistics: every one of the 10^12 rows is computed
                        + "where (a.inventory_id + b.inventory_id * 2 + c.inventory_id * 3 + d.inventory_id * 5) "
                        + "% 97 = 3")).id();
        startedStatements.add(id);
        return id;
    }

    private StatusString awaitFinalStatus(String statementId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            StatusString status = redshift.describeStatement(d -> d.id(statementId)).status();
            if (status == StatusString.FINISHED || status == StatusString.FAILED || status == StatusString.ABORTED) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("statement " + statementId + " still " + status);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void cancelStopsTheRecordedStatement() throws Exception {
        String id = Json.parse(handler.handleRequest(post(flower("0"), PARTNER_A), null).getBody())
                .get("requestId").asText();
        ExportRequest submitted = table.transition(table.get(id).orElseThrow(), RequestState.SUBMITTED, "submitted",
                RequestUpdate.none());
        String statementId = slowStatement(id);
        table.setStatementId(id, statementId);
        Thread.sleep(300); // let the emulator pick it up; cancelling a SUBMITTED one works as well
        System.out.println("statement before cancel: " + redshift.describeStatement(d -> d.id(statementId)).status());

        APIGatewayProxyResponseEvent response = handler.handleRequest(delete(id, PARTNER_A), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        assertEquals(RequestState.CANCELLED, table.get(id).orElseThrow().state());
        assertEquals(StatusString.ABORTED, awaitFinalStatus(statementId));
        assertEquals(RequestState.SUBMITTED, submitted.state());
    }

    @Test
    void theCancellerToleratesFinishedAndUnknownStatements() throws Exception {
        StatementCanceller canceller = new RedshiftStatementCanceller(redshift);
        String quick = redshift.executeStatement(b -> b.clusterIdentifier("redshift-cluster-1").database("dev")
                .dbUser("export_user").sql("select 1")).id();
        assertEquals(StatusString.FINISHED, awaitFinalStatus(quick));
        assertEquals(StatementCanceller.Outcome.ALREADY_FINISHED, canceller.cancel(quick));
        assertEquals(StatementCanceller.Outcome.ALREADY_FINISHED,
                canceller.cancel("00000000-0000-4000-8000-000000000000"));

        String slow = slowStatement(UUID.randomUUID().toString());
        assertEquals(StatementCanceller.Outcome.CANCELLED, canceller.cancel(slow));
        assertEquals(StatusString.ABORTED, awaitFinalStatus(slow));
        assertEquals(StatementCanceller.Outcome.ALREADY_FINISHED, canceller.cancel(slow));
        assertFalse(startedStatements.isEmpty());
    }
}
