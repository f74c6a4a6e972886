package com.warehouseexport.model.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.json.Json;
import org.junit.jupiter.api.Test;

class AthenaExportSqlTest {
    private static final String TARGET = "s3://results-bucket/exports/0b0f5c1e-8a0e-4b5e-9c41-2f0f1d0c9a11/data/";
    private static final DatasetCatalog CATALOG = DatasetCatalog.load(null);

    private static ValidatedParameters parameters(Dataset dataset, String json) {
        return dataset.validate(Json.parse(json)).parameters();
    }

    @Test
    void csvIsThePlainQueryWithAthenaLiterals() {
        Dataset detail = CATALOG.get("athena_product_detail").orElseThrow();
        assertEquals("select * from product_detail where sku = 'FLOWER12'",
                AthenaExportSql.render(detail, parameters(detail, "{\"sku\":\"FLOWER12\"}"), ExportFormat.CSV, null));
    }

    @Test
    void parquetIsAnUnloadWhoseQueryIsNotEscapedAgain() {
        Dataset byCategory = CATALOG.get("athena_inventory_by_category").orElseThrow();
        String sql = AthenaExportSql.render(byCategory, parameters(byCategory,
                "{\"category\":\"Roses\",\"is_active\":true}"), ExportFormat.PARQUET, TARGET);
        assertEquals("UNLOAD (select category, count(*) as inventory_lines, cast(sum(quantity) as bigint) as "
                + "units_on_hand, sum(quantity * unit_price) as stock_value from product_inventory where (NULL is "
                + "null or warehouse_id = NULL) and ('Roses' is null or category = 'Roses') and (TRUE is null or "
                + "is_active = TRUE) group by category order by category) TO '" + TARGET
                + "' WITH (format = 'PARQUET', compression = 'SNAPPY')", sql);
    }

    @Test
    void jsonIsAnUnloadWithAthenasDefaultGzip() {
        Dataset detail = CATALOG.get("athena_product_detail").orElseThrow();
        assertEquals("UNLOAD (select * from product_detail where sku = 'FLOWER12') TO '" + TARGET
                        + "' WITH (format = 'JSON')",
                AthenaExportSql.render(detail, parameters(detail, "{\"sku\":\"FLOWER12\"}"), ExportFormat.JSON,
                        TARGET));
    }

    @Test
    void stringsKeepBackslashesAndDoubleQuotes() {
        assertEquals("'O''Brien \\ it''s'", SqlLiterals.athenaStringLiteral("O'Brien \\ it's"));
        assertEquals("'O''Brien \\\\ it''s'", SqlLiterals.nestedStringLiteral("O'Brien \\ it's"));
        assertThrows(IllegalArgumentException.class, () -> SqlLiterals.athenaStringLiteral("a\u0000b"));
    }

    @Test
    void refusesBadTargetsAndUnofferedFormats() {
        Dataset detail = CATALOG.get("athena_product_detail").orElseThrow();
        ValidatedParameters p = parameters(detail, "{\"sku\":\"A\"}");
        assertThrows(IllegalArgumentException.class,
                () -> AthenaExportSql.render(detail, p, ExportFormat.PARQUET, "s3://b/x' --/"));
        assertThrows(IllegalArgumentException.class,
                () -> AthenaExportSql.render(detail, p, ExportFormat.PARQUET, null));
    }
}
