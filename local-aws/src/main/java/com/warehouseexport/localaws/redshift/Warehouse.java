package com.warehouseexport.localaws.redshift;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.duckdb.DuckDBConnection;

/**
 * The embedded DuckDB database standing in for the Redshift cluster. Every connection it hands out has the
 * Redshift shims installed: integer division like Redshift's and the macros below (temporary, so nothing is
 * written into the database file).
 */
public final class Warehouse implements AutoCloseable {

    /** DuckDB macros supplying Redshift functions; the SQL rewriter feeds some of them canonical arguments. */
    static final List<String> SHIM_MACROS = List.of(
        "CREATE OR REPLACE TEMP MACRO getdate() AS date_trunc('second', CAST(current_timestamp AS TIMESTAMP))",
        "CREATE OR REPLACE TEMP MACRO nvl2(expr, not_null, is_null) AS "
            + "CASE WHEN expr IS NOT NULL THEN not_null ELSE is_null END",
        "CREATE OR REPLACE TEMP MACRO charindex(needle, haystack) AS strpos(haystack, needle)",
        "CREATE OR REPLACE TEMP MACRO dateadd(part, n, d) AS CAST(d AS TIMESTAMP) + CASE lower(part)"
            + " WHEN 'millennium' THEN to_years(1000 * CAST(n AS INTEGER))"
            + " WHEN 'century' THEN to_years(100 * CAST(n AS INTEGER))"
            + " WHEN 'decade' THEN to_years(10 * CAST(n AS INTEGER))"
            + " WHEN 'year' THEN to_years(CAST(n AS INTEGER))"
            + " WHEN 'quarter' THEN to_months(3 * CAST(n AS INTEGER))"
            + " WHEN 'month' THEN to_months(CAST(n AS INTEGER))"
            + " WHEN 'week' THEN to_weeks(CAST(n AS INTEGER))"
            + " WHEN 'day' THEN to_days(CAST(n AS INTEGER))"
            + " WHEN 'hour' THEN to_hours(CAST(n AS BIGINT))"
            + " WHEN 'minute' THEN to_minutes(CAST(n AS BIGINT))"
            + " WHEN 'second' THEN to_seconds(CAST(n AS DOUBLE))"
            + " WHEN 'millisecond' THEN to_milliseconds(CAST(n AS DOUBLE))"
            + " WHEN 'microsecond' THEN to_microseconds(CAST(n AS BIGINT))"
            + " ELSE error('Invalid datepart for dateadd: ' || part) END",
        "CREATE OR REPLACE TEMP MACRO datediff(part, a, b) AS "
            + "date_diff(lower(part), CAST(a AS TIMESTAMP), CAST(b AS TIMESTAMP))",
        "CREATE OR REPLACE TEMP MACRO rs_trunc(v TIMESTAMP) AS CAST(v AS DATE), (v DATE) AS v, "
            + "(v DOUBLE) AS trunc(v)",
        "CREATE OR REPLACE TEMP MACRO add_months(d, n) AS CAST(d AS TIMESTAMP) + to_months(CAST(n AS INTEGER))",
        "CREATE OR REPLACE TEMP MACRO convert_timezone(target, ts) AS "
            + "timezone(target, timezone('UTC', CAST(ts AS TIMESTAMP))), "
            + "(source, target, ts) AS timezone(target, timezone(source, CAST(ts AS TIMESTAMP)))");

    private final DuckDBConnection root;
    private final Path file;

    private Warehouse(DuckDBConnection root, Path file) {
        this.root = root;
        this.file = file;
    }

    /**
     * Opens (or creates) the database; {@code dbFileOrNull} null keeps it in memory. Threads and memory are set
     * explicitly because DuckDB's defaults (all cores, 80 % of RAM) would starve everything else on the machine;
     * extension auto-install is off because the machine is offline.
     */
    public static Warehouse open(Path dbFileOrNull, int threads, String memoryLimit) throws SQLException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        if (!memoryLimit.matches("[0-9]+(\\.[0-9]+)?\\s*[A-Za-z]*")) {
            throw new IllegalArgumentException("memory limit looks wrong: " + memoryLimit);
        }
        String url = "jdbc:duckdb:";
        if (dbFileOrNull != null) {
            try {
                Path parent = dbFileOrNull.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (java.io.IOException e) {
                throw new SQLException("cannot create the directory of " + dbFileOrNull, e);
            }
            url += dbFileOrNull.toAbsolutePath();
        }
        Properties props = new Properties();
        props.setProperty("autoinstall_known_extensions", "false");
        props.setProperty("autoload_known_extensions", "false");
        DuckDBConnection root = (DuckDBConnection) DriverManager.getConnection(url, props);
        try (Statement s = root.createStatement()) {
            s.execute("SET threads = " + threads);
            s.execute("SET memory_limit = '" + memoryLimit + "'");
            s.execute("SET autoinstall_known_extensions = false");
            s.execute("SET autoload_known_extensions = false");
            if (dbFileOrNull == null) {
                // an in-memory database would otherwise spill to ".tmp" in the working directory
                Path spill = Path.of(System.getProperty("java.io.tmpdir"),
                    "local-aws-duckdb-" + ProcessHandle.current().pid());
                s.execute("SET temp_directory = " + SqlLexer.duckDbLiteral(spill.toString()));
            }
            // Redshift's default schema; unqualified names resolve there first, then in DuckDB's main
            s.execute("CREATE SCHEMA IF NOT EXISTS public");
        } catch (SQLException e) {
            root.close();
            throw e;
        }
        Warehouse w = new Warehouse(root, dbFileOrNull);
        w.installShims(root);
        return w;
    }

    /** A new connection with the Redshift shims; the caller closes it. */
    public Connection connect() throws SQLException {
        DuckDBConnection c = root.duplicate();
        try {
            installShims(c);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The database file, or null when in memory. */
    public Path file() {
        return file;
    }

    private void installShims(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            // Redshift truncates integer division (7/2 = 3) and runs in UTC.
            s.execute("SET integer_division = true");
            s.execute("SET TimeZone = 'UTC'");
            s.execute("SET schema = 'public'");
            s.execute("SET search_path = 'public,main'");
            for (String macro : SHIM_MACROS) {
                s.execute(macro);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        root.close();
    }
}
