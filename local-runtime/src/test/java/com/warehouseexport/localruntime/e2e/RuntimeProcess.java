package com.warehouseexport.localruntime.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar local-runtime.jar} as people run it, in its own process, its output going to a file the test
 * reads (the endpoints and names it prints, and the {@code ready} line).
 */
final class RuntimeProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final Path log;
    private final int port;
    private final long startedNanos;

    private RuntimeProcess(Process process, Path log, int port, long startedNanos) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.startedNanos = startedNanos;
    }

    static RuntimeProcess start(Path jar, Path template, Path dataDir, int port, Path log) throws IOException {
        return start(jar, template, dataDir, port, log, List.of());
    }

    /** With more command-line options, e.g. {@code --parameter-overrides K=V ...} (last on the line). */
    static RuntimeProcess start(Path jar, Path template, Path dataDir, int port, Path log, List<String> moreOptions)
        throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: the end-to-end suite runs after package (mvn verify)");
        }
        List<String> command = new java.util.ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g", "-jar", jar.toString(),
            "--template", template.toString(), "--data-dir", dataDir.toString(), "--port", String.valueOf(port),
            "--inventory-rows", "1000", "--poll-every", "1s"));
        command.addAll(moreOptions);
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new RuntimeProcess(process, log, port, started);
    }

    /** Waits for the {@code ready} line; returns the milliseconds from start to ready. */
    long awaitReady() {
        long deadline = startedNanos + READY_TIMEOUT.toNanos();
        while (output().stream().noneMatch(line -> line.contains("local runtime ready"))) {
            if (!process.isAlive()) {
                throw new AssertionError("the runtime exited with " + process.exitValue() + ":\n" + tail(60));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the runtime was not ready after " + READY_TIMEOUT.toSeconds() + " s:\n"
                    + tail(60));
            }
            ExportFlow.sleep(Duration.ofMillis(50));
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    URI api() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A value the start-up summary prints as {@code NAME=value} (emulator endpoints) or {@code Name = value}. */
    String printed(String name) {
        for (String line : output()) {
            String trimmed = line.trim();
            for (String separator : List.of("=", " = ")) {
                if (trimmed.startsWith(name + separator)) {
                    return trimmed.substring(name.length() + separator.length()).trim();
                }
            }
        }
        throw new AssertionError("the runtime did not print " + name + ":\n" + tail(80));
    }

    List<String> output() {
        try {
            return Files.exists(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String tail(int lines) {
        List<String> all = output();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** kill -9: no shutdown hook runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the runtime survived SIGKILL");
        }
    }

    /** SIGTERM (the same shutdown as Ctrl-C), then SIGKILL if it does not stop. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
