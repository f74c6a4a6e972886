package com.warehouseexport.processor;

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
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The processor and a caller's DELETE racing, against DynamoDB Local and the Redshift Data emulator.
 */
@LocalAwsTest
class CancelRaceTest {
    private static final String OWNER = "arn:aws:iam::000000000000:user/partner-a";
    private static final WarehouseConnection CLUSTER =
            new WarehouseConnection("redshift-cluster-1", null, "dev", null, "export_user");
    /** Runs for hours on the emulator (10^12 rows, no shortcut from statistics): only a cancel ends it. */
    private static final String SLOW_SQL = "select count(*) from rsdataapi.product_inventory a, "
            + "rsdataapi.product_inventory b, rsdataapi.product_inventory c, rsdataapi.product_inventory d "
            + "where (a.inventory_id + b.inventory_id * 2 + c.inventory_id * 3 + d.inventory_id * 5) % 97 = 3";

    private static ControlTable newTable(DynamoDbClient dynamo) {
        String name = "cancel-race-" + UUID.randomUUID();
        ControlTableSchema.createTableIfMissing(dynamo, name);
        return new ControlTable(dynamo, name, Duration.ofDays(30));
    }

    private static ExportRequest queued(ControlTable table) {
        ExportRequest received = ExportRequest.received(RequestIds.newId(), OWNER, "product_detail",
                DatasetCatalog.load(null).get("product_detail").orElseThrow()
                        .validate(Json.parse("{\"sku\":\"FLOWER12\"}")).parameters(),
                ExportFormat.CSV, Instant.now());
        table.create(received);
        return table.transition(received, RequestState.QUEUED, "queued", RequestUpdate.none());
    }

    private static StatusString awaitEnd(RedshiftDataClient redshift, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            StatusString status = redshift.describeStatement(d -> d.id(id)).status();
            if (status == StatusString.FINISHED || status == StatusString.FAILED || status == StatusString.ABORTED) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("statement " + id + " still " + status);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aCancelledQueuedRequestIsNeverSubmitted(DynamoDbClient dynamo, RedshiftDataClient redshift) {
        ControlTable table = newTable(dynamo);
        ExportRequest queued = queued(table);
        table.transition(queued, RequestState.CANCELLED, "cancelled by the caller", RequestUpdate.none());
        ExportSubmitter submitter = new ExportSubmitter(table, redshift, DatasetCatalog.load(null), CLUSTER,
                "results", "arn:aws:iam::000000000000:role/redshift-unload", 5);

        assertEquals(SubmitOutcome.DONE, submitter.submit("{\"requestId\":\"" + queued.requestId() + "\"}", 1));
        ExportRequest stored = table.get(queued.requestId()).orElseThrow();
        assertEquals(RequestState.CANCELLED, stored.state());
        assertEquals(null, stored.statementId());
        assertEquals(0, redshift.listStatements(l -> l.statementName("export-" + queued.requestId())
                .status(StatusString.ALL)).statements().size(), "no statement ran");
    }

    @Test
    void aStatementStoredAfterTheCancelIsCancelledByTheProcessor(DynamoDbClient dynamo, RedshiftDataClient redshift)
            throws InterruptedException {
        ControlTable table = newTable(dynamo);
        ExportSubmitter submitter = new ExportSubmitter(table, redshift, DatasetCatalog.load(null), CLUSTER,
                "results", "arn:aws:iam::000000000000:role/redshift-unload", 5);
        // the processor moved it to SUBMITTED; the caller cancels before the statement id is stored
        ExportRequest submitted = table.transition(queued(table), RequestState.SUBMITTED, "submitting",
                RequestUpdate.none());
        table.transition(submitted, RequestState.CANCELLED, "cancelled by the caller", RequestUpdate.none());

        submitter.execute(submitted, SLOW_SQL);

        ExportRequest stored = table.get(submitted.requestId()).orElseThrow();
        assertEquals(RequestState.CANCELLED, stored.state());
        assertEquals(StatusString.ABORTED, awaitEnd(redshift, stored.statementId()));
    }
}
