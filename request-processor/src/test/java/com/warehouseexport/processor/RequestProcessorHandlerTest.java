package com.warehouseexport.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.warehouseexport.localaws.LocalAwsClients;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.domain.StatusEvent;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.model.table.RequestUpdate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/** The processor against the emulated DynamoDB and Redshift Data API, fed the {@code events/} SQS fixture. */
@LocalAwsTest
class RequestProcessorHandlerTest {
    /** The fixture's two messages: a first delivery and a redelivery (ApproximateReceiveCount 2). */
    private static final String FIRST = "3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13";
    private static final String SECOND = "9a0e7d42-51c3-4f8b-b6a1-c07e2d95f384";
    private static final String FIRST_MESSAGE = "059f36b4-87a3-44ab-83d2-661975830a7d";
    private static final String SECOND_MESSAGE = "2e1424d4-f796-459a-8184-9c92662be6da";
    private static final String OWNER = "arn:aws:iam::000000000000:user/partner-a";
    private static final String ROLE = "arn:aws:iam::000000000000:role/redshift-unload";
    private static final String RESULTS = "processor-results";
    private static final WarehouseConnection CLUSTER =
            new WarehouseConnection("redshift-cluster-1", null, "dev", null, "export_user");

    private static SQSEvent fixtureBatch() {
        Path fixture = Path.of(System.getProperty("user.dir")).resolve("../events/sqs-export-batch.json").normalize();
        try (InputStream in = Files.newInputStream(fixture)) {
            return LambdaEventSerializers.serializerFor(SQSEvent.class, RequestProcessorHandlerTest.class.getClassLoader())
                    .fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SQSEvent onlyMessage(SQSEvent batch, String messageId, int receiveCount) {
        SQSEvent.SQSMessage message = batch.getRecords().stream()
                .filter(m -> m.getMessageId().equals(messageId)).findFirst().orElseThrow();
        Map<String, String> attributes = new HashMap<>(message.getAttributes());
        attributes.put("ApproximateReceiveCount", Integer.toString(receiveCount));
        message.setAttributes(attributes);
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        return event;
    }

    private static ControlTable newTable(DynamoDbClient dynamo) {
        String name = "processor-" + UUID.randomUUID();
        ControlTableSchema.createTableIfMissing(dynamo, name);
        return new ControlTable(dynamo, name, Duration.ofDays(30));
    }

    private static ValidatedParameters sku(String sku) {
        return DatasetCatalog.load(null).get("product_detail").orElseThrow()
                .validate(Json.parse("{\"sku\":\"" + sku + "\"}")).parameters();
    }

    private static ExportRequest queued(ControlTable table, String requestId, String sku) {
        ExportRequest received = ExportRequest.received(requestId, OWNER, "product_detail", sku(sku), ExportFormat.CSV,
                Instant.now());
        table.create(received);
        return table.transition(received, RequestState.QUEUED, "queued", RequestUpdate.none());
    }

    private static RequestProcessorHandler handler(ControlTable table, RedshiftDataClient redshift,
                                                   DatasetCatalog catalog, WarehouseConnection connection) {
        return new RequestProcessorHandler(
                new ExportSubmitter(table, redshift, catalog, connection, RESULTS, ROLE, 5));
    }

    private static List<String> failedMessageIds(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    private static List<StatementData> statementsOf(RedshiftDataClient redshift, String requestId) {
        // ListStatements lists FINISHED ones unless told otherwise
        return redshift.listStatements(b -> b.statementName("export-" + requestId).status(StatusString.ALL)
                .maxResults(100)).statements();
    }

    private static boolean inFlightIndexHas(ControlTable table, String requestId) {
        return table.inFlight(100).stream().anyMatch(r -> r.requestId().equals(requestId));
    }

    /** A Data API client whose endpoint refuses connections: every call is a network error. */
    private static RedshiftDataClient unreachableRedshift(LocalAwsClients clients) {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return RedshiftDataClient.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(clients.credentials())
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @Test
    void queuedRequestsAreSubmittedOnceWithTheirStatementIds(DynamoDbClient dynamo, RedshiftDataClient redshift) {
        ControlTable table = newTable(dynamo);
        queued(table, FIRST, "FLOWER12");
        queued(table, SECOND, "FLOWER12");
        RequestProcessorHandler handler = handler(table, redshift, DatasetCatalog.load(null), CLUSTER);

        SQSBatchResponse response = handler.handleRequest(fixtureBatch(), null);
        assertEquals(List.of(), failedMessageIds(response));
        for (String id : List.of(FIRST, SECOND)) {
            ExportRequest submitted = table.get(id).orElseThrow();
            assertEquals(RequestState.SUBMITTED, submitted.state());
            assertNotNull(submitted.statementId());
            List<StatementData> statements = statementsOf(redshift, id);
            assertEquals(1, statements.size());
            assertEquals(submitted.statementId(), statements.get(0).id());
            assertTrue(statements.get(0).queryString().startsWith("UNLOAD ('select * from rsdataapi.product_detail"),
                    statements.get(0).queryString());
            assertTrue(statements.get(0).queryString().contains("s3://" + RESULTS + "/exports/" + id + "/part_"));
        }
        List<RequestState> history = table.history(FIRST).stream().map(StatusEvent::state).toList();
        assertEquals(List.of(RequestState.RECEIVED, RequestState.QUEUED, RequestState.SUBMITTED), history);

        // The same batch again (SQS delivers at least once): nothing new runs.
        String firstStatement = table.get(FIRST).orElseThrow().statementId();
        assertEquals(List.of(), failedMessageIds(handler.handleRequest(fixtureBatch(), null)));
        assertEquals(1, statementsOf(redshift, FIRST).size());
        assertEquals(1, statementsOf(redshift, SECOND).size());
        assertEquals(firstStatement, table.get(FIRST).orElseThrow().statementId());
        assertEquals(3, table.history(FIRST).size(), "no new state change");
    }

    @Test
    void aMessageThatOvertakesTheReceiversQueuedWriteStillLeavesEveryStepInTheHistory(DynamoDbClient dynamo,
                                                                                    RedshiftDataClient redshift) {
        ControlTable table = newTable(dynamo);
        // The receiver sent the message but has not recorded QUEUED yet.
        ExportRequest received = ExportRequest.received(FIRST, OWNER, "product_detail", sku("FLOWER12"),
                ExportFormat.CSV, Instant.now());
        table.create(received);

        SQSBatchResponse response = handler(table, redshift, DatasetCatalog.load(null), CLUSTER)
                .handleRequest(onlyMessage(fixtureBatch(), FIRST_MESSAGE, 1), null);

        assertEquals(List.of(), failedMessageIds(response));
        List<RequestState> history = table.history(FIRST).stream().map(StatusEvent::state).toList();
        assertEquals(List.of(RequestState.RECEIVED, RequestState.QUEUED, RequestState.SUBMITTED), history);
        assertEquals(1, statementsOf(redshift, FIRST).size());
    }

    @Test
    void anAttemptThatDiedBeforeStoringTheIdIsFinishedWithTheSameStatement(DynamoDbClient dynamo,
                                                                          RedshiftDataClient redshift) {
        ControlTable table = newTable(dynamo);
        ExportRequest request = queued(table, FIRST, "FLOWER12");
        ExportSubmitter submitter = new ExportSubmitter(table, redshift, DatasetCatalog.load(null), CLUSTER, RESULTS,
                ROLE, 5);
        // A first attempt moved the request to SUBMITTED and started the statement, then died.
        table.transition(request, RequestState.SUBMITTED, "submitting", RequestUpdate.none());
        String started = redshift.executeStatement(CLUSTER.executeRequest(FIRST, submitter.unloadSql(request))).id();

        SQSBatchResponse response = new RequestProcessorHandler(submitter)
                .handleRequest(onlyMessage(fixtureBatch(), FIRST_MESSAGE, 2), null);

        assertEquals(List.of(), failedMessageIds(response));
        assertEquals(started, table.get(FIRST).orElseThrow().statementId(), "the ClientToken gave back the same statement");
        assertEquals(1, statementsOf(redshift, FIRST).size());
    }

    @Test
    void aDatasetThatVanishedFailsTheRequestAtOnce(DynamoDbClient dynamo, RedshiftDataClient redshift) {
        ControlTable table = newTable(dynamo);
        queued(table, FIRST, "FLOWER12");
        DatasetCatalog withoutIt = DatasetCatalog.of("""
                {"datasets": [{"name": "other", "description": "d", "sql": "select 1 as x", "formats": ["csv"]}]}
                """, "test");
        // Tests share the emulator and the fixture's ids (and so the statement names): compare, do not count.
        int statementsBefore = statementsOf(redshift, FIRST).size();

        SQSBatchResponse response = handler(table, redshift, withoutIt, CLUSTER)
                .handleRequest(onlyMessage(fixtureBatch(), FIRST_MESSAGE, 1), null);

        assertEquals(List.of(), failedMessageIds(response), "a permanent failure is not retried");
        ExportRequest failed = table.get(FIRST).orElseThrow();
        assertEquals(RequestState.FAILED, failed.state());
        assertEquals(ExportSubmitter.DATASET_UNAVAILABLE, failed.error().code());
        assertTrue(failed.error().message().contains("product_detail"), failed.error().message());
        assertTrue(inFlightIndexHas(table, FIRST), "kept in flight until the poller has sent the failure email");
        assertEquals(statementsBefore, statementsOf(redshift, FIRST).size(), "nothing was submitted");
    }

    @Test
    void parametersThatNoLongerValidateFailTheRequest(DynamoDbClient dynamo, RedshiftDataClient redshift) {
        ControlTable table = newTable(dynamo);
        queued(table, FIRST, "FLOWER12");
        DatasetCatalog stricter = DatasetCatalog.of("""
                {"datasets": [{"name": "product_detail", "description": "d",
                  "sql": "select * from rsdataapi.product_detail where sku = :sku", "formats": ["csv"],
                  "parameters": [{"name": "sku", "type": "string", "required": true, "pattern": "^[0-9]+$"}]}]}
                """, "test");

        handler(table, redshift, stricter, CLUSTER).handleRequest(onlyMessage(fixtureBatch(), FIRST_MESSAGE, 1), null);

        ExportRequest failed = table.get(FIRST).orElseThrow();
        assertEquals(RequestState.FAILED, failed.state());
        assertEquals(ExportSubmitter.INVALID_PARAMETERS, failed.error().code());
        assertTrue(failed.error().message().startsWith("Parameters no longer valid for dataset product_detail: sku:"),
                failed.error().message());
    }

    @Test
    void theDataApiRefusingTheStatementFailsTheRequest(DynamoDbClient dynamo, RedshiftDataClient redshift) {
        ControlTable table = newTable(dynamo);
        queued(table, FIRST, "FLOWER12");
        WarehouseConnection noDatabase = new WarehouseConnection("redshift-cluster-1", null, " ", null, "export_user");

        SQSBatchResponse response = handler(table, redshift, DatasetCatalog.load(null), noDatabase)
                .handleRequest(onlyMessage(fixtureBatch(), FIRST_MESSAGE, 1), null);

        assertEquals(List.of(), failedMessageIds(response));
        ExportRequest failed = table.get(FIRST).orElseThrow();
        assertEquals(RequestState.FAILED, failed.state());
        assertEquals(ExportSubmitter.WAREHOUSE_REJECTED, failed.error().code());
        assertTrue(failed.error().message().startsWith("ValidationException: "), failed.error().message());
    }

    @Test
    void transientFailuresAreRetriedThenGivenUpOnTheLastAttempt(DynamoDbClient dynamo, LocalAwsClients clients) {
        ControlTable table = newTable(dynamo);
        queued(table, FIRST, "FLOWER12");
        queued(table, SECOND, "FLOWER12");
        try (RedshiftDataClient unreachable = unreachableRedshift(clients)) {
            RequestProcessorHandler handler = handler(table, unreachable, DatasetCatalog.load(null), CLUSTER);

            SQSBatchResponse response = handler.handleRequest(fixtureBatch(), null);
            assertEquals(List.of(FIRST_MESSAGE, SECOND_MESSAGE), failedMessageIds(response));
            ExportRequest waiting = table.get(FIRST).orElseThrow();
            assertEquals(RequestState.SUBMITTED, waiting.state(), "claimed, submission to be repeated");
            assertNull(waiting.statementId());

            SQSBatchResponse last = handler.handleRequest(onlyMessage(fixtureBatch(), FIRST_MESSAGE, 5), null);
            assertEquals(List.of(), failedMessageIds(last), "the last attempt lets the message go");
        }
        ExportRequest gaveUp = table.get(FIRST).orElseThrow();
        assertEquals(RequestState.FAILED, gaveUp.state());
        assertEquals(ExportSubmitter.SUBMIT_GAVE_UP, gaveUp.error().code());
        assertTrue(gaveUp.error().message().startsWith("gave up after 5 attempts: SdkClientException"),
                gaveUp.error().message());
        assertEquals(RequestState.SUBMITTED, table.get(SECOND).orElseThrow().state(), "the other one is still retried");
    }

    @Test
    void malformedAndUnknownMessagesAreDropped(DynamoDbClient dynamo, RedshiftDataClient redshift) {
        ControlTable table = newTable(dynamo); // empty: the fixture's requests do not exist
        SQSEvent batch = fixtureBatch();
        batch.getRecords().get(1).setBody("{\"requestId\": 17}");
        int statementsBefore = statementsOf(redshift, FIRST).size();

        SQSBatchResponse response = handler(table, redshift, DatasetCatalog.load(null), CLUSTER).handleRequest(batch, null);

        assertEquals(List.of(), failedMessageIds(response));
        assertEquals(statementsBefore, statementsOf(redshift, FIRST).size(), "nothing was submitted");
    }
}
