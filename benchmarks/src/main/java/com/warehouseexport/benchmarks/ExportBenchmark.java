package com.warehouseexport.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localaws.LocalAws;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * product_inventory at several sizes and formats (csv, parquet, json; {@code csv:gzip} / {@code csv:zstd} ask for
 * compressed parts), end to end through the local runtime (signed POST → the request SUCCEEDED with its archive's
 * link), side by side with DuckDB's own {@code COPY (query) TO 'file'} of the same
 * query on the same warehouse. Heap is sampled every 10 ms; RSS from /proc/self/status (VmHWM reset through
 * /proc/self/clear_refs before each export, where the kernel allows it).
 */
final class ExportBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Path workDir;
    private final LocalAws aws;
    private final long tableRows;

    ExportBenchmark(Path root, Path workDir, LocalAws aws, long tableRows) {
        this.root = root;
        this.workDir = workDir;
        this.aws = aws;
        this.tableRows = tableRows;
    }

    void run(Report report, List<Long> sizes, List<String> formats) throws Exception {
        report.section("Large export (product_inventory): pipeline vs DuckDB's raw COPY");
        report.table("rows", "request", "pipeline s", "raw COPY s", "ratio", "archive MB", "raw file MB",
            "packaging s", "packaging peak heap MB", "heap at packaging start MB", "peak RSS MB");
        Path template = BenchTemplates.variant(root, workDir, "export", null, true);
        try (BenchStack stack = BenchStack.start(aws, template, "export", Duration.ofSeconds(1),
            workDir.resolve("runtime-export.log"))) {
            for (long rows : sizes) {
                for (String format : formats) {
                    String[] spec = format.split(":");
                    String fileFormat = spec[0];
                    String compression = spec.length > 1 ? spec[1] : null;
                    RawCopy raw = rawCopy(rows, fileFormat, compression);
                    Pipeline pipeline = pipeline(stack, rows, fileFormat, compression);
                    report.row(String.format("%,d", rows), format, secs(pipeline.totalNs), secs(raw.ns),
                        String.format("%.2f", (double) pipeline.totalNs / raw.ns), mb(pipeline.archiveBytes),
                        mb(raw.bytes), secs(pipeline.packagingNs), mb(pipeline.peakHeap), mb(pipeline.startHeap),
                        pipeline.peakRssKb < 0 ? "n/a" : mb(pipeline.peakRssKb * 1024));
                }
            }
        }
        report.note("pipeline = signed POST → GET /exports/{id} shows SUCCEEDED (UNLOAD to S3, poller streams the "
            + "parts into the zip by multipart upload, presigns, records); status polled every 100 ms, the poller "
            + "woken by the statement event. raw COPY = `COPY (same query) TO 'file' (FORMAT …)` on the same DuckDB "
            + "(threads and memory limit as the emulator's). Heap and RSS are of this whole JVM (local AWS, DuckDB "
            + "and the four functions run in it): the peak heap is the highest sampled `used` between PACKAGING and "
            + "SUCCEEDED, garbage included; a flat figure across sizes is what shows the packaging streams.");
    }

    private record RawCopy(long ns, long bytes) {
    }

    private record Pipeline(long totalNs, long packagingNs, long archiveBytes, long peakHeap, long startHeap,
                            long peakRssKb) {
    }

    private RawCopy rawCopy(long rows, String format, String compression) throws Exception {
        Path file = workDir.resolve("raw-copy." + format + (compression == null ? "" : "." + compression));
        Files.deleteIfExists(file);
        String options = switch (format) {
            case "csv" -> "FORMAT csv, HEADER" + (compression == null ? "" : ", COMPRESSION " + compression);
            case "parquet" -> "FORMAT parquet";
            case "json" -> "FORMAT json" + (compression == null ? "" : ", COMPRESSION " + compression);
            default -> throw new IllegalArgumentException(format);
        };
        long start = System.nanoTime();
        try (Connection connection = aws.warehouse().connect(); Statement statement = connection.createStatement()) {
            statement.execute("COPY (" + query(rows) + ") TO '" + file + "' (" + options + ")");
        }
        long ns = System.nanoTime() - start;
        long bytes = Files.size(file);
        Files.delete(file);
        return new RawCopy(ns, bytes);
    }

    /** The dataset's own SQL, as the catalog has it, with the limit when rows is less than the whole table. */
    String query(long rows) throws IOException {
        JsonNode catalog = JSON.readTree(root.resolve("shared-model/src/main/resources/datasets.json").toFile());
        String sql = null;
        for (JsonNode dataset : catalog.path("datasets")) {
            if (dataset.path("name").asText().equals("product_inventory")) {
                sql = dataset.path("sql").asText();
            }
        }
        if (sql == null) {
            throw new IllegalStateException("no product_inventory in datasets.json");
        }
        boolean limited = rows < tableRows;
        Matcher optional = Pattern.compile("\\{\\{(.*?)}}").matcher(sql);
        sql = optional.replaceAll(m -> limited ? Matcher.quoteReplacement(m.group(1)) : "");
        sql = sql.replace(":limit", Long.toString(rows));
        return sql.replaceAll(":[a-z_]+", "NULL");
    }

    private Pipeline pipeline(BenchStack stack, long rows, String format, String compression) throws Exception {
        StringBuilder body = new StringBuilder("{\"dataset\":\"product_inventory\",\"parameters\":{");
        if (rows < tableRows) {
            body.append("\"limit\":").append(rows);
        }
        body.append("},\"format\":\"").append(format).append('"');
        if (compression != null) {
            body.append(",\"compression\":\"").append(compression).append('"');
        }
        body.append('}');

        System.gc();
        boolean rssReset = resetPeakRss();
        HeapSampler sampler = new HeapSampler();
        sampler.start();
        long start = System.nanoTime();
        String id = stack.submit(body.toString());
        long packagingStart = -1;
        long startHeap = -1;
        JsonNode status;
        while (true) {
            status = stack.api.get("/exports/" + id).json();
            String state = status.path("status").asText();
            if (state.equals("PACKAGING") && packagingStart < 0) {
                packagingStart = System.nanoTime();
                startHeap = sampler.current();
                sampler.resetPeak();
            }
            if (state.equals("SUCCEEDED") || state.equals("FAILED")) {
                break;
            }
            Thread.sleep(100);
        }
        long end = System.nanoTime();
        long peakHeap = sampler.peak();
        sampler.interrupt();
        if (!status.path("status").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("export failed: " + status);
        }
        long archiveBytes = status.path("result").path("bytes").asLong(-1);
        if (packagingStart < 0) {
            // PACKAGING came and went between two polls
            packagingStart = end;
            startHeap = peakHeap;
        }
        return new Pipeline(end - start, end - packagingStart, archiveBytes, peakHeap, startHeap,
            rssReset ? peakRssKb() : -1);
    }

    private static String secs(long ns) {
        return String.format("%.2f", ns / 1e9);
    }

    private static String mb(long bytes) {
        return String.format("%.1f", bytes / 1_048_576.0);
    }

    /** Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+). */
    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static long peakRssKb() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Samples heap used every 10 ms, keeping the highest since the last reset. */
    private static final class HeapSampler extends Thread {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();

        HeapSampler() {
            super("heap-sampler");
            setDaemon(true);
        }

        long current() {
            return memory.getHeapMemoryUsage().getUsed();
        }

        void resetPeak() {
            peak.set(current());
        }

        long peak() {
            return peak.get();
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                peak.accumulateAndGet(current(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
