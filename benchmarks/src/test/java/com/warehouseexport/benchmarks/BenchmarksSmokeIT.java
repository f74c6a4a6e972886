package com.warehouseexport.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The smoke variant of every benchmark (seconds, not minutes): each one runs end to end and reports rows. Figures
 * are printed, never asserted.
 */
class BenchmarksSmokeIT {
    @Test
    void everyBenchmarkRunsAndReports() throws Exception {
        Path root = Path.of(System.getProperty("bench.root", "..")).toAbsolutePath().normalize();
        BenchmarksMain.Options options = BenchmarksMain.parse(new String[] {"all", "--smoke", "--root", root.toString(),
            "--out", root.resolve("benchmarks/target/benchmark-smoke-report.md").toString()});
        Report report = BenchmarksMain.run(options, System.out);
        assertEquals(List.of("Cold start per function",
            "Pipeline overhead (signed POST → e-mail sent, minus the statement's Duration)",
            "Large export (product_inventory): pipeline vs DuckDB's raw COPY",
            "API throughput (signed calls through the local API gateway)"), report.sections());
        String text = report.text();
        for (String function : List.of("RequestReceiverFunction", "StatusCheckFunction", "RequestProcessorFunction",
            "ResultPollerFunction")) {
            assertTrue(text.contains("| " + function + " |"), () -> function + " missing:\n" + text);
        }
        assertTrue(text.contains("| 2,000 | csv |") && text.contains("| 2,000 | parquet |"), text);
        assertTrue(text.contains("| GET /exports/{id} | 8 |") && text.contains("| POST /exports | 8 |"), text);
        assertTrue(text.contains("| events, window 0 | 2 |"), text);
    }

}
