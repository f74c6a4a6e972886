package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.model.config.Env;
import com.warehouseexport.model.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetCatalogTest {

    @AfterEach
    void resetEnv() {
        Env.useForThisClassLoader(null);
    }

    @Test
    void overrideFileAddsAndReplacesDatasets(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("catalog.json");
        Files.writeString(file, """
                {"datasets": [
                  {"name": "product_detail", "description": "replaced", "sql": "select sku from rsdataapi.product_detail where sku = :sku",
                   "formats": ["csv"],
                   "parameters": [{"name": "sku", "type": "string", "required": true, "maxLength": 5}]},
                  {"name": "warehouses", "description": "all warehouses", "sql": "select * from rsdataapi.warehouse"}
                ]}""");
        Env.useForThisClassLoader(Map.of("DATASET_CATALOG_FILE", file.toString()));
        DatasetCatalog catalog = DatasetCatalog.load();
        assertEquals(List.of("product_detail", "product_inventory", "athena_product_detail",
                "athena_inventory_by_category", "warehouses"), List.copyOf(catalog.names()));
        Dataset detail = catalog.get("product_detail").orElseThrow();
        assertEquals("replaced", detail.description());
        assertEquals(List.of(com.warehouseexport.model.domain.ExportFormat.CSV), detail.formats());
        assertEquals(0, catalog.get("warehouses").orElseThrow().parameters().size());
    }

    @Test
    void unreadableOverrideFileIsAStartupError(@TempDir Path dir) {
        CatalogException e = assertThrows(CatalogException.class,
                () -> DatasetCatalog.load(dir.resolve("missing.json").toString()));
        assertTrue(e.getMessage().contains("DATASET_CATALOG_FILE"), e.getMessage());
        assertTrue(e.getMessage().contains("missing.json"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not json                          | {"datasets": [                                                                                  | not valid JSON
            no datasets array                 | {"sets": []}                                                                                    | "datasets" array
            unknown dataset field             | {"datasets": [{"name": "a", "description": "d", "sql": "select 1", "owner": "x"}]}              | unknown field "owner"
            bad dataset name                  | {"datasets": [{"name": "A-b", "description": "d", "sql": "select 1"}]}                          | dataset name 'A-b'
            other warehouse                   | {"datasets": [{"name": "a", "description": "d", "sql": "select 1", "warehouse": "snowflake"}]}  | warehouse must be
            undeclared placeholder            | {"datasets": [{"name": "a", "description": "d", "sql": "select * from t where x = :x"}]}        | undeclared parameter(s) [x]
            unused parameter                  | {"datasets": [{"name": "a", "description": "d", "sql": "select 1", "parameters": [{"name": "x", "type": "integer"}]}]} | not used in the sql
            duplicate parameter               | {"datasets": [{"name": "a", "description": "d", "sql": "select :x", "parameters": [{"name": "x", "type": "integer"}, {"name": "x", "type": "integer"}]}]} | declared twice
            unknown type                      | {"datasets": [{"name": "a", "description": "d", "sql": "select :x", "parameters": [{"name": "x", "type": "float"}]}]} | unknown type "float"
            misspelt constraint               | {"datasets": [{"name": "a", "description": "d", "sql": "select :x", "parameters": [{"name": "x", "type": "string", "maxLenght": 3}]}]} | unknown field "maxLenght"
            constraint of other type          | {"datasets": [{"name": "a", "description": "d", "sql": "select :x", "parameters": [{"name": "x", "type": "integer", "pattern": "x"}]}]} | unknown field "pattern"
            bad pattern                       | {"datasets": [{"name": "a", "description": "d", "sql": "select :x", "parameters": [{"name": "x", "type": "string", "pattern": "[a-"}]}]} | invalid pattern
            min above max                     | {"datasets": [{"name": "a", "description": "d", "sql": "select :x", "parameters": [{"name": "x", "type": "integer", "min": 5, "max": 1}]}]} | min > max
            invalid default                   | {"datasets": [{"name": "a", "description": "d", "sql": "select :x", "parameters": [{"name": "x", "type": "integer", "max": 1, "default": 5}]}]} | default of parameter 'x' is invalid
            required with default            | {"datasets": [{"name": "a", "description": "d", "sql": "select :x", "parameters": [{"name": "x", "type": "integer", "required": true, "default": 1}]}]} | cannot have a default
            empty enum                        | {"datasets": [{"name": "a", "description": "d", "sql": "select :x", "parameters": [{"name": "x", "type": "enum", "values": []}]}]} | at least one value
            statement stacking in sql         | {"datasets": [{"name": "a", "description": "d", "sql": "select 1; drop table t"}]}              | ';' is not allowed
            comment in sql                    | {"datasets": [{"name": "a", "description": "d", "sql": "select 1 -- x"}]}                        | comments are not allowed
            unterminated literal in sql       | {"datasets": [{"name": "a", "description": "d", "sql": "select 'x"}]}                             | unterminated string literal
            unknown format                    | {"datasets": [{"name": "a", "description": "d", "sql": "select 1", "formats": ["xlsx"]}]}         | unknown format
            same dataset twice                | {"datasets": [{"name": "a", "description": "d", "sql": "select 1"}, {"name": "a", "description": "d", "sql": "select 2"}]} | defined twice
            too long string maximum           | {"datasets": [{"name": "a", "description": "d", "sql": "select :x", "parameters": [{"name": "x", "type": "string", "maxLength": 5000}]}]} | maxLength
            """)
    void invalidCatalogsFailWithAClearMessage(String what, String json, String expectedMessage) {
        CatalogException e = assertThrows(CatalogException.class, () -> DatasetCatalog.of(json, "test.json"));
        assertTrue(e.getMessage().contains("test.json"), e.getMessage());
        assertTrue(e.getMessage().contains(expectedMessage), what + ": " + e.getMessage());
    }

    @Test
    void publicJsonDescribesDatasetsWithJsonSchemaAndWithoutSql() {
        JsonNode json = DatasetCatalog.load(null).toJson();
        assertEquals(4, json.get("datasets").size());
        // which warehouse serves a dataset is not the partner's concern
        json.get("datasets").forEach(d -> assertFalse(d.has("warehouse"), d.toString()));
        JsonNode detail = json.get("datasets").get(0);
        assertEquals("product_detail", detail.get("name").asText());
        assertFalse(detail.has("sql"));
        assertEquals("[\"csv\",\"parquet\"]", Json.write(detail.get("formats")));
        assertEquals("{\"type\":\"object\",\"properties\":{\"sku\":{\"type\":\"string\","
                        + "\"description\":\"Product SKU: letters, digits, '_' and '-', 1 to 20 characters.\","
                        + "\"pattern\":\"^[A-Za-z0-9_-]{1,20}$\",\"maxLength\":20}},\"required\":[\"sku\"],"
                        + "\"additionalProperties\":false}",
                Json.write(detail.get("parameters")));
        JsonNode inventory = json.get("datasets").get(1).get("parameters");
        assertEquals("[]", Json.write(inventory.get("required")));
        JsonNode properties = inventory.get("properties");
        assertEquals(List.of("sku", "warehouse_id", "min_quantity", "category", "is_active", "restocked_since", "limit"),
                List.copyOf(iterable(properties.fieldNames())));
        assertEquals("{\"type\":\"integer\",\"description\":\"At most this many lines, lowest inventory_id first. "
                        + "Default: no limit.\",\"minimum\":1,\"maximum\":100000000}",
                Json.write(properties.get("limit")));
        assertEquals("string", properties.get("category").get("type").asText());
        assertEquals(3, properties.get("category").get("enum").size());
        assertEquals("boolean", properties.get("is_active").get("type").asText());
        assertEquals("{\"type\":\"string\",\"description\":\"Only lines restocked on or after this date (yyyy-MM-dd).\","
                        + "\"format\":\"date\",\"formatMinimum\":\"2000-01-01\",\"formatMaximum\":\"2099-12-31\"}",
                Json.write(properties.get("restocked_since")));
        assertFalse(Json.write(json).contains("rsdataapi"), "no table names leak");
    }

    @Test
    void decimalsAndDefaultsInTheSchema() {
        JsonNode schema = DatasetCatalog.of("""
                {"datasets": [{"name": "d", "description": "d", "sql": "select :price, :flag",
                  "parameters": [{"name": "price", "type": "decimal", "min": 0, "max": 99.5, "scale": 2},
                                 {"name": "flag", "type": "boolean", "default": true}]}]}""", "test")
                .toJson().get("datasets").get(0).get("parameters").get("properties");
        assertEquals("{\"type\":\"number\",\"minimum\":0,\"maximum\":99.5,\"multipleOf\":0.01}",
                Json.write(schema.get("price")));
        assertEquals("{\"type\":\"boolean\",\"default\":true}", Json.write(schema.get("flag")));
    }

    private static <T> List<T> iterable(java.util.Iterator<T> iterator) {
        List<T> list = new java.util.ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }

    @Test
    void sharedCatalogIsLoadedOnce() {
        assertTrue(DatasetCatalog.shared() == DatasetCatalog.shared());
    }
}
