package com.warehouseexport.model.sql;

import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.ParameterType;
import com.warehouseexport.model.catalog.ParameterValue;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnloadSqlTest {
    private static final String TARGET = "s3://results-bucket/exports/0b0f5c1e-8a0e-4b5e-9c41-2f0f1d0c9a11/part_";
    private static final String ROLE = "arn:aws:iam::123456789012:role/unload-role";
    private static final DatasetCatalog CATALOG = DatasetCatalog.load(null);

    @Test
    void productDetailCsv() {
        Dataset detail = CATALOG.get("product_detail").orElseThrow();
        ValidatedParameters p = detail.validate(Json.parse("{\"sku\": \"AB-12\"}")).parameters();
        assertEquals("UNLOAD ('select * from rsdataapi.product_detail where sku = \\'AB-12\\'') TO '" + TARGET
                        + "' IAM_ROLE '" + ROLE + "' FORMAT AS CSV HEADER MANIFEST VERBOSE ALLOWOVERWRITE",
                UnloadSql.render(detail, p, TARGET, ROLE, ExportFormat.CSV));
    }

    @Test
    void compressedCsvAddsGzipOrZstdAfterTheHeaderOption() {
        Dataset detail = CATALOG.get("product_detail").orElseThrow();
        ValidatedParameters p = detail.validate(Json.parse("{\"sku\": \"AB-12\"}")).parameters();
        String start = "UNLOAD ('select * from rsdataapi.product_detail where sku = \\'AB-12\\'') TO '" + TARGET
                + "' IAM_ROLE '" + ROLE + "' FORMAT AS CSV HEADER ";
        assertEquals(start + "GZIP MANIFEST VERBOSE ALLOWOVERWRITE",
                UnloadSql.render(detail, p, TARGET, ROLE, ExportFormat.CSV, Compression.GZIP));
        assertEquals(start + "ZSTD MANIFEST VERBOSE ALLOWOVERWRITE",
                UnloadSql.render(detail, p, TARGET, ROLE, ExportFormat.CSV, Compression.ZSTD));
        assertEquals(start + "MANIFEST VERBOSE ALLOWOVERWRITE",
                UnloadSql.render(detail, p, TARGET, ROLE, ExportFormat.CSV, Compression.NONE));
    }

    @Test
    void compressionIsRefusedForParquetAndJson() {
        Dataset inventory = CATALOG.get("product_inventory").orElseThrow();
        ValidatedParameters p = inventory.validate(Json.parse("{}")).parameters();
        for (ExportFormat format : new ExportFormat[] {ExportFormat.PARQUET, ExportFormat.JSON}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> UnloadSql.render(inventory, p, TARGET, ROLE, format, Compression.ZSTD));
            assertTrue(e.getMessage().contains("CSV only"), e.getMessage());
        }
    }

    @Test
    void parquetHasNoHeaderAndDefaultRoleIsAKeyword() {
        Dataset detail = CATALOG.get("product_detail").orElseThrow();
        ValidatedParameters p = detail.validate(Json.parse("{\"sku\": \"AB-12\"}")).parameters();
        assertTrue(UnloadSql.render(detail, p, TARGET, "default", ExportFormat.PARQUET)
                .endsWith("') TO '" + TARGET + "' IAM_ROLE default FORMAT AS PARQUET MANIFEST VERBOSE ALLOWOVERWRITE"));
    }

    @Test
    void inventoryWithoutFiltersRendersNoOpConditionsAndNoLimit() {
        Dataset inventory = CATALOG.get("product_inventory").orElseThrow();
        ValidatedParameters p = inventory.validate(Json.parse("{}")).parameters();
        assertEquals("select * from (select inventory_id, sku, warehouse_id, warehouse_code, quantity, unit_price, "
                        + "last_restocked_at, is_active, category from rsdataapi.product_inventory "
                        + "where (NULL is null or sku = NULL) and (NULL is null or warehouse_id = NULL) "
                        + "and (NULL is null or quantity >= NULL) and (NULL is null or category = NULL) "
                        + "and (NULL is null or is_active = NULL) "
                        + "and (NULL is null or last_restocked_at >= NULL)) as inventory_lines",
                UnloadSql.innerQuery(inventory, p));
    }

    @Test
    void inventoryWithEveryFilterRendersTypedValues() {
        Dataset inventory = CATALOG.get("product_inventory").orElseThrow();
        ValidatedParameters p = inventory.validate(Json.parse("""
                {"sku": "SKU-9", "warehouse_id": 12, "min_quantity": 0, "category": "Jasmine", "is_active": false,
                 "restocked_since": "2024-06-30", "limit": 1000}""")).parameters();
        assertEquals("select * from (select inventory_id, sku, warehouse_id, warehouse_code, quantity, unit_price, "
                        + "last_restocked_at, is_active, category from rsdataapi.product_inventory "
                        + "where ('SKU-9' is null or sku = 'SKU-9') and (12 is null or warehouse_id = 12) "
                        + "and (0 is null or quantity >= 0) and ('Jasmine' is null or category = 'Jasmine') "
                        + "and (FALSE is null or is_active = FALSE) "
                        + "and (CAST('2024-06-30' AS DATE) is null or last_restocked_at >= CAST('2024-06-30' AS DATE)) "
                        + "order by inventory_id limit 1000) as inventory_lines",
                UnloadSql.innerQuery(inventory, p));
        String statement = UnloadSql.render(inventory, p, TARGET, ROLE, ExportFormat.PARQUET);
        assertEquals(UnloadSql.innerQuery(inventory, p),
                RedshiftSqlReader.tokenize(statement).get(2).text(), "UNLOAD literal decodes to the inner query");
    }

    @Test
    void templateFeatures() {
        SqlTemplate template = SqlTemplate.parse("""
                select a::date, ':not_a_placeholder', "col:x"
                from t   where b = :b {{and c > :c}}{{ limit :n }}""");
        assertEquals(java.util.Set.of("b", "c", "n"), template.placeholders());
        String rendered = template.render(Map.of(
                "b", new ParameterValue.IntegerValue(-5),
                "c", new ParameterValue.DecimalValue(new BigDecimal("-0.50")),
                "n", new ParameterValue.NullValue(ParameterType.INTEGER)));
        assertEquals("select a::date, ':not_a_placeholder', \"col:x\" from t where b = (-5) and c > (-0.5)", rendered);
        assertThrows(IllegalArgumentException.class, () -> template.render(Map.of()));
    }

    @Test
    void valueRenderingIsTyped() {
        assertEquals("9223372036854775807", SqlLiterals.render(new ParameterValue.IntegerValue(Long.MAX_VALUE)));
        assertEquals("(-9223372036854775808)", SqlLiterals.render(new ParameterValue.IntegerValue(Long.MIN_VALUE)));
        assertEquals("1000", SqlLiterals.render(new ParameterValue.DecimalValue(new BigDecimal("1E+3"))));
        assertEquals("0.000001", SqlLiterals.render(new ParameterValue.DecimalValue(new BigDecimal("1E-6"))));
        assertEquals("TRUE", SqlLiterals.render(new ParameterValue.BooleanValue(true)));
        assertEquals("CAST('0001-01-01' AS DATE)", SqlLiterals.render(new ParameterValue.DateValue(LocalDate.of(1, 1, 1))));
        assertEquals("'a''b\\\\c'", SqlLiterals.render(new ParameterValue.EnumValue("a'b\\c")));
        assertEquals("NULL", SqlLiterals.render(new ParameterValue.NullValue(ParameterType.DATE)));
    }

    @Test
    void targetRoleFormatAndParametersAreChecked() {
        Dataset detail = CATALOG.get("product_detail").orElseThrow();
        ValidatedParameters p = detail.validate(Json.parse("{\"sku\": \"AB-12\"}")).parameters();
        assertThrows(IllegalArgumentException.class, () -> UnloadSql.render(detail, p, "s3://b/x' --", ROLE, ExportFormat.CSV));
        assertThrows(IllegalArgumentException.class, () -> UnloadSql.render(detail, p, "https://b/x", ROLE, ExportFormat.CSV));
        assertThrows(IllegalArgumentException.class, () -> UnloadSql.render(detail, p, TARGET, ROLE + "'", ExportFormat.CSV));
        assertThrows(IllegalArgumentException.class, () -> UnloadSql.render(detail, p, TARGET, "", ExportFormat.CSV));
        // product_detail does not offer JSON; product_inventory does
        assertThrows(IllegalArgumentException.class, () -> UnloadSql.render(detail, p, TARGET, ROLE, ExportFormat.JSON));
        Dataset offersJson = CATALOG.get("product_inventory").orElseThrow();
        String json = UnloadSql.render(offersJson, offersJson.validate(Json.parse("{}")).parameters(), TARGET, ROLE,
                ExportFormat.JSON);
        assertTrue(json.endsWith(" FORMAT AS JSON MANIFEST VERBOSE ALLOWOVERWRITE"), json);
        // A chain of roles is allowed.
        UnloadSql.render(detail, p, TARGET, ROLE + ",arn:aws:iam::210987654321:role/other", ExportFormat.CSV);

        Dataset inventory = CATALOG.get("product_inventory").orElseThrow();
        ValidatedParameters inventoryParameters = inventory.validate(Json.parse("{}")).parameters();
        assertThrows(IllegalArgumentException.class,
                () -> UnloadSql.innerQuery(detail, inventoryParameters), "parameters of another dataset");
        ValidatedParameters wrongType = ValidatedParameters.fromStoredJson(
                Json.parse("{\"sku\": {\"type\": \"integer\", \"value\": 1}}"));
        assertThrows(IllegalArgumentException.class, () -> UnloadSql.innerQuery(detail, wrongType));
        ValidatedParameters nullRequired = ValidatedParameters.fromStoredJson(
                Json.parse("{\"sku\": {\"type\": \"string\", \"value\": null}}"));
        assertThrows(IllegalArgumentException.class, () -> UnloadSql.innerQuery(detail, nullRequired));
    }
}
