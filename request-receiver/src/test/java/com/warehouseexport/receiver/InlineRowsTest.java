package com.warehouseexport.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportLocations;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.warehouse.InlineResult;
import com.warehouseexport.model.warehouse.RedshiftDataWarehouse;
import com.warehouseexport.model.warehouse.UnloadPartsReader;
import com.warehouseexport.model.warehouse.Warehouses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inline rows of a Redshift export read from its UNLOAD parts in S3 (S3Proxy), and the limits that leave them out. */
@LocalAwsTest
class InlineRowsTest {
    private S3Client s3;
    private RedshiftDataClient redshift;
    private String bucket;

    @BeforeEach
    void bucket(S3Client s3, RedshiftDataClient redshift) {
        this.s3 = s3;
        this.redshift = redshift;
        bucket = "inline-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
    }

    private static ExportRequest request(RequestState state, ExportFormat format, long recordedRows) {
        Instant now = Instant.now();
        ExportResult result = state == RequestState.SUCCEEDED
                ? new ExportResult(recordedRows, 100, format, 1, "https://example.com/x.zip", now, "archives/x.zip")
                : null;
        return new ExportRequest(RequestIds.newId(), "arn:aws:iam::000000000000:user/partner-a", "product_detail",
                ValidatedParameters.empty(), format, state, 6, now, now, "statement", result, null);
    }

    private void part(ExportRequest request, String name, String content) {
        s3.putObject(p -> p.bucket(bucket).key(ExportLocations.partPrefix(request.requestId()) + name),
                RequestBody.fromString(content));
    }

    private Optional<ObjectNode> read(ExportRequest request, InlineResult.Limits limits) {
        // as the receiver's Redshift engine reads them: from the UNLOAD parts of the request
        return new InlineRows(Warehouses.redshiftOnly(new RedshiftDataWarehouse(redshift, null, bucket, null,
                new UnloadPartsReader(s3, bucket))), limits).read(request);
    }

    @Test
    void rowsOfEveryPartUnderTheHeaderOfTheFirst() {
        ExportRequest request = request(RequestState.SUCCEEDED, ExportFormat.CSV, 3);
        part(request, "0000_part_00", "sku,name,note\nFLOWER12,\"Flowers, Rose\",\n");
        part(request, "0001_part_00", "sku,name,note\nFLOWER13,\"say \"\"hi\"\"\",\"two\nlines\"\nFLOWER14,Jasmine,x");
        part(request, "manifest", "{\"entries\":[]}");

        JsonNode inline = read(request, InlineResult.Limits.DEFAULT).orElseThrow();
        assertEquals(Json.parse("[{\"name\":\"sku\",\"type\":\"string\"},{\"name\":\"name\",\"type\":\"string\"},"
                + "{\"name\":\"note\",\"type\":\"string\"}]"), inline.get("columns"));
        assertEquals(Json.parse("[[\"FLOWER12\",\"Flowers, Rose\",null],[\"FLOWER13\",\"say \\\"hi\\\"\",\"two\\nlines\"],"
                + "[\"FLOWER14\",\"Jasmine\",\"x\"]]"), inline.get("rows"));
    }

    @Test
    void anEmptyResultHasItsColumnsAndNoRows() {
        ExportRequest request = request(RequestState.SUCCEEDED, ExportFormat.CSV, 0);
        part(request, "0000_part_00", "sku,name\n");
        JsonNode inline = read(request, InlineResult.Limits.DEFAULT).orElseThrow();
        assertEquals(2, inline.get("columns").size());
        assertEquals(0, inline.get("rows").size());
    }

    @Test
    void moreRowsThanTheLimitLeaveTheRowsOut() {
        ExportRequest request = request(RequestState.SUCCEEDED, ExportFormat.CSV, 3);
        part(request, "0000_part_00", "n\n1\n2\n3\n");
        assertTrue(read(request, new InlineResult.Limits(1024, 3)).isPresent(), "exactly at the limit is inline");
        // the recorded count may be missing or wrong: the rows read count too
        assertTrue(read(request, new InlineResult.Limits(1024, 2)).isEmpty());
        ExportRequest recordedOver = request(RequestState.SUCCEEDED, ExportFormat.CSV, 10_001);
        part(recordedOver, "0000_part_00", "n\n1\n");
        assertTrue(read(recordedOver, InlineResult.Limits.DEFAULT).isEmpty(), "the recorded row count is checked first");
    }

    @Test
    void moreBytesThanTheLimitLeaveTheRowsOutBeforeReading() {
        ExportRequest request = request(RequestState.SUCCEEDED, ExportFormat.CSV, 2);
        part(request, "0000_part_00", "n\n1\n");   // 4 bytes
        part(request, "0001_part_00", "n\n22\n");  // 5 bytes
        assertTrue(read(request, new InlineResult.Limits(9, 100)).isPresent());
        assertTrue(read(request, new InlineResult.Limits(8, 100)).isEmpty());
    }

    @Test
    void onlySucceededCsvExports() {
        ExportRequest parquet = request(RequestState.SUCCEEDED, ExportFormat.PARQUET, 1);
        part(parquet, "0000_part_00.parquet", "PAR1");
        assertTrue(read(parquet, InlineResult.Limits.DEFAULT).isEmpty());
        ExportRequest failed = request(RequestState.FAILED, ExportFormat.CSV, 0);
        part(failed, "0000_part_00", "n\n1\n");
        assertTrue(read(failed, InlineResult.Limits.DEFAULT).isEmpty());
    }
}
