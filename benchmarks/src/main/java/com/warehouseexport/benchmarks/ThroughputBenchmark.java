package com.warehouseexport.benchmarks;

import com.warehouseexport.localaws.LocalAws;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Signed POST /exports and GET /exports/{id} per second at several concurrencies, through the local runtime. */
final class ThroughputBenchmark {
    private final Path root;
    private final Path workDir;
    private final LocalAws aws;

    ThroughputBenchmark(Path root, Path workDir, LocalAws aws) {
        this.root = root;
        this.workDir = workDir;
        this.aws = aws;
    }

    void run(Report report, List<Integer> concurrencies, Duration each) throws Exception {
        report.section("API throughput (signed calls through the local API gateway)");
        report.table("call", "concurrency", "requests", "errors", "per second", "p50 ms", "p95 ms");
        Path template = BenchTemplates.variant(root, workDir, "throughput", null, true);
        // The stage's throttle (ApiThrottleRateLimit, 20/s by default) would answer most calls 429: lifted, so the
        // figures are the functions' own rate behind the gateway's SigV4 check.
        try (BenchStack stack = BenchStack.start(aws, template, "throughput", Duration.ofSeconds(5),
            workDir.resolve("runtime-throughput.log"),
            Map.of("ApiThrottleRateLimit", "100000", "ApiThrottleBurstLimit", "100000"))) {
            String id = stack.submit(PipelineBenchmark.FLOWER12);
            List<String> warmUp = new ArrayList<>(List.of(id));
            // warm both functions before counting
            for (int i = 0; i < 20; i++) {
                stack.api.get("/exports/" + id);
                warmUp.add(stack.submit(PipelineBenchmark.FLOWER12));
            }
            // reads first, once the warm-up's exports are done: the processor and poller would otherwise share
            // the cores and DynamoDB Local with the reads; the POSTs below leave such a backlog by nature
            awaitSucceeded(stack, warmUp, Duration.ofMinutes(3));
            for (int concurrency : concurrencies) {
                measure(report, "GET /exports/{id}", concurrency, each, () -> stack.api.get("/exports/" + id)
                    .status() == 200);
            }
            for (int concurrency : concurrencies) {
                measure(report, "POST /exports", concurrency, each, () -> stack.api.post("/exports",
                    PipelineBenchmark.FLOWER12).status() == 202);
            }
        }
        report.note("Each level runs for " + each.toSeconds() + " s after the warm-up; every call is SigV4-signed "
            + "by the client and verified by the local gateway. The local runtime runs one execution environment "
            + "per function (one invocation at a time), so this is one warm Lambda's throughput, not the API's.");
    }

    private static void awaitSucceeded(BenchStack stack, List<String> ids, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String id : ids) {
            while (!"SUCCEEDED".equals(stack.api.get("/exports/" + id).json().path("status").asText())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("warm-up export " + id + " not SUCCEEDED after " + timeout);
                }
                Thread.sleep(200);
            }
        }
    }

    private static void measure(Report report, String call, int concurrency, Duration each, Supplier<Boolean> request)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        long deadline = start + each.toNanos();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        long t = System.nanoTime();
                        boolean ok;
                        try {
                            ok = request.get();
                        } catch (RuntimeException e) {
                            ok = false;
                        }
                        latencies.add((System.nanoTime() - t) / 1e6);
                        if (!ok) {
                            errors.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Stats stats = Stats.of(latencies);
        report.row(call, concurrency, stats.count(), errors.get(),
            String.format("%.1f", (stats.count() - errors.get()) / seconds), Stats.ms(stats.p50()),
            Stats.ms(stats.p95()));
    }
}
