package com.warehouseexport.localruntime.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The partner kit's Node.js tools (Newman, playwright-core), run as a partner runs them: {@code npx} in
 * {@code partner-kit/}. Node and npm must be installed (.ci/run makes sure); their absence fails the test, it is
 * not a reason to skip it. Dependencies come from the committed package-lock.json ({@code npm ci}) when missing.
 */
final class NodeTools {
    private final Path kit;

    NodeTools(Path kit) {
        this.kit = kit;
    }

    static NodeTools forPartnerKit() {
        Path kit = Path.of(System.getProperty("e2e.partnerKit", "../partner-kit")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(kit.resolve("package-lock.json"))) {
            throw new AssertionError("no partner kit at " + kit);
        }
        NodeTools tools = new NodeTools(kit);
        tools.requireOnPath("node");
        tools.requireOnPath("npm");
        if (!Files.isDirectory(kit.resolve("node_modules/newman"))
            || !Files.isDirectory(kit.resolve("node_modules/playwright-core"))) {
            Result install = tools.run(List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
            if (install.exitCode() != 0) {
                throw new AssertionError("npm ci in " + kit + " failed:\n" + install.output());
            }
        }
        return tools;
    }

    Path kit() {
        return kit;
    }

    private void requireOnPath(String command) {
        Result version;
        try {
            version = run(List.of(command, "--version"), 60);
        } catch (UncheckedIOException e) {
            throw new AssertionError(command + " is not installed: the partner kit's tests need Node.js 18+ and npm "
                + "(.ci/run installs them)", e);
        }
        if (version.exitCode() != 0) {
            throw new AssertionError(command + " --version failed:\n" + version.output());
        }
        System.out.println("partner kit: " + command + " " + version.output().strip());
    }

    /** Runs a command in the partner kit, output (both streams) captured; fails if it outlives the timeout. */
    Result run(List<String> command, long timeoutSeconds) {
        try {
            Path output = Files.createTempFile("partner-kit", ".log");
            try {
                Process process = new ProcessBuilder(new ArrayList<>(command)).directory(kit.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(String.join(" ", command) + " ran longer than " + timeoutSeconds
                        + " s:\n" + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    record Result(int exitCode, String output) {
    }
}
