package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Row counts from the footers of Parquet files DuckDB writes (the local Athena's UNLOAD writer). */
class ParquetRowCountTest {

    private static long rowsOf(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int length = ParquetRowCount.footerLength(Arrays.copyOfRange(all, all.length - 8, all.length));
        return ParquetRowCount.numRows(Arrays.copyOfRange(all, all.length - 8 - length, all.length - 8));
    }

    @Test
    void readsNumRowsOfFilesOfManyShapes(@TempDir Path dir) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (select range as id, 'x' || range as name, range % 2 = 0 as even, "
                + "CAST(range / 3.0 AS DECIMAL(12,2)) as d, NULL::VARCHAR as nothing from range(12345)) TO '"
                + dir.resolve("a.parquet") + "' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1000)");
            s.execute("COPY (select 1 as one where false) TO '" + dir.resolve("empty.parquet") + "' (FORMAT parquet)");
            s.execute("COPY (select [1, 2] as l, {'a': 1} as st, map([1], ['x']) as m from range(3)) TO '"
                + dir.resolve("nested.parquet") + "' (FORMAT parquet)");
        }
        assertEquals(12345, rowsOf(dir.resolve("a.parquet")));
        assertEquals(0, rowsOf(dir.resolve("empty.parquet")));
        assertEquals(3, rowsOf(dir.resolve("nested.parquet")));
    }

    @Test
    void refusesWhatIsNotParquet() {
        assertThrows(IOException.class, () -> ParquetRowCount.footerLength("12345678".getBytes()));
        assertThrows(IOException.class, () -> ParquetRowCount.numRows(new byte[] {0}));
    }
}
