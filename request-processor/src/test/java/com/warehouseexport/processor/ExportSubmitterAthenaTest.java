package com.warehouseexport.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.LocalAwsClients;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.model.table.RequestUpdate;
import com.warehouseexport.model.warehouse.AthenaWarehouse;
import com.warehouseexport.model.warehouse.RedshiftConnection;
import com.warehouseexport.model.warehouse.RedshiftDataWarehouse;
import com.warehouseexport.model.warehouse.Warehouses;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The processor on an Athena dataset: same steps, the query started once per request, its id stored prefixed. */
@LocalAwsTest
class ExportSubmitterAthenaTest {
    private static final String RESULTS = "processor-athena-results";

    private static ExportSubmitter submitter(LocalAwsClients clients, ControlTable table, String workGroup) {
        Warehouses warehouses = Warehouses.of(Map.of(
                Warehouses.REDSHIFT, () -> new RedshiftDataWarehouse(clients.redshiftData(),
                        new RedshiftConnection("local", null, "dev", null, "awsuser"), RESULTS, "default"),
                Warehouses.ATHENA, () -> new AthenaWarehouse(clients.athena(), workGroup, "rsdataapi", null, RESULTS)));
        return new ExportSubmitter(table, warehouses, DatasetCatalog.load(null), 3);
    }

    private static ControlTable table(LocalAwsClients clients) {
        String name = "processor-athena-" + UUID.randomUUID();
        ControlTableSchema.createTableIfMissing(clients.dynamoDb(), name);
        return new ControlTable(clients.dynamoDb(), name, Duration.ofDays(30));
    }

    private static ExportRequest queued(ControlTable table, String dataset, String parameters) {
        ExportRequest received = ExportRequest.received(RequestIds.newId(), "arn:aws:iam::000000000000:user/p",
                dataset, DatasetCatalog.load(null).get(dataset).orElseThrow().validate(Json.parse(parameters))
                        .parameters(), ExportFormat.CSV, Instant.now());
        table.create(received);
        return table.transition(received, RequestState.QUEUED, "queued", RequestUpdate.none());
    }

    @Test
    void athenaDatasetIsSubmittedOnceThroughThePort(LocalAwsClients clients) {
        clients.s3().createBucket(b -> b.bucket(RESULTS));
        ControlTable table = table(clients);
        ExportSubmitter submitter = submitter(clients, table, null);
        ExportRequest request = queued(table, "athena_product_detail", "{\"sku\":\"FLOWER12\"}");
        String body = "{\"requestId\":\"" + request.requestId() + "\"}";

        assertEquals(SubmitOutcome.DONE, submitter.submit(body, 1));
        ExportRequest submitted = table.get(request.requestId()).orElseThrow();
        assertEquals(RequestState.SUBMITTED, submitted.state());
        assertTrue(submitted.statementId().startsWith("athena:"), submitted.statementId());
        String queryId = submitted.statementId().substring("athena:".length());
        assertEquals("s3://" + RESULTS + "/exports/" + request.requestId() + "/" + queryId + ".csv",
                clients.athena().getQueryExecution(g -> g.queryExecutionId(queryId)).queryExecution()
                        .resultConfiguration().outputLocation());

        // a redelivery that finds SUBMITTED without an id repeats the start with the same token: same query
        String again = clients.athena().startQueryExecution(b -> b.clientRequestToken(request.requestId())
                .resultConfiguration(r -> r.outputLocation("s3://" + RESULTS + "/elsewhere/"))
                .queryString(clients.athena().getQueryExecution(g -> g.queryExecutionId(queryId)).queryExecution()
                        .query())).queryExecutionId();
        assertEquals(queryId, again);
        assertEquals(SubmitOutcome.DONE, submitter.submit(body, 2));
        assertEquals(submitted.statementId(), table.get(request.requestId()).orElseThrow().statementId());
    }

    @Test
    void athenaRefusalFailsTheRequestAtOnce(LocalAwsClients clients) {
        ControlTable table = table(clients);
        ExportSubmitter submitter = submitter(clients, table, "no-such-workgroup");
        ExportRequest request = queued(table, "athena_product_detail", "{\"sku\":\"FLOWER12\"}");
        assertEquals(SubmitOutcome.DONE, submitter.submit("{\"requestId\":\"" + request.requestId() + "\"}", 1));
        ExportRequest failed = table.get(request.requestId()).orElseThrow();
        assertEquals(RequestState.FAILED, failed.state());
        assertEquals("warehouse_rejected", failed.error().code());
        assertTrue(failed.error().message().contains("WorkGroup no-such-workgroup is not found"),
                failed.error().message());
    }
}
