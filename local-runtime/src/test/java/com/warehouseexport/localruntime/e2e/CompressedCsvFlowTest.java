package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localaws.ses.OutboxMessage;
import com.warehouseexport.localruntime.LocalRuntime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code "compression": "gzip" | "zstd"} end to end: signed POSTs through the local gateway, the real UNLOAD
 * options on the emulated Redshift, the poller's zip, the e-mailed link. The decompressed rows must be exactly
 * the uncompressed export's rows (gzip decoded with the JDK, zstd read back by DuckDB, so neither check uses the
 * poller's own decoder).
 */
@LocalAwsTest
class CompressedCsvFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A few hundred rows of the sample inventory; one sku so the three exports are the same rows. */
    private static final String PARAMETERS = "{\"sku\":\"FLOWER13\"}";

    private static LocalAws aws;
    private static LocalRuntime runtime;
    private static SignedApi partner;

    @BeforeAll
    static void startRuntime(LocalAws localAws) {
        aws = localAws;
        runtime = InProcessRuntime.start(aws, "e2e-compressed");
        partner = new SdkSignedApi(runtime.apiEndpoint(), Partner.A);
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static String body(String compression) {
        return "{\"dataset\":\"product_inventory\",\"parameters\":" + PARAMETERS + ",\"format\":\"csv\""
            + (compression == null ? "" : ",\"compression\":\"" + compression + "\"") + "}";
    }

    @Test
    void gzipAndZstdArchivesHoldTheUncompressedExportsRows(@TempDir Path dir) throws Exception {
        String plainId = ExportFlow.submit(partner, body(null));
        String gzipId = ExportFlow.submit(partner, body("gzip"));
        String zstdId = ExportFlow.submit(partner, body("zstd"));

        JsonNode plain = ExportFlow.awaitSucceeded(partner, plainId);
        Map<String, byte[]> plainEntries = archive(plainId);
        List<String> plainRows = dataRows(plainEntries.values());
        long expectedRows = plain.path("result").path("rows").asLong();
        assertTrue(expectedRows > 100, () -> "the export should have a few hundred rows: " + plain);
        assertEquals(expectedRows, plainRows.size());
        assertTrue(plain.path("compression").isMissingNode(), plain::toPrettyString);

        // gzip: entries keep Redshift's .gz bytes; the JDK decodes them to the same rows
        JsonNode gzip = ExportFlow.awaitSucceeded(partner, gzipId);
        assertEquals("gzip", gzip.path("compression").asText(), gzip::toPrettyString);
        assertEquals(expectedRows, gzip.path("result").path("rows").asLong(), "rows counted through the gzip");
        Map<String, byte[]> gzipEntries = archive(gzipId);
        List<byte[]> decoded = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : gzipEntries.entrySet()) {
            assertTrue(entry.getKey().matches("product_inventory-part-\\d{4}\\.csv\\.gz"), entry::getKey);
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(entry.getValue()))) {
                decoded.add(in.readAllBytes());
            }
        }
        assertEquals(plainRows, dataRows(decoded));
        assertTrue(onlyEmailFor(gzipId).text().contains("Format: csv (gzip-compressed, .csv.gz files)"));

        // zstd: DuckDB reads the zipped .zst parts; nothing is in one export and not the other
        JsonNode zstd = ExportFlow.awaitSucceeded(partner, zstdId);
        assertEquals("zstd", zstd.path("compression").asText(), zstd::toPrettyString);
        assertEquals(expectedRows, zstd.path("result").path("rows").asLong(), "rows counted through the zstd");
        List<String> zstdFiles = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : archive(zstdId).entrySet()) {
            assertTrue(entry.getKey().matches("product_inventory-part-\\d{4}\\.csv\\.zst"), entry::getKey);
            zstdFiles.add(write(dir, entry.getKey(), entry.getValue()));
        }
        List<String> plainFiles = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : plainEntries.entrySet()) {
            plainFiles.add(write(dir, entry.getKey(), entry.getValue()));
        }
        String zstdRows = "read_csv([" + String.join(", ", zstdFiles) + "], header = true, all_varchar = true, "
            + "compression = 'zstd')";
        String plainCsvRows = "read_csv([" + String.join(", ", plainFiles) + "], header = true, all_varchar = true)";
        assertEquals(expectedRows, count("select count(*) from " + zstdRows));
        assertEquals(0, count("select count(*) from (select * from " + zstdRows + " except all select * from "
            + plainCsvRows + ")"));
        assertEquals(0, count("select count(*) from (select * from " + plainCsvRows + " except all select * from "
            + zstdRows + ")"));

        System.out.printf("E2E figure: %,d rows; archive bytes csv %,d, gzip %,d, zstd %,d%n", expectedRows,
            plain.path("result").path("bytes").asLong(), gzip.path("result").path("bytes").asLong(),
            zstd.path("result").path("bytes").asLong());
    }

    @Test
    void refusedCombinationsWriteNothing() {
        for (String body : List.of(
            "{\"dataset\":\"product_inventory\",\"parameters\":{},\"format\":\"parquet\",\"compression\":\"zstd\"}",
            "{\"dataset\":\"athena_product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"compression\":\"gzip\"}",
            "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},\"compression\":\"lz4\"}")) {
            HttpReply reply = partner.postJson("/exports", body);
            assertEquals(400, reply.status(), reply::toString);
            assertEquals("invalid_format", reply.json().path("error").asText(), reply::toString);
            assertTrue(reply.json().path("message").asText().contains("\"compression\""), reply::toString);
        }
    }

    @Test
    void aGzipExportIsAnsweredInlineDecoded() throws Exception {
        HttpReply reply = partner.postJson("/exports", "{\"dataset\":\"product_detail\",\"parameters\":"
            + "{\"sku\":\"FLOWER12\"},\"compression\":\"gzip\",\"wait\":20}");
        if (reply.status() == 202) {
            // the runtime's first export pays its cold starts; a repeat is answered in time
            ExportFlow.awaitSucceeded(partner, reply.json().path("requestId").asText());
            reply = partner.postJson("/exports", "{\"dataset\":\"product_detail\",\"parameters\":"
                + "{\"sku\":\"FLOWER12\"},\"compression\":\"gzip\",\"wait\":20}");
        }
        HttpReply answer = reply;
        assertEquals(200, answer.status(), answer::toString);
        assertEquals(JSON.readTree("[[\"FLOWER12\",\"12345\",\"Flowers - Rose\",\"Flowers-Rose\"]]"),
            answer.json().at("/inline/rows"), answer::toString);
    }

    private static Map<String, byte[]> archive(String requestId) {
        return ExportFlow.unzip(PlainHttp.download(URI.create(ExportFlow.downloadLink(onlyEmailFor(requestId)
            .text()))));
    }

    /** Every part's lines after its header, sorted (the parts' order and split are the warehouse's business). */
    private static List<String> dataRows(Iterable<byte[]> parts) {
        List<String> rows = new ArrayList<>();
        for (byte[] part : parts) {
            List<String> lines = ExportFlow.lines(part);
            rows.addAll(lines.subList(Math.min(1, lines.size()), lines.size()));
        }
        rows.sort(null);
        return rows;
    }

    private static String write(Path dir, String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return "'" + file.toString().replace("'", "''") + "'";
    }

    private static long count(String sql) throws SQLException {
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = duckdb.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static OutboxMessage onlyEmailFor(String requestId) {
        List<OutboxMessage> mails = ExportFlow.await("the e-mail of " + requestId, Duration.ofSeconds(60),
            () -> aws.outbox().messages().stream().filter(m -> m.subject().contains(requestId)).toList(),
            found -> !found.isEmpty());
        assertEquals(1, mails.size(), mails::toString);
        return mails.get(0);
    }
}
