package com.warehouseexport.localaws.redshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** UNLOAD through the Data API into S3Proxy, read back from S3 and compared with the warehouse's rows. */
class UnloadTest {
    private static final String ROLE = "IAM_ROLE 'arn:aws:iam::000000000000:role/unload'";
    private static final long INVENTORY_ROWS = 300_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedshiftFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = RedshiftFixture.start(INVENTORY_ROWS, null);
        for (String bucket : List.of("exports", "other")) {
            fx.s3.createBucket(b -> b.bucket(bucket));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        fx.close();
    }

    @Test
    void csvWithHeaderAndVerboseManifest() throws Exception {
        DescribeStatementResponse d = fx.run("UNLOAD ('select sku, product_id, product_name, product_description "
            + "from rsdataapi.product_detail order by sku') TO 's3://exports/csv/r1/part_' " + ROLE
            + " MANIFEST VERBOSE ALLOWOVERWRITE FORMAT AS CSV HEADER");
        assertEquals(3L, d.resultRows());
        assertFalse(d.hasResultSet());
        assertEquals(List.of("csv/r1/part_0000_part_00", "csv/r1/part_manifest"), keys("exports", "csv/r1/"));
        String csv = text("exports", "csv/r1/part_0000_part_00");
        assertEquals("sku,product_id,product_name,product_description\n"
            + "FLOWER12,12345,Flowers - Rose,Flowers-Rose\n"
            + "FLOWER13,12346,Flowers - Jasmine,Flowers-Jasmine\n"
            + "FLOWER14,12347,Flowers - Other,Flowers-Other\n", csv);

        JsonNode manifest = JSON.readTree(text("exports", "csv/r1/part_manifest"));
        JsonNode entry = manifest.get("entries").get(0);
        assertEquals("s3://exports/csv/r1/part_0000_part_00", entry.get("url").asText());
        assertEquals(csv.getBytes(StandardCharsets.UTF_8).length, entry.get("meta").get("content_length").asLong());
        assertEquals(4, entry.get("meta").get("record_count").asLong(), "Redshift counts the header line");
        JsonNode elements = manifest.get("schema").get("elements");
        assertEquals("sku", elements.get(0).get("name").asText());
        assertEquals("character varying", elements.get(0).get("type").get("base").asText());
        assertEquals("integer", elements.get(1).get("type").get("base").asText());
        assertEquals(4, manifest.get("meta").get("record_count").asLong());
        assertEquals(entry.get("meta").get("content_length").asLong(),
            manifest.get("meta").get("content_length").asLong());
        assertEquals("Amazon Redshift", manifest.get("author").get("name").asText());
        assertEquals("1.0.0", manifest.get("author").get("version").asText());
    }

    @Test
    void parquetWithVerboseManifestHoldsExactlyTheTableRows(@TempDir Path tmp) throws Exception {
        DescribeStatementResponse d = fx.run("unload ('select * from rsdataapi.product_inventory order by "
            + "inventory_id') to 's3://exports/pq/inv_' " + ROLE + " format as parquet manifest verbose");
        assertEquals(INVENTORY_ROWS, d.resultRows());
        assertEquals(List.of("pq/inv_0000_part_00.parquet", "pq/inv_manifest"), keys("exports", "pq/"));
        Path file = tmp.resolve("part.parquet");
        Files.write(file, fx.s3.getObjectAsBytes(b -> b.bucket("exports").key("pq/inv_0000_part_00.parquet"))
            .asByteArray());
        assertEquals(0L, count("select * from (select * from read_parquet('" + file + "') except all "
            + "select * from rsdataapi.product_inventory) union all select * from (select * from "
            + "rsdataapi.product_inventory except all select * from read_parquet('" + file + "'))"));
        assertEquals(INVENTORY_ROWS, count("select * from read_parquet('" + file + "')"));

        JsonNode manifest = JSON.readTree(text("exports", "pq/inv_manifest"));
        JsonNode entry = manifest.get("entries").get(0);
        assertEquals("s3://exports/pq/inv_0000_part_00.parquet", entry.get("url").asText());
        assertEquals(Files.size(file), entry.get("meta").get("content_length").asLong());
        assertEquals(INVENTORY_ROWS, entry.get("meta").get("record_count").asLong());
        List<String> types = new ArrayList<>();
        manifest.get("schema").get("elements").forEach(e -> types.add(e.get("name").asText() + ":"
            + e.get("type").get("base").asText() + e.get("type").path("dimensions")));
        assertEquals(List.of("inventory_id:bigint", "sku:character varying[[256]]", "warehouse_id:integer",
            "warehouse_code:character varying[[256]]", "quantity:integer", "unit_price:numeric[[12,2]]",
            "last_restocked_at:timestamp without time zone", "is_active:boolean",
            "category:character varying[[256]]", "notes:character varying[[256]]"), types);
    }

    @Test
    void literalQuotesAndBackslashesSurviveBothLevelsOfEscaping() throws Exception {
        List<String> values = List.of("it's", "back\\slash", "both ' and \\", "''doubled''", "plain");
        fx.run("create table public.quotes (id int, v varchar(40))");
        for (int i = 0; i < values.size(); i++) {
            fx.run("insert into public.quotes values (" + (i + 1) + ", " + backslashLiteral(values.get(i)) + ")");
        }
        // the values went in intact: read them back through GetStatementResult
        String all = fx.run("select v from public.quotes order by id").id();
        assertEquals(values, fx.client.getStatementResult(b -> b.id(all)).records().stream()
            .map(row -> row.get(0).stringValue()).toList());

        int run = 0;
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            for (boolean innerDoubled : List.of(true, false)) {
                for (boolean outerDoubled : List.of(true, false)) {
                    String inner = "select id, v from public.quotes where v = "
                        + (innerDoubled ? doubledLiteral(value) : backslashLiteral(value));
                    String prefix = "quotes/run" + (run++) + "/";
                    fx.run("unload (" + (outerDoubled ? doubledLiteral(inner) : backslashLiteral(inner)) + ") to "
                        + "'s3://exports/" + prefix + "' " + ROLE + " csv parallel off");
                    String expected = (i + 1) + "," + (value.contains("\"") ? "\"" + value + "\"" : value) + "\n";
                    assertEquals(expected, text("exports", prefix + "000"), inner);
                }
            }
        }
        // and one written out by hand: UNLOAD ('select ... where v = \'both \\\' and \\\\\'')
        fx.run("unload ('select id from public.quotes where v = \\'both \\\\\\' and \\\\\\\\\\'') "
            + "to 's3://exports/quotes/by-hand/' " + ROLE + " parallel off");
        assertEquals("3\n", text("exports", "quotes/by-hand/000"));
    }

    @Test
    void destinationMustBeEmptyUnlessOverwriteOrCleanpath() throws Exception {
        String unload = "unload ('select sku from rsdataapi.product_detail order by sku') to 's3://exports/ow/run_' "
            + ROLE + " parallel off";
        fx.run(unload);
        DescribeStatementResponse refused = fx.await(fx.execute(unload));
        assertEquals("FAILED", refused.statusAsString());
        assertEquals("ERROR: Specified unload destination on S3 is not empty. Consider using a different bucket / "
            + "prefix, manually removing the target files in S3, or using the ALLOWOVERWRITE option.",
            refused.error());

        fx.s3.putObject(b -> b.bucket("exports").key("ow/run_stale"),
            software.amazon.awssdk.core.sync.RequestBody.fromString("old"));
        fx.run(unload + " allowoverwrite");
        assertEquals(List.of("ow/run_000", "ow/run_stale"), keys("exports", "ow/"));
        fx.run(unload + " cleanpath");
        assertEquals(List.of("ow/run_000"), keys("exports", "ow/"));
        assertEquals("FLOWER12\nFLOWER13\nFLOWER14\n", text("exports", "ow/run_000"));
    }

    @Test
    void unsupportedOptionFailsTheStatementAndWritesNothing() {
        DescribeStatementResponse d = fx.await(fx.execute("unload ('select 1') to 's3://exports/unsupported/' "
            + ROLE + " addquotes"));
        assertEquals("FAILED", d.statusAsString());
        assertTrue(d.error().startsWith("ERROR: UNLOAD option ADDQUOTES is not supported by the local Redshift "
            + "emulator"), d.error());
        assertEquals(List.of(), keys("exports", "unsupported/"));

        DescribeStatementResponse noBucket = fx.await(fx.execute("unload ('select 1') to 's3://no-such-bucket/x/' "
            + ROLE));
        assertEquals("FAILED", noBucket.statusAsString());
        assertTrue(noBucket.error().startsWith("ERROR: S3ServiceException:") && noBucket.error().contains("NoSuchBucket"),
            noBucket.error());

        DescribeStatementResponse badSql = fx.await(fx.execute("unload ('select * from rsdataapi.nope') "
            + "to 's3://exports/badsql/' " + ROLE));
        assertEquals("ERROR: relation \"rsdataapi.nope\" does not exist", badSql.error());
        assertEquals(List.of(), keys("exports", "badsql/"));
    }

    @Test
    void parallelOffKeepsQueryOrderAcrossFilesNoLargerThanMaxFileSize() throws Exception {
        DescribeStatementResponse d = fx.run("unload ('select inventory_id, sku, notes, category, unit_price, "
            + "last_restocked_at from rsdataapi.product_inventory order by inventory_id desc') "
            + "to 's3://exports/serial/inv_' " + ROLE
            + " csv header parallel off maxfilesize 5 mb manifest verbose");
        assertEquals(INVENTORY_ROWS, d.resultRows());
        List<String> keys = keys("exports", "serial/");
        System.out.printf("PARALLEL OFF, MAXFILESIZE 5 MB, %d rows: %s%n", INVENTORY_ROWS, keys);
        assertTrue(keys.size() >= 3, "expected the CSV to be cut into several files: " + keys);
        JsonNode manifest = JSON.readTree(text("exports", "serial/inv_manifest"));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < keys.size() - 1; i++) {
            String key = String.format("serial/inv_%03d", i);
            assertEquals(key, keys.get(i));
            byte[] bytes = bytes("exports", key);
            assertTrue(bytes.length <= 5 * 1024 * 1024, key + " is " + bytes.length + " bytes");
            List<String> lines = csvRecords(new String(bytes, StandardCharsets.UTF_8));
            assertEquals("inventory_id,sku,notes,category,unit_price,last_restocked_at", lines.get(0));
            assertEquals(lines.size(), manifest.get("entries").get(i).get("meta").get("record_count").asLong());
            lines.subList(1, lines.size()).forEach(l -> ids.add(Long.parseLong(l.substring(0, l.indexOf(',')))));
        }
        assertEquals(INVENTORY_ROWS, ids.size());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(INVENTORY_ROWS - i, ids.get(i), "row " + i);
        }
    }

    @Test
    void parallelPartsAreSplitByMaxFileSize() throws Exception {
        fx.run("unload ('select * from rsdataapi.product_inventory') to 's3://exports/split/' " + ROLE
            + " format csv maxfilesize 5 mb manifest verbose");
        List<String> keys = keys("exports", "split/");
        System.out.printf("PARALLEL ON, MAXFILESIZE 5 MB, %d rows: %s%n", INVENTORY_ROWS, keys);
        assertTrue(keys.size() >= 4, "expected several parts: " + keys);
        assertEquals("split/manifest", keys.get(keys.size() - 1));
        JsonNode manifest = JSON.readTree(text("exports", "split/manifest"));
        long rows = 0;
        long idSum = 0;
        for (int i = 0; i < keys.size() - 1; i++) {
            assertEquals(String.format("split/%04d_part_00", i), keys.get(i));
            byte[] bytes = bytes("exports", keys.get(i));
            assertTrue(bytes.length <= 5 * 1024 * 1024, keys.get(i) + " has " + bytes.length + " bytes");
            List<String> lines = csvRecords(new String(bytes, StandardCharsets.UTF_8));
            assertEquals(lines.size(), manifest.get("entries").get(i).get("meta").get("record_count").asLong());
            assertEquals(bytes.length, manifest.get("entries").get(i).get("meta").get("content_length").asLong());
            rows += lines.size();
            for (String l : lines) {
                idSum += Long.parseLong(l.substring(0, l.indexOf(',')));
            }
        }
        assertEquals(INVENTORY_ROWS, rows);
        assertEquals(INVENTORY_ROWS * (INVENTORY_ROWS + 1) / 2, idSum);
        assertEquals(INVENTORY_ROWS, manifest.get("meta").get("record_count").asLong());
    }

    @Test
    void compressedPartsGetRedshiftsExtensions(@TempDir Path tmp) throws Exception {
        String query = "select * from rsdataapi.product_inventory where inventory_id <= 20000";
        fx.run("unload ('" + query + "') to 's3://other/gz/' " + ROLE + " csv header gzip");
        fx.run("unload ('" + query + "') to 's3://other/zst/' " + ROLE + " csv header zstd parallel off");
        assertEquals(List.of("gz/0000_part_00.gz"), keys("other", "gz/"));
        assertEquals(List.of("zst/000.zst"), keys("other", "zst/"));
        List<String> lines = csvRecords(new String(new GZIPInputStream(new ByteArrayInputStream(
            bytes("other", "gz/0000_part_00.gz"))).readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(20_001, lines.size());
        Path zst = tmp.resolve("part.csv.zst");
        Files.write(zst, bytes("other", "zst/000.zst"));
        String expected = "select inventory_id, sku, warehouse_id, warehouse_code, quantity, unit_price, "
            + "last_restocked_at, case when is_active then 't' else 'f' end, category, notes "
            + "from rsdataapi.product_inventory where inventory_id <= 20000";
        assertEquals(0L, count("select * from read_csv('" + zst + "', header = true, all_varchar = true) "
            + "except all select * from (" + expected + ")"));
        assertEquals(20_000L, count("select * from read_csv('" + zst + "', header = true)"));
    }

    /** The options exactly as the application renders them for a compressed CSV export. */
    @Test
    void theApplicationsCompressedCsvUnloadWritesNamedPartsAndAVerboseManifest() throws Exception {
        String query = "select * from rsdataapi.product_inventory where inventory_id <= 150000";
        for (String option : List.of("GZIP", "ZSTD")) {
            String prefix = "app/" + option.toLowerCase(java.util.Locale.ROOT) + "/part_";
            DescribeStatementResponse d = fx.run("UNLOAD ('" + query + "') TO 's3://exports/" + prefix + "' "
                + ROLE + " FORMAT AS CSV HEADER " + option + " MANIFEST VERBOSE ALLOWOVERWRITE");
            assertEquals(150_000L, d.resultRows());
            String suffix = option.equals("GZIP") ? ".gz" : ".zst";
            JsonNode manifest = JSON.readTree(text("exports", prefix + "manifest"));
            long records = 0;
            long bytes = 0;
            for (JsonNode entry : manifest.get("entries")) {
                String url = entry.get("url").asText();
                assertTrue(url.matches("s3://exports/" + prefix + "\\d{4}_part_00\\" + suffix), url);
                String key = url.substring("s3://exports/".length());
                long stored = bytes("exports", key).length;
                assertEquals(stored, entry.get("meta").get("content_length").asLong(), "compressed bytes: " + key);
                records += entry.get("meta").get("record_count").asLong();
                bytes += stored;
            }
            int parts = manifest.get("entries").size();
            assertEquals(150_000L + parts, records, "each part's header counts as a record");
            assertEquals(records, manifest.get("meta").get("record_count").asLong());
            assertEquals(bytes, manifest.get("meta").get("content_length").asLong());
            System.out.printf("%s: %d part(s), %,d bytes%n", option, parts, bytes);
        }
    }

    @Test
    void textAndJsonFormatsWriteBooleansAsRedshiftDoes() throws Exception {
        fx.run("unload ('select inventory_id, is_active, notes from rsdataapi.product_inventory "
            + "where inventory_id in (1, 90, 98) order by 1') to 's3://exports/text/' " + ROLE + " parallel off");
        StringBuilder expected = new StringBuilder();
        try (Connection c = fx.warehouse.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select inventory_id, is_active, notes from rsdataapi.product_inventory "
                 + "where inventory_id in (1, 90, 98) order by 1")) {
            while (r.next()) {
                expected.append(r.getLong(1)).append('|').append(r.getBoolean(2) ? "t" : "f").append('|')
                    .append(r.getString(3) == null ? "" : r.getString(3)).append('\n');
            }
        }
        assertEquals(expected.toString(), text("exports", "text/000"));

        fx.run("unload ('select sku, product_id, sku = ''FLOWER12'' as rose from rsdataapi.product_detail "
            + "order by sku') to 's3://other/json/' " + ROLE + " format json");
        assertEquals("{\"sku\":\"FLOWER12\",\"product_id\":12345,\"rose\":\"t\"}\n"
            + "{\"sku\":\"FLOWER13\",\"product_id\":12346,\"rose\":\"f\"}\n"
            + "{\"sku\":\"FLOWER14\",\"product_id\":12347,\"rose\":\"f\"}\n", text("other", "json/0000_part_00"));
    }

    @Test
    void largeFilesGoUpAsMultipartUploads() throws Exception {
        fx.service.unloader().setMultipart(6 * 1024 * 1024, 5 * 1024 * 1024);
        try {
            fx.run("unload ('select * from rsdataapi.product_inventory order by inventory_id') "
                + "to 's3://other/multipart/' " + ROLE + " csv parallel off");
            byte[] bytes = bytes("other", "multipart/000");
            System.out.printf("multipart upload of %d bytes%n", bytes.length);
            assertTrue(bytes.length > 10 * 1024 * 1024, "the test needs a file of several parts");
            List<String> lines = csvRecords(new String(bytes, StandardCharsets.UTF_8));
            assertEquals(INVENTORY_ROWS, lines.size());
            assertTrue(lines.get(lines.size() - 1).startsWith(INVENTORY_ROWS + ","));
        } finally {
            fx.service.unloader().setMultipart(256 * 1024 * 1024, 64 * 1024 * 1024);
        }
    }

    /** A Redshift literal using backslash escapes: {@code \'} and {@code \\}. */
    static String backslashLiteral(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** A Redshift literal doubling quotes; backslashes still need escaping in Redshift. */
    static String doubledLiteral(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** CSV records (a quoted field may hold a newline), without the line ends. */
    private static List<String> csvRecords(String csv) {
        List<String> records = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : csv.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == '\n' && !quoted) {
                records.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (current.length() > 0) {
            records.add(current.toString());
        }
        return records;
    }

    private static long count(String sql) throws Exception {
        try (Connection c = fx.warehouse.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from (" + sql + ")")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static List<String> keys(String bucket, String prefix) {
        return fx.s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
            .map(S3Object::key).sorted().toList();
    }

    private static byte[] bytes(String bucket, String key) {
        return fx.s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    private static String text(String bucket, String key) throws IOException {
        return new String(bytes(bucket, key), StandardCharsets.UTF_8);
    }
}
