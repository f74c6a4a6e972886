package com.warehouseexport.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar local-runtime.jar} in its own process, in memory, on a free port: the API the CLI talks to. */
final class LocalRuntimeProcess implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final Path log;
    private final int port;

    private LocalRuntimeProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static LocalRuntimeProcess start(Path jar, Path template, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: this test runs after the reactor packaged local-runtime");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g", "-jar", jar.toString(), "--template", template.toString(), "--in-memory",
            "--port", String.valueOf(port), "--inventory-rows", "1000", "--poll-every", "1s")
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalRuntimeProcess runtime = new LocalRuntimeProcess(process, log, port);
        runtime.awaitReady();
        return runtime;
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!Files.readString(log).contains("local runtime ready")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the local runtime did not start:\n" + Files.readString(log));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    URI api() {
        return URI.create("http://127.0.0.1:" + port);
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    static List<String> javaCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
