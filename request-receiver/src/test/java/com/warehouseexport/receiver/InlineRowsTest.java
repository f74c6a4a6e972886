package com.warehouseexport.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.Compression;
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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

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

    private static ExportRequest compressed(ExportRequest r, Compression compression) {
        return new ExportRequest(r.requestId(), r.owner(), r.dataset(), r.parameters(), r.format(), r.state(),
                r.version(), r.createdAt(), r.updatedAt(), r.statementId(), r.result(), r.error(), compression);
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void part(ExportRequest request, String name, byte[] content) {
        s3.putObject(p -> p.bucket(bucket).key(ExportLocations.partPrefix(request.requestId()) + name),
                RequestBody.fromBytes(content));
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
    void gzipPartsAreDecodedAndZstdResultsGetNoInlineRows() {
        ExportRequest request = compressed(request(RequestState.SUCCEEDED, ExportFormat.CSV, 3), Compression.GZIP);
        part(request, "0000_part_00.gz", gzip("sku,name\nFLOWER12,\"Flowers, Rose\"\n"));
        part(request, "0001_part_00.gz", gzip("sku,name\nFLOWER13,Jasmine\nFLOWER14,\n"));
        part(request, "manifest", "{\"entries\":[]}");
        JsonNode inline = read(request, InlineResult.Limits.DEFAULT).orElseThrow();
        assertEquals(Json.parse("[[\"FLOWER12\",\"Flowers, Rose\"],[\"FLOWER13\",\"Jasmine\"],[\"FLOWER14\",null]]"),
                inline.get("rows"));

        // the byte limit holds for the decoded CSV: 3,000 short rows squeeze into far fewer gzip bytes
        ExportRequest big = compressed(request(RequestState.SUCCEEDED, ExportFormat.CSV, 3000), Compression.GZIP);
        byte[] packed = gzip("sku\n" + "FLOWER12\n".repeat(3000));
        part(big, "0000_part_00.gz", packed);
        assertTrue(packed.length < 1000, "compressed " + packed.length);
        assertTrue(read(big, new InlineResult.Limits(10_000, 10_000)).isEmpty());
        assertTrue(read(big, new InlineResult.Limits(100_000, 10_000)).isPresent());

        ExportRequest zstd = compressed(request(RequestState.SUCCEEDED, ExportFormat.CSV, 1), Compression.ZSTD);
        part(zstd, "0000_part_00.zst", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});
        assertTrue(read(zstd, InlineResult.Limits.DEFAULT).isEmpty());
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
