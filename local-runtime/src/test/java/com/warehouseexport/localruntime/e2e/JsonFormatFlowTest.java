package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localruntime.LocalRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code "format":"json"} through the signed local gateway, with the real template and function jars: a Redshift
 * dataset (UNLOAD FORMAT AS JSON) and an Athena dataset (UNLOAD WITH (format = 'JSON'), gzipped parts the poller
 * unpacks). Each JSON archive is downloaded through its link, parsed as newline-delimited JSON and compared, row by
 * row and value by value, with the CSV export of the same order.
 */
@LocalAwsTest
class JsonFormatFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalRuntime runtime;
    private static SignedApi partner;

    @BeforeAll
    static void startRuntime(LocalAws aws) {
        runtime = InProcessRuntime.start(aws, "e2e-json");
        partner = new SdkSignedApi(runtime.apiEndpoint(), Partner.A);
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void redshiftJsonHoldsTheRowsOfTheCsvExport() {
        assertJsonMatchesCsv("product_inventory", "{\"category\":\"Roses\",\"limit\":25}", 25);
    }

    @Test
    void athenaJsonHoldsTheRowsOfTheCsvExport() {
        assertJsonMatchesCsv("athena_inventory_by_category", "{}", 3);
        assertJsonMatchesCsv("athena_product_detail", "{\"sku\":\"FLOWER12\"}", 1);
    }

    private static void assertJsonMatchesCsv(String dataset, String parameters, long expectedRows) {
        String csvId = ExportFlow.submit(partner, order(dataset, parameters, "csv"));
        String jsonId = ExportFlow.submit(partner, order(dataset, parameters, "json"));
        JsonNode csvStatus = ExportFlow.awaitSucceeded(partner, csvId);
        JsonNode jsonStatus = ExportFlow.awaitSucceeded(partner, jsonId);
        assertEquals(expectedRows, csvStatus.at("/result/rows").asLong(), csvStatus::toPrettyString);
        assertEquals(expectedRows, jsonStatus.at("/result/rows").asLong(), jsonStatus::toPrettyString);
        assertEquals("json", jsonStatus.at("/result/format").asText(), jsonStatus::toPrettyString);

        Map<String, byte[]> jsonEntries = download(jsonStatus);
        jsonEntries.keySet().forEach(name -> assertTrue(name.startsWith(dataset + "-part-") && name.endsWith(".json"),
            name));
        List<JsonNode> objects = new ArrayList<>();
        jsonEntries.values().forEach(content -> new String(content, StandardCharsets.UTF_8).lines()
            .filter(line -> !line.isBlank()).forEach(line -> objects.add(parse(line))));

        List<Map<String, String>> rows = new ArrayList<>();
        for (byte[] part : download(csvStatus).values()) {
            List<List<String>> records = ExportFlow.csv(part);
            List<String> header = records.get(0);
            for (List<String> record : records.subList(1, records.size())) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    row.put(header.get(i), record.get(i));
                }
                rows.add(row);
            }
        }
        System.out.println("E2E figure: " + dataset + " JSON first object " + objects.get(0) + ", CSV first row "
            + rows.get(0));
        assertEquals(rows.size(), objects.size(), "one JSON object per CSV row");
        for (int i = 0; i < rows.size(); i++) {
            assertSameValues(rows.get(i), objects.get(i), dataset + " row " + i);
        }
    }

    /** Same columns in the same order; each JSON value equals the CSV text read as the JSON value's type. */
    private static void assertSameValues(Map<String, String> csv, JsonNode json, String where) {
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.copyOf(csv.keySet()), fields, where);
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String text = csv.get(field.getKey());
            JsonNode value = field.getValue();
            String message = where + " column " + field.getKey() + ": CSV " + text + ", JSON " + value;
            if (value.isNull()) {
                assertEquals("", text, message);
            } else if (value.isNumber()) {
                assertEquals(0, new BigDecimal(text).compareTo(value.decimalValue()), message);
            } else if (value.isBoolean()) {
                // Redshift's CSV writes booleans as t/f, Athena's as true/false
                assertEquals(value.asBoolean() ? List.of("t", "true") : List.of("f", "false"),
                    List.of(text.substring(0, 1), text), message);
            } else {
                assertEquals(text, value.asText(), message);
            }
        }
    }

    private static String order(String dataset, String parameters, String format) {
        return "{\"dataset\":\"" + dataset + "\",\"parameters\":" + parameters + ",\"format\":\"" + format + "\"}";
    }

    private static Map<String, byte[]> download(JsonNode status) {
        return ExportFlow.unzip(PlainHttp.download(URI.create(status.at("/result/downloadUrl").asText())));
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + line, e);
        }
    }
}
