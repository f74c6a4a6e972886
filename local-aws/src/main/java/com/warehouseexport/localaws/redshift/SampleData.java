package com.warehouseexport.localaws.redshift;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The demo data set of schema {@code rsdataapi}: {@code product_detail} (three fixed rows) and
 * {@code product_inventory}, N generated rows. The generator is plain arithmetic on {@code range()} (a
 * multiplicative hash of the row number per column), so the same N always gives the same rows, on any machine
 * and DuckDB version, and 10 M rows take seconds.
 */
public final class SampleData {

    private SampleData() {
    }

    /** Creates what is missing; regenerates product_inventory when its row count is not {@code inventoryRows}. */
    public static void ensure(Warehouse warehouse, long inventoryRows) throws SQLException {
        if (inventoryRows < 0) {
            throw new IllegalArgumentException("inventoryRows must not be negative");
        }
        try (Connection c = warehouse.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS rsdataapi");
            if (!tableExists(s, "product_detail")) {
                s.execute("CREATE TABLE rsdataapi.product_detail (sku varchar(20), product_id int, "
                    + "product_name varchar(50), product_description varchar(50))");
                s.execute("INSERT INTO rsdataapi.product_detail VALUES "
                    + "('FLOWER12', 12345, 'Flowers - Rose', 'Flowers-Rose'), "
                    + "('FLOWER13', 12346, 'Flowers - Jasmine', 'Flowers-Jasmine'), "
                    + "('FLOWER14', 12347, 'Flowers - Other', 'Flowers-Other')");
            }
            if (tableExists(s, "product_inventory") && rowCount(s) == inventoryRows) {
                return;
            }
            s.execute("DROP TABLE IF EXISTS rsdataapi.product_inventory");
            s.execute(inventorySql(inventoryRows));
        }
    }

    /**
     * One row per n in [0, N). Each column takes its own hash {@code h(k) = (n * 2654435761 + k) % p}; the
     * product stays below 2^63 for N up to 2 * 10^9.
     */
    static String inventorySql(long rows) {
        String h1 = "((range * 2654435761 + 11) % 1000003)";
        String h2 = "((range * 2246822519 + 29) % 1000033)";
        String h3 = "((range * 3266489917 + 47) % 1000037)";
        return "CREATE TABLE rsdataapi.product_inventory AS SELECT "
            + "CAST(range + 1 AS BIGINT) AS inventory_id, "
            + "CAST('FLOWER' || (12 + " + h1 + " % 3) AS VARCHAR) AS sku, "
            + "CAST(1 + " + h2 + " % 50 AS INTEGER) AS warehouse_id, "
            + "CAST('WH-' || lpad(CAST(1 + " + h2 + " % 50 AS VARCHAR), 3, '0') AS VARCHAR) AS warehouse_code, "
            + "CAST(" + h3 + " % 1000 AS INTEGER) AS quantity, "
            + "CAST((100 + " + h1 + " % 99900) / 100.0 AS DECIMAL(12,2)) AS unit_price, "
            + "CAST(TIMESTAMP '2024-01-01 00:00:00' + to_seconds(CAST(" + h2 + " * 31 % 31536000 AS BIGINT)) "
            + "AS TIMESTAMP) AS last_restocked_at, "
            + "(" + h3 + " % 10) <> 0 AS is_active, "
            + "CAST(CASE " + h1 + " % 3 WHEN 0 THEN 'Roses' WHEN 1 THEN 'Jasmine' ELSE 'Other' END AS VARCHAR) "
            + "AS category, "
            + "CAST(CASE WHEN range % 97 = 0 THEN 'Handle with care, \"fragile\"' "
            + "WHEN range % 89 = 0 THEN 'Restock: 2 boxes; check ''cold room''' END AS VARCHAR) AS notes "
            + "FROM range(" + rows + ")";
    }

    private static boolean tableExists(Statement s, String table) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM information_schema.tables "
                + "WHERE table_schema = 'rsdataapi' AND table_name = '" + table + "'")) {
            r.next();
            return r.getLong(1) > 0;
        }
    }

    private static long rowCount(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM rsdataapi.product_inventory")) {
            r.next();
            return r.getLong(1);
        }
    }
}
