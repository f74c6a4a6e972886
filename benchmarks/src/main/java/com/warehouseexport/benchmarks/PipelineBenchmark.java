package com.warehouseexport.benchmarks;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.ses.OutboxMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Signed POST → e-mail sent, for the 1-row product_detail request, minus the warehouse's own execution time (the
 * statement's Duration from DescribeStatement), through the local runtime in this JVM. Variants: the poller woken by
 * the statement's EventBridge event, with the SQS batching window at 0 and at 1 s, and the schedule alone.
 */
final class PipelineBenchmark {
    static final String FLOWER12 = "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"},"
        + "\"format\":\"csv\"}";

    record Variant(String name, int batchingWindow, boolean statementEvents, Duration pollEvery, int requests,
                   boolean staggered) {
    }

    private final Path root;
    private final Path workDir;
    private final LocalAws aws;

    PipelineBenchmark(Path root, Path workDir, LocalAws aws) {
        this.root = root;
        this.workDir = workDir;
        this.aws = aws;
    }

    void run(Report report, List<Variant> variants) throws Exception {
        report.section("Pipeline overhead (signed POST → e-mail sent, minus the statement's Duration)");
        report.table("variant", "requests", "first request ms", "total p50 ms", "total p95 ms", "statement p50 ms",
            "overhead p50 ms", "overhead p95 ms");
        for (Variant variant : variants) {
            Path template = BenchTemplates.variant(root, workDir, "pipeline-" + variant.name(),
                variant.batchingWindow(), variant.statementEvents());
            try (BenchStack stack = BenchStack.start(aws, template, "pipe-" + variant.name().replaceAll("[^A-Za-z0-9]+", "-"), variant.pollEvery(),
                workDir.resolve("runtime-pipeline.log"))) {
                // the first request pays each function's cold start inside the runtime; measured apart
                Sample first = once(stack);
                List<Sample> samples = variant.staggered()
                    ? staggered(stack, variant.requests(), variant.pollEvery() == null ? Duration.ofMinutes(1) : variant.pollEvery())
                    : sequential(stack, variant.requests());
                Stats total = Stats.of(samples.stream().map(Sample::totalMs).toList());
                Stats statement = Stats.of(samples.stream().map(Sample::statementMs).toList());
                Stats overhead = Stats.of(samples.stream().map(s -> s.totalMs() - s.statementMs()).toList());
                report.row(variant.name(), samples.size(), Stats.ms(first.totalMs()), Stats.ms(total.p50()),
                    Stats.ms(total.p95()), Stats.ms(statement.p50()), Stats.ms(overhead.p50()),
                    Stats.ms(overhead.p95()));
            }
        }
        report.note("events = the poller also runs on the Data API's statement-status event (EventBridge rule); "
            + "schedule only = that rule removed, the poller runs only on its schedule (staggered requests, so the "
            + "wait for the next tick is sampled over the period). window = the SQS event source's "
            + "MaximumBatchingWindowInSeconds. Total = POST sent → SES SendEmail accepted (outbox time stamp); "
            + "statement = DescribeStatement Duration of the UNLOAD.");
    }

    record Sample(double totalMs, double statementMs) {
    }

    private List<Sample> sequential(BenchStack stack, int requests) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            samples.add(once(stack));
        }
        return samples;
    }

    /** Requests started at random moments over one schedule period, all in flight together. */
    private List<Sample> staggered(BenchStack stack, int requests, Duration period) throws Exception {
        Random random = new Random(42);
        ExecutorService pool = Executors.newFixedThreadPool(requests);
        try {
            List<Future<Sample>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                long delay = (long) (random.nextDouble() * period.toMillis());
                futures.add(pool.submit(() -> {
                    Thread.sleep(delay);
                    return once(stack);
                }));
            }
            List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
            for (Future<Sample> future : futures) {
                samples.add(future.get());
            }
            return samples;
        } finally {
            pool.shutdownNow();
        }
    }

    private Sample once(BenchStack stack) {
        Instant posted = Instant.now();
        String id = stack.submit(FLOWER12);
        OutboxMessage email = aws.outbox().awaitMessage(m -> m.subject() != null && m.subject().contains(id),
            Duration.ofMinutes(3));
        double totalMs = Duration.between(posted, email.sentAt()).toNanos() / 1e6;
        String statementId = stack.statementId(id);
        long durationNs = aws.clients().redshiftData().describeStatement(r -> r.id(statementId)).duration();
        return new Sample(totalMs, Math.max(0, durationNs) / 1e6);
    }
}
