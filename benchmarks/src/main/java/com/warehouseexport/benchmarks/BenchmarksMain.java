package com.warehouseexport.benchmarks;

import com.warehouseexport.localaws.LocalAws;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar benchmarks/target/benchmarks.jar [all|coldstart|pipeline|export|throughput] [options]} from the
 * repository root (after {@code mvn -B -q -DskipTests package}). Prints a Markdown report and writes it to
 * {@code benchmarks/target/benchmark-report.md}.
 */
public final class BenchmarksMain {
    static final String USAGE = """
        usage: java -jar benchmarks/target/benchmarks.jar [all|coldstart|pipeline|export|throughput] [options]
          --smoke                 a tiny variant of each (seconds; what mvn verify runs)
          --root DIR              repository root (default: .)
          --rows N,N,...          export sizes (default 100000,1000000)
          --with-10m              adds the 10,000,000-row export (several minutes)
          --formats F,F,...       export formats (default csv,parquet; also csv:gzip, csv:zstd, json)
          --requests N            pipeline requests per variant (default 50)
          --cold-runs N           child JVMs per function (default 3)
          --warm-events N         warm events after the first (default 100)
          --seconds N             throughput seconds per level (default 10)
          --out FILE              report file (default benchmarks/target/benchmark-report.md)
        """;

    private BenchmarksMain() {
    }

    record Options(List<String> commands, boolean smoke, Path root, List<Long> rows, List<String> formats,
                   int requests, int coldRuns, int warmEvents, int seconds, Path out) {
        boolean wants(String command) {
            return commands.contains("all") || commands.contains(command);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        run(options, System.out);
        // DynamoDB Local leaves a non-daemon thread behind
        System.exit(0);
    }

    static Options parse(String[] args) {
        List<String> commands = new ArrayList<>();
        boolean smoke = false;
        Path root = Path.of(".");
        List<Long> rows = new ArrayList<>(List.of(100_000L, 1_000_000L));
        boolean with10m = false;
        List<String> formats = new ArrayList<>(List.of("csv", "parquet"));
        Integer requests = null;
        Integer coldRuns = null;
        Integer warmEvents = null;
        Integer seconds = null;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "all", "coldstart", "pipeline", "export", "throughput" -> commands.add(arg);
                case "--smoke" -> smoke = true;
                case "--with-10m" -> with10m = true;
                case "--root" -> root = Path.of(value(args, ++i, arg));
                case "--rows" -> rows = Arrays.stream(value(args, ++i, arg).split(",")).map(String::trim)
                    .map(Long::parseLong).collect(java.util.stream.Collectors.toCollection(ArrayList::new));
                case "--formats" -> formats = new ArrayList<>(Arrays.asList(value(args, ++i, arg).split(",")));
                case "--requests" -> requests = Integer.parseInt(value(args, ++i, arg));
                case "--cold-runs" -> coldRuns = Integer.parseInt(value(args, ++i, arg));
                case "--warm-events" -> warmEvents = Integer.parseInt(value(args, ++i, arg));
                case "--seconds" -> seconds = Integer.parseInt(value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        if (commands.isEmpty()) {
            throw new IllegalArgumentException("name a benchmark or all");
        }
        if (smoke) {
            rows = new ArrayList<>(List.of(2_000L));
        } else if (with10m && !rows.contains(10_000_000L)) {
            rows.add(10_000_000L);
        }
        root = root.toAbsolutePath().normalize();
        return new Options(commands, smoke, root, rows, formats,
            requests != null ? requests : smoke ? 2 : 50,
            coldRuns != null ? coldRuns : smoke ? 1 : 3,
            warmEvents != null ? warmEvents : smoke ? 3 : 100,
            seconds != null ? seconds : smoke ? 1 : 10,
            out != null ? out : root.resolve("benchmarks/target/benchmark-report.md"));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Runs the chosen benchmarks on one local AWS (its own temporary data directory) and returns the report. */
    static Report run(Options options, PrintStream out) throws Exception {
        if (!Files.isRegularFile(options.root().resolve("template.yaml"))) {
            throw new IllegalArgumentException("no template.yaml under " + options.root() + ": run from the "
                + "repository root or pass --root");
        }
        Path workDir = Files.createDirectories(options.root().resolve("benchmarks/target/bench-work"));
        Path dataDir = Files.createTempDirectory(workDir, "local-aws-");
        long tableRows = options.wants("export") ? options.rows().stream().mapToLong(Long::longValue).max()
            .orElse(1000) : 1000;
        Report report = new Report(out);
        report.line("- command: `" + String.join(" ", options.commands()) + (options.smoke() ? " --smoke" : "")
            + "`; sample warehouse " + String.format("%,d", tableRows) + " inventory rows");
        long started = System.nanoTime();
        try (LocalAws aws = LocalAws.builder().dataDir(dataDir).inventoryRows(tableRows)
            .warehouseResources(2, "2GB").start();
             PrintStream log = new PrintStream(Files.newOutputStream(workDir.resolve("benchmarks.log")), true)) {
            report.line("- local AWS started in " + aws.startupTime().toMillis() + " ms");
            if (options.wants("coldstart")) {
                new ColdStartBenchmark(options.root(), workDir, aws, log).run(report, options.coldRuns(),
                    options.warmEvents());
            }
            if (options.wants("pipeline")) {
                Duration schedule = options.smoke() ? Duration.ofSeconds(1) : null;
                new PipelineBenchmark(options.root(), workDir, aws).run(report, List.of(
                    new PipelineBenchmark.Variant("events, window 0", 0, true, schedule, options.requests(), false),
                    new PipelineBenchmark.Variant("events, window 1 s", 1, true, schedule, options.requests(), false),
                    new PipelineBenchmark.Variant("schedule only (" + (schedule == null ? "rate 1 minute" : "1 s")
                        + "), window 0", 0, false, schedule, Math.max(2, Math.min(10, options.requests())), true)));
            }
            if (options.wants("export")) {
                new ExportBenchmark(options.root(), workDir, aws, tableRows).run(report, options.rows(),
                    options.formats());
            }
            if (options.wants("throughput")) {
                new ThroughputBenchmark(options.root(), workDir, aws).run(report,
                    options.smoke() ? List.of(1, 8) : List.of(1, 8, 32), Duration.ofSeconds(options.seconds()));
            }
        } finally {
            deleteQuietly(dataDir);
        }
        report.note("Whole run: " + (System.nanoTime() - started) / 1_000_000_000 + " s.");
        report.writeTo(options.out());
        return report;
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temp directory under target/: mvn clean removes it anyway
        }
    }
}
