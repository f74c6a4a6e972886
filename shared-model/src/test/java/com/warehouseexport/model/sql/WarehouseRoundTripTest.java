package com.warehouseexport.model.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.Validation;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.json.Json;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The injection corpus through the emulated warehouse: each accepted value is rendered into a real UNLOAD, run by the
 * local Redshift Data API (which executes the inner query on DuckDB with Redshift's literal rules), and must come back
 * verbatim as the single value of the unloaded file; each run is exactly one statement, and the warehouse's tables
 * are untouched afterwards. Refused values never get that far ({@link InjectionCorpusTest}).
 */
@LocalAwsTest
class WarehouseRoundTripTest {
    /** Selects the value itself, so the unloaded file shows exactly what the warehouse understood. */
    private static final Dataset ECHO = DatasetCatalog.of("""
            {"datasets": [{"name": "echo", "description": "returns its parameter",
              "sql": "select :v as echoed from rsdataapi.product_detail where sku = 'FLOWER12'",
              "parameters": [{"name": "v", "type": "string", "required": true, "maxLength": 1024}]}]}
            """, "test").get("echo").orElseThrow();
    private static final String ROLE = "arn:aws:iam::000000000000:role/unload-role";

    @Test
    void everyAcceptedValueComesBackVerbatimFromOneStatement(LocalAws aws) throws Exception {
        RedshiftDataClient redshift = aws.clients().redshiftData();
        S3Client s3 = aws.clients().s3();
        String bucket = "roundtrip-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        long rowsBefore = productDetailRows(aws);

        List<String> values = InjectionCorpusTest.accepted().toList();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        int statementsBefore = statementCount(redshift);
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            Validation validation = ECHO.validate(Map.<String, JsonNode>of("v", TextNode.valueOf(value)));
            assertTrue(validation.isValid(), () -> "refused: " + value);
            String prefix = "probe/" + i + "/";
            String sql = UnloadSql.render(ECHO, validation.parameters(), "s3://" + bucket + "/" + prefix + "part_", ROLE,
                    ExportFormat.CSV);
            String id = redshift.executeStatement(b -> b.clusterIdentifier("redshift-cluster-1").database("dev")
                    .dbUser("export_user").sql(sql)).id();
            DescribeStatementResponse done = awaitFinal(redshift, id);
            if (done.status() != StatusString.FINISHED) {
                failures.add(describe(value) + ": statement " + done.status() + " " + done.error());
                continue;
            }
            String echoed = unloadedValue(s3, bucket, prefix);
            if (!value.equals(echoed)) {
                failures.add(describe(value) + ": came back as " + describe(echoed));
            }
        }
        int statements = statementCount(redshift) - statementsBefore;
        System.out.println("warehouse round trip: " + values.size() + " values, " + statements + " statements, "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        assertEquals(List.of(), failures);
        assertEquals(values.size(), statements, "one statement per value: nothing stacked ran");
        assertEquals(rowsBefore, productDetailRows(aws), "the warehouse's table is untouched");
    }

    private static DescribeStatementResponse awaitFinal(RedshiftDataClient redshift, String id) throws InterruptedException {
        for (int attempt = 0; attempt < 600; attempt++) {
            DescribeStatementResponse statement = redshift.describeStatement(b -> b.id(id));
            if (statement.status() == StatusString.FINISHED || statement.status() == StatusString.FAILED
                    || statement.status() == StatusString.ABORTED) {
                return statement;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("statement " + id + " did not finish");
    }

    /** The manifest's one part, its header and its one CSV value (quotes undone as CSV writes them). */
    private static String unloadedValue(S3Client s3, String bucket, String prefix) {
        JsonNode manifest = Json.parse(s3.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + "part_manifest"))
                .asUtf8String());
        assertEquals(1, manifest.path("entries").size(), manifest::toString);
        String url = manifest.path("entries").get(0).path("url").asText();
        String key = url.substring(("s3://" + bucket + "/").length());
        String csv = new String(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), StandardCharsets.UTF_8);
        int newline = csv.indexOf('\n');
        assertEquals("echoed", csv.substring(0, newline).trim(), csv);
        String field = csv.substring(newline + 1);
        if (field.endsWith("\n")) {
            field = field.substring(0, field.length() - 1);
        }
        if (field.endsWith("\r")) {
            field = field.substring(0, field.length() - 1);
        }
        if (field.startsWith("\"") && field.endsWith("\"") && field.length() >= 2) {
            field = field.substring(1, field.length() - 1).replace("\"\"", "\"");
        }
        return field;
    }

    private static int statementCount(RedshiftDataClient redshift) {
        int count = 0;
        String token = null;
        do {
            String page = token;
            var response = redshift.listStatements(b -> b.status(StatusString.ALL).maxResults(100).nextToken(page));
            count += response.statements().size();
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        return count;
    }

    private static long productDetailRows(LocalAws aws) throws Exception {
        try (Connection c = aws.warehouse().connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from rsdataapi.product_detail")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static String describe(String value) {
        String shown = value.length() > 60 ? value.substring(0, 60) + "…" : value;
        StringBuilder out = new StringBuilder("\"");
        shown.codePoints().forEach(cp -> out.append(cp < 0x20 || cp > 0x7e ? String.format("\\u%04x", cp)
                : String.valueOf((char) cp)));
        return out.append("\" (").append(value.length()).append(" chars)").toString();
    }
}
