package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localruntime.eventbridge.EventPattern;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localaws.ses.OutboxMessage;
import com.warehouseexport.localruntime.LocalRuntime;
import com.warehouseexport.localruntime.apigateway.Principals;
import com.warehouseexport.localruntime.outbox.SesOutbox;
import com.warehouseexport.localruntime.template.SamTemplate;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export flow inside one JVM: local AWS and the runtime in this process (LocalRuntime with the real
 * template.yaml and the four built function jars, each in its own class loader), called over HTTP with the SDK's
 * SigV4 signer; the e-mail is read from local AWS's outbox directly.
 */
@LocalAwsTest
class InProcessFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATE = Path.of(System.getProperty("e2e.template", "../template.yaml"))
        .toAbsolutePath().normalize();

    private static LocalAws aws;
    private static LocalRuntime runtime;
    private static SignedApi partner;

    @BeforeAll
    static void startRuntime(LocalAws localAws) {
        aws = localAws;
        long started = System.nanoTime();
        runtime = LocalRuntime.start(new LocalRuntime.Settings(TEMPLATE, "e2e-in-process", 0, Map.of(),
            Duration.ofSeconds(1), Principals.defaults(), null), aws, new SesOutbox(aws.outbox()), System.out);
        System.out.println("E2E figure: in-process runtime start " + (System.nanoTime() - started) / 1_000_000
            + " ms (local AWS already running)");
        for (SamTemplate.Function function : runtime.template().functions()) {
            assertTrue(Files.isRegularFile(function.codeUri()), () -> function.logicalId() + "'s jar "
                + function.codeUri() + " is missing: build the function modules first (mvn -B verify does)");
        }
        partner = new SdkSignedApi(runtime.apiEndpoint(), Partner.A);
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void csvExportArrivesAsAnEmailedLink() {
        Instant posted = Instant.now();
        String id = ExportFlow.submit(partner, ExportFlow.FLOWER12_CSV);
        JsonNode status = ExportFlow.awaitSucceeded(partner, id);
        ExportFlow.assertSuccessHistory(partner.get("/exports/" + id + "/history").json());

        OutboxMessage email = onlyEmailFor(id);
        System.out.println("E2E figure: signed POST to e-mail " + Duration.between(posted, email.sentAt()).toMillis()
            + " ms (FLOWER12 csv, in process)");
        String link = ExportFlow.downloadLink(email.text());
        assertEquals(status.path("result").path("downloadUrl").asText(), link);
        Map<String, byte[]> entries = ExportFlow.unzip(PlainHttp.download(URI.create(link)));
        assertEquals(1, entries.size(), () -> entries.keySet().toString());
        assertEquals(ExportFlow.FLOWER12_LINES, ExportFlow.lines(entries.values().iterator().next()));
    }

    @Test
    void filteredParquetExportHoldsExactlyTheMatchingRows(@TempDir Path dir) throws Exception {
        String id = ExportFlow.submit(partner, "{\"dataset\":\"product_inventory\",\"parameters\":{\"sku\":\"FLOWER13\","
            + "\"min_quantity\":500},\"format\":\"parquet\"}");
        JsonNode result = ExportFlow.awaitSucceeded(partner, id).path("result");
        assertEquals("parquet", result.path("format").asText(), result::toPrettyString);

        long expectedRows = warehouseCount("select count(*) from rsdataapi.product_inventory "
            + "where sku = 'FLOWER13' and quantity >= 500");
        assertTrue(expectedRows > 0 && expectedRows < 1000, () -> "the filter should keep some rows: " + expectedRows);
        assertEquals(expectedRows, result.path("rows").asLong(), result::toPrettyString);

        // the UNLOAD's own manifest agrees with what the request records
        String resultsBucket = runtime.template().bucket("ResultsBucket").orElseThrow().bucketName();
        JsonNode manifest = JSON.readTree(aws.clients().s3().getObjectAsBytes(r -> r.bucket(resultsBucket)
            .key("exports/" + id + "/part_manifest")).asByteArray());
        assertEquals(result.path("rows").asLong(), manifest.path("meta").path("record_count").asLong(),
            manifest::toPrettyString);
        assertEquals(result.path("parts").asInt(), manifest.path("entries").size(), manifest::toPrettyString);

        Map<String, byte[]> entries = ExportFlow.unzip(PlainHttp.download(URI.create(
            ExportFlow.downloadLink(onlyEmailFor(id).text()))));
        assertEquals(result.path("parts").asInt(), entries.size(), () -> entries.keySet().toString());
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            assertTrue(entry.getKey().endsWith(".parquet"), entry::getKey);
            Path file = dir.resolve(entry.getKey());
            Files.write(file, entry.getValue());
            files.add("'" + file + "'");
        }
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = duckdb.createStatement();
             ResultSet rows = s.executeQuery("select count(*), count(*) filter (where sku <> 'FLOWER13' "
                 + "or quantity < 500) from read_parquet([" + String.join(", ", files) + "])")) {
            rows.next();
            assertEquals(expectedRows, rows.getLong(1), "rows in the zipped Parquet files");
            assertEquals(0, rows.getLong(2), "rows outside the filter");
        }
    }

    /**
     * Expiry, end to end: a link whose token has expired (minted here, independently of the app's code, with the
     * runtime's own key from Secrets Manager: a test clock for the link) answers 410 in plain words; once the
     * recorded expiry has passed the SigV4 route answers 410 {@code expired}; an altered token answers 403.
     */
    @Test
    void expiredLinksAnswer410AndAlteredOnes403() throws Exception {
        String id = ExportFlow.submit(partner, ExportFlow.FLOWER12_CSV);
        ExportFlow.awaitSucceeded(partner, id);
        String link = ExportFlow.downloadLink(onlyEmailFor(id).text());
        URI base = URI.create(runtime.apiEndpoint() + "/v1/links/");
        assertTrue(link.startsWith(base.toString()), link);
        assertEquals(302, PlainHttp.get(URI.create(link)).status(), "unsigned, still valid");

        String secretArn = runtime.template().function("ResultPollerFunction").orElseThrow().environment()
            .get("LINK_SIGNING_SECRET_ARN");
        var secret = aws.clients().secretsManager().getSecretValue(r -> r.secretId(secretArn));
        byte[] key = JSON.readTree(secret.secretString()).get("key").asText().getBytes(StandardCharsets.UTF_8);
        String expired = mintToken(key, id, Instant.now().minusSeconds(1), secret.versionId());
        HttpReply gone = PlainHttp.get(URI.create(base + expired));
        assertEquals(410, gone.status(), gone::toString);
        assertTrue(gone.header("Content-Type").orElse("").startsWith("text/html"), gone::toString);
        assertTrue(gone.body().contains("This download link expired at"), gone::toString);
        assertEquals(302, PlainHttp.get(URI.create(base + mintToken(key, id, Instant.now().plusSeconds(60),
            secret.versionId()))).status(), "a token minted the documented way is accepted");

        String token = link.substring(base.toString().length());
        String altered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        HttpReply refused = PlainHttp.get(URI.create(base + altered));
        assertEquals(403, refused.status(), refused::toString);
        assertTrue(!refused.body().contains(id), refused::toString);

        assertEquals(302, partner.get("/exports/" + id + "/download").status());
        String table = runtime.template().table("ControlTable").orElseThrow().tableName();
        aws.clients().dynamoDb().updateItem(r -> r.tableName(table)
            .key(Map.of("pk", AttributeValue.fromS("REQ#" + id), "sk", AttributeValue.fromS("REQUEST")))
            .updateExpression("SET resultExpiresAt = :past")
            .expressionAttributeValues(Map.of(":past", AttributeValue.fromS("2020-01-01T00:00:00.000Z"))));
        HttpReply late = partner.get("/exports/" + id + "/download");
        assertEquals(410, late.status(), late::toString);
        assertEquals("expired", late.json().path("error").asText(), late::toString);
    }

    /** The token format of docs/design.md: base64url("v1.<id>.<expiry>.<key id>") "." base64url(HMAC-SHA256). */
    private static String mintToken(byte[] key, String requestId, Instant expiresAt, String keyId) throws Exception {
        byte[] payload = ("v1." + requestId + "." + expiresAt.getEpochSecond() + "." + keyId)
            .getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        return base64url.encodeToString(payload) + "." + base64url.encodeToString(mac.doFinal(payload));
    }

    /**
     * A mixed batch: Athena and Redshift datasets, CSV and Parquet, submitted together, all run through the same
     * API, processor, poller and e-mail; the partner sees the same shapes whichever engine served the data.
     */
    @Test
    void athenaAndRedshiftDatasetsCompleteTogetherInOneBatch(@TempDir Path dir) throws Exception {
        List<ObjectNode> athenaEvents = new CopyOnWriteArrayList<>();
        Map<String, String> batch = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (AutoCloseable subscription = aws.eventBus().subscribe(e -> {
            if (e.path("source").asText().equals("aws.athena")) {
                athenaEvents.add(e);
            }
        })) {
            batch.put("athena csv", ExportFlow.submit(partner,
                "{\"dataset\":\"athena_product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"}}"));
            batch.put("redshift csv", ExportFlow.submit(partner, ExportFlow.FLOWER12_CSV));
            batch.put("athena parquet", ExportFlow.submit(partner, "{\"dataset\":\"athena_inventory_by_category\","
                + "\"parameters\":{\"is_active\":true},\"format\":\"parquet\"}"));
            batch.put("athena csv filtered", ExportFlow.submit(partner, "{\"dataset\":\"athena_inventory_by_category\","
                + "\"parameters\":{\"category\":\"Roses\",\"warehouse_id\":7}}"));
            batch.put("redshift parquet", ExportFlow.submit(partner, "{\"dataset\":\"product_inventory\","
                + "\"parameters\":{\"sku\":\"FLOWER14\",\"limit\":5},\"format\":\"parquet\"}"));
            Map<String, JsonNode> results = new LinkedHashMap<>();
            for (Map.Entry<String, String> request : batch.entrySet()) {
                JsonNode status = ExportFlow.awaitSucceeded(partner, request.getValue());
                ExportFlow.assertSuccessHistory(partner.get("/exports/" + request.getValue() + "/history").json());
                results.put(request.getKey(), status.path("result"));
            }
            System.out.println("E2E figure: mixed batch of " + batch.size() + " (3 Athena, 2 Redshift) done in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");

            // the same product from either engine: the same CSV, once parsed (Athena quotes every value)
            List<List<String>> athenaRows = ExportFlow.csv(onlyEntry(batch.get("athena csv")));
            List<List<String>> redshiftRows = ExportFlow.csv(onlyEntry(batch.get("redshift csv")));
            assertEquals(redshiftRows, athenaRows);
            assertEquals(1, results.get("athena csv").path("rows").asLong(), results.get("athena csv")::toString);
            assertEquals(1, results.get("redshift csv").path("rows").asLong());

            // Athena Parquet: rows read from the footers, contents equal to the warehouse's own answer
            JsonNode parquet = results.get("athena parquet");
            assertEquals("parquet", parquet.path("format").asText());
            assertEquals(3, parquet.path("rows").asLong(), parquet::toPrettyString);
            Map<String, byte[]> entries = ExportFlow.unzip(PlainHttp.download(URI.create(
                ExportFlow.downloadLink(onlyEmailFor(batch.get("athena parquet")).text()))));
            List<String> files = new ArrayList<>();
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                assertTrue(entry.getKey().startsWith("athena_inventory_by_category-part-")
                    && entry.getKey().endsWith(".parquet"), entry::getKey);
                Path file = dir.resolve(entry.getKey());
                Files.write(file, entry.getValue());
                files.add("'" + file + "'");
            }
            assertEquals(warehouseText("select string_agg(category || ':' || n || ':' || q, ',' order by category) "
                    + "from (select category, count(*) as n, sum(quantity) as q from rsdataapi.product_inventory "
                    + "where is_active group by category)"),
                parquetText("select string_agg(category || ':' || inventory_lines || ':' || units_on_hand, ',' "
                    + "order by category) from read_parquet([" + String.join(", ", files) + "])"));

            List<List<String>> filtered = ExportFlow.csv(onlyEntry(batch.get("athena csv filtered")));
            assertEquals(List.of("category", "inventory_lines", "units_on_hand", "stock_value"), filtered.get(0));
            assertEquals(2, filtered.size(), filtered::toString);
            assertEquals(warehouseText("select count(*) from rsdataapi.product_inventory where category = 'Roses' "
                + "and warehouse_id = 7"), filtered.get(1).get(1));
            assertEquals(5, results.get("redshift parquet").path("rows").asLong());

            // Athena's own state-change events match the poller's rule in template.yaml (the fast path)
            SamTemplate.EventBridgeRuleEvent athenaRule = runtime.template().function("ResultPollerFunction")
                .orElseThrow().events().stream()
                .filter(e -> e instanceof SamTemplate.EventBridgeRuleEvent)
                .map(e -> (SamTemplate.EventBridgeRuleEvent) e)
                .filter(e -> e.pattern().path("source").toString().contains("aws.athena"))
                .findFirst().orElseThrow(() -> new AssertionError("template.yaml has no aws.athena rule"));
            EventPattern rule = EventPattern.of(athenaRule.pattern());
            assertTrue(athenaEvents.stream().filter(e -> e.at("/detail/currentState").asText().equals("SUCCEEDED"))
                .allMatch(rule::matches), athenaEvents::toString);
            assertTrue(athenaEvents.stream().filter(e -> e.at("/detail/currentState").asText().equals("SUCCEEDED"))
                .count() >= 3, athenaEvents::toString);
        }
    }

    @Test
    void athenaExportWithoutMatchingRowsHoldsTheHeaderOnly() {
        String id = ExportFlow.submit(partner, "{\"dataset\":\"athena_product_detail\",\"parameters\":"
            + "{\"sku\":\"NO-SUCH-SKU\"}}");
        JsonNode status = ExportFlow.awaitSucceeded(partner, id);
        assertEquals(0, status.path("result").path("rows").asLong(), status::toPrettyString);
        List<List<String>> rows = ExportFlow.csv(onlyEntry(id));
        assertEquals(List.of(List.of("sku", "product_id", "product_name", "product_description")), rows);
    }

    private static byte[] onlyEntry(String requestId) {
        Map<String, byte[]> entries = ExportFlow.unzip(PlainHttp.download(URI.create(
            ExportFlow.downloadLink(onlyEmailFor(requestId).text()))));
        assertEquals(1, entries.size(), () -> entries.keySet().toString());
        return entries.values().iterator().next();
    }

    private static String warehouseText(String sql) throws SQLException {
        try (Connection c = aws.warehouse().connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private static String parquetText(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private static long warehouseCount(String sql) throws SQLException {
        try (Connection c = aws.warehouse().connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static OutboxMessage onlyEmailFor(String requestId) {
        aws.outbox().awaitMessage(m -> m.subject().contains(requestId), Duration.ofSeconds(60));
        List<OutboxMessage> emails = aws.outbox().messages().stream()
            .filter(m -> m.subject().contains(requestId)).toList();
        assertEquals(1, emails.size(), () -> "e-mails for " + requestId + ": " + emails);
        return emails.get(0);
    }
}
