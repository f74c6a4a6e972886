package com.warehouseexport.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.ParameterValue;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportOrderReaderTest {
    private final ExportOrderReader reader = new ExportOrderReader(DatasetCatalog.load((String) null));

    @Test
    void readsAnExportOrderWithCsvAsTheDefaultFormat() {
        ExportOrder order = reader.readExport("{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"}}");
        assertEquals("product_detail", order.dataset().name());
        assertEquals(ExportFormat.CSV, order.format());
        assertEquals(new ParameterValue.StringValue("FLOWER12"), order.parameters().get("sku"));
        assertNull(order.note());
    }

    @ParameterizedTest
    @CsvSource({"parquet, PARQUET", "PARQUET, PARQUET", "csv, CSV"})
    void readsTheRequestedFormatInAnyCase(String requested, ExportFormat expected) {
        ExportOrder order = reader.readExport("{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"A-1\"},"
                + "\"format\":\"" + requested + "\"}");
        assertEquals(expected, order.format());
    }

    @ParameterizedTest
    @CsvSource({"none, NONE", "gzip, GZIP", "zstd, ZSTD", "GZIP, GZIP"})
    void readsTheRequestedCompression(String requested, Compression expected) {
        ExportOrder order = reader.readExport("{\"dataset\":\"product_inventory\",\"parameters\":{},"
                + "\"format\":\"csv\",\"compression\":\"" + requested + "\"}");
        assertEquals(expected, order.compression());
        assertEquals(Compression.NONE, reader.readExport("{\"dataset\":\"product_detail\",\"parameters\":"
                + "{\"sku\":\"A-1\"},\"compression\":null}").compression(), "null is the default");
    }

    @Test
    void compressionOutsideCsvOnRedshiftIsRefusedClearly() {
        ApiException unknown = rejected(() -> reader.readExport("{\"dataset\":\"product_detail\","
                + "\"parameters\":{\"sku\":\"A-1\"},\"compression\":\"bzip2\"}"));
        assertEquals(400, unknown.status());
        assertEquals("invalid_format", unknown.code());
        assertEquals("Field \"compression\" must be one of: none, gzip, zstd, not \"bzip2\"", unknown.getMessage());

        ApiException number = rejected(() -> reader.readExport("{\"dataset\":\"product_detail\","
                + "\"parameters\":{\"sku\":\"A-1\"},\"compression\":9}"));
        assertEquals("wrong_type", number.code());

        ApiException parquet = rejected(() -> reader.readExport("{\"dataset\":\"product_inventory\","
                + "\"parameters\":{},\"format\":\"parquet\",\"compression\":\"zstd\"}"));
        assertEquals("invalid_format", parquet.code());
        assertTrue(parquet.getMessage().contains("\"csv\" only"), parquet.getMessage());
        ApiException json = rejected(() -> reader.readExport("{\"dataset\":\"product_inventory\","
                + "\"parameters\":{},\"format\":\"json\",\"compression\":\"gzip\"}"));
        assertEquals("invalid_format", json.code());

        ApiException athena = rejected(() -> reader.readExport("{\"dataset\":\"athena_product_detail\","
                + "\"parameters\":{\"sku\":\"A-1\"},\"compression\":\"gzip\"}"));
        assertEquals("invalid_format", athena.code());
        assertTrue(athena.getMessage().contains("athena_product_detail cannot be exported compressed"),
                athena.getMessage());
        assertEquals(Compression.NONE, reader.readExport("{\"dataset\":\"athena_product_detail\","
                + "\"parameters\":{\"sku\":\"A-1\"},\"compression\":\"none\"}").compression());
    }

    @Test
    void compressionIsPartOfTheOrderFingerprintOnlyWhenAskedFor() {
        String base = "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"A-1\"}";
        String plain = reader.readExport(base + "}").canonicalHash();
        assertEquals(plain, reader.readExport(base + ",\"compression\":\"none\"}").canonicalHash());
        String gzip = reader.readExport(base + ",\"compression\":\"gzip\"}").canonicalHash();
        String zstd = reader.readExport(base + ",\"compression\":\"zstd\"}").canonicalHash();
        assertEquals(3, java.util.Set.of(plain, gzip, zstd).size());
    }

    @Test
    void typedParametersOfTheInventoryDataset() {
        ExportOrder order = reader.readExport("{\"dataset\":\"product_inventory\",\"parameters\":{\"warehouse_id\":7,"
                + "\"is_active\":true,\"restocked_since\":\"2024-05-01\",\"category\":\"Jasmine\"},\"format\":\"parquet\"}");
        assertEquals(new ParameterValue.IntegerValue(7), order.parameters().get("warehouse_id"));
        assertEquals(new ParameterValue.BooleanValue(true), order.parameters().get("is_active"));
        assertTrue(order.parameters().get("sku").isNull(), "an optional parameter left out is null");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "\n"})
    void anEmptyBodyIsRejected(String body) {
        ApiException e = rejected(() -> reader.readExport(body));
        assertEquals(400, e.status());
        assertEquals("empty_body", e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"dataset\":}", "dataset=product_detail", "{\"a\":1} trailing", "{'dataset':'x'}"})
    void bodyThatIsNotJsonIsRejected(String body) {
        ApiException e = rejected(() -> reader.readExport(body));
        assertEquals("invalid_json", e.code());
        assertTrue(e.getMessage().startsWith("The request body is not valid JSON"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[]|an array", "\"product_detail\"|a string", "42|a number", "null|null"})
    void bodyThatIsNotAnObjectIsRejected(String body, String described) {
        ApiException e = rejected(() -> reader.readExport(body));
        assertEquals("invalid_body", e.code());
        assertEquals("The request body must be a JSON object, not " + described, e.getMessage());
    }

    @Test
    void unknownTopLevelFieldsAreNamed() {
        ApiException e = rejected(() -> reader.readExport(
                "{\"dataset\":\"product_detail\",\"paramters\":{\"sku\":\"A\"},\"compress\":true}"));
        assertEquals("unknown_field", e.code());
        assertEquals("Unknown fields \"paramters\", \"compress\" in the request body; allowed fields: "
                + "dataset, parameters, format, compression, wait", e.getMessage());
    }

    @Test
    void datasetIsRequiredAndMustBeAString() {
        assertEquals("missing_field", rejected(() -> reader.readExport("{\"parameters\":{}}")).code());
        assertEquals("missing_field", rejected(() -> reader.readExport("{\"dataset\":null}")).code());
        ApiException e = rejected(() -> reader.readExport("{\"dataset\":[\"product_detail\"]}"));
        assertEquals("wrong_type", e.code());
        assertEquals("Field \"dataset\" must be a string, not an array", e.getMessage());
    }

    @Test
    void unknownDatasetListsTheAvailableOnes() {
        ApiException e = rejected(() -> reader.readExport("{\"dataset\":\"customers\",\"parameters\":{}}"));
        assertEquals("unknown_dataset", e.code());
        assertEquals("Unknown dataset \"customers\"; available: product_detail, product_inventory, "
                + "athena_product_detail, athena_inventory_by_category", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"xml\"", "\"json\"", "\"\"", "\"csv \""})
    void formatsOutsideTheDatasetsOnesAreRejected(String format) {
        ApiException e = rejected(() -> reader.readExport(
                "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"A\"},\"format\":" + format + "}"));
        assertEquals("invalid_format", e.code());
        assertTrue(e.getMessage().startsWith("Field \"format\" must be one of: csv, parquet"), e.getMessage());
    }

    @Test
    void jsonIsOfferedWhereTheDatasetListsIt() {
        ExportOrder order = reader.readExport("{\"dataset\":\"product_inventory\",\"format\":\"JSON\"}");
        assertEquals(com.warehouseexport.model.domain.ExportFormat.JSON, order.format());
    }

    @Test
    void aFormatThatIsNotAStringIsAWrongType() {
        ApiException e = rejected(() -> reader.readExport(
                "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"A\"},\"format\":1}"));
        assertEquals("wrong_type", e.code());
    }

    @Test
    void aMissingRequiredParameterIsNamed() {
        ApiException e = rejected(() -> reader.readExport("{\"dataset\":\"product_detail\"}"));
        assertEquals(400, e.status());
        assertEquals("invalid_parameter", e.code());
        assertEquals("parameter 'sku' is required", e.getMessage());
        assertEquals(List.of("sku missing_required"), fieldCodes(e));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"sku\":12}|sku wrong_type",
            "{\"sku\":\"FLOWER 12\"}|sku pattern_mismatch",
            "{\"sku\":\"ABCDEFGHIJKLMNOPQRSTU\"}|sku too_long",
            "{\"sku\":\"A\\u0000B\"}|sku invalid_characters",
            "{\"sku\":\"A\",\"colour\":\"red\"}|colour unknown_parameter",
            "[\"A\"]|parameters wrong_type",
            "\"A\"|parameters wrong_type"})
    void eachBadParameterGetsItsOwnCode(String parameters, String expected) {
        ApiException e = rejected(() -> reader.readExport(
                "{\"dataset\":\"product_detail\",\"parameters\":" + parameters + "}"));
        assertEquals("invalid_parameter", e.code());
        assertEquals(List.of(expected), fieldCodes(e));
        String field = expected.split(" ")[0];
        assertTrue(e.getMessage().startsWith(field.equals("parameters") ? "parameters " : "parameter '" + field + "' "),
                e.getMessage());
    }

    @Test
    void everyBadParameterIsReportedAtOnce() {
        ApiException e = rejected(() -> reader.readExport("{\"dataset\":\"product_inventory\",\"parameters\":"
                + "{\"limit\":0,\"restocked_since\":\"2024-02-30\",\"category\":\"food\",\"is_active\":\"yes\","
                + "\"warehouse_id\":1.5}}"));
        assertEquals(List.of("warehouse_id wrong_type", "category not_allowed",
                "is_active wrong_type", "restocked_since invalid_date",
                "limit out_of_range"), fieldCodes(e));
    }

    @Test
    void aBodyAbove64KiBIsTooLarge() {
        String big = "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"" + "A".repeat(70_000) + "\"}}";
        ApiException e = rejected(() -> reader.readExport(big));
        assertEquals(413, e.status());
        assertEquals("body_too_large", e.code());
    }

    @Test
    void productOrderExportsProductDetailAsCsvAndKeepsTheReferenceFields() {
        ExportOrder order = reader.readProduct(
                "{\"sku\":\"FLOWER13\",\"productname\":\"Flowers - Jasmine\",\"createdate\":\"2026-11-01\"}");
        assertEquals("product_detail", order.dataset().name());
        assertEquals(ExportFormat.CSV, order.format());
        assertEquals(new ParameterValue.StringValue("FLOWER13"), order.parameters().get("sku"));
        assertEquals("via POST /product; productname: Flowers - Jasmine; createdate: 2026-11-01", order.note());
    }

    @Test
    void productNameAndCreateDateAreOptional() {
        assertEquals("via POST /product", reader.readProduct("{\"sku\":\"FLOWER13\"}").note());
        assertEquals("via POST /product",
                reader.readProduct("{\"sku\":\"FLOWER13\",\"productname\":null,\"createdate\":null}").note());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}|sku missing_required",
            "{\"sku\":\"no spaces\"}|sku pattern_mismatch",
            "{\"sku\":\"A\",\"createdate\":\"2026-13-01\"}|createdate invalid_date",
            "{\"sku\":\"A\",\"createdate\":\"01/11/2026\"}|createdate invalid_date",
            "{\"sku\":\"A\",\"createdate\":20261101}|createdate wrong_type",
            "{\"sku\":\"A\",\"productname\":7}|productname wrong_type",
            "{\"sku\":\"A\",\"productname\":\"tab\\there\"}|productname invalid_characters",
            "{\"sku\":\"A\",\"productname\":\"x\\u202Ey\"}|productname invalid_characters"})
    void productFieldsAreValidated(String body, String expected) {
        ApiException e = rejected(() -> reader.readProduct(body));
        assertEquals("invalid_parameter", e.code());
        assertEquals(List.of(expected), fieldCodes(e));
    }

    @Test
    void productNameIsBounded() {
        String name = "n".repeat(ExportOrderReader.MAX_PRODUCT_NAME_LENGTH);
        reader.readProduct("{\"sku\":\"A\",\"productname\":\"" + name + "\"}");
        ApiException e = rejected(() -> reader.readProduct("{\"sku\":\"A\",\"productname\":\"" + name + "n\"}"));
        assertEquals(List.of("productname too_long"), fieldCodes(e));
    }

    @Test
    void productBodyAcceptsOnlyItsThreeFields() {
        ApiException e = rejected(() -> reader.readProduct("{\"sku\":\"A\",\"dataset\":\"product_inventory\"}"));
        assertEquals("unknown_field", e.code());
        assertTrue(e.getMessage().contains("allowed fields: sku, productname, createdate"), e.getMessage());
    }

    private static ApiException rejected(Runnable read) {
        return assertThrows(ApiException.class, read::run);
    }

    /** "field code" of each entry of the body's {@code fields} array. */
    private static List<String> fieldCodes(ApiException e) {
        JsonNode body = Json.parse(e.toResponse().body());
        assertEquals(e.code(), body.get("error").asText());
        assertEquals(e.getMessage(), body.get("message").asText());
        List<String> codes = new ArrayList<>();
        body.path("fields").forEach(f -> codes.add(f.get("field").asText() + " " + f.get("code").asText()));
        return codes;
    }
}
