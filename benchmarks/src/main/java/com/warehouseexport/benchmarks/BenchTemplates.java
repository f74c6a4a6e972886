package com.warehouseexport.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Variants of the project's template.yaml for a benchmark, written as text edits of the real file (so everything
 * else stays as deployed): absolute CodeUris, the SQS batching window, and the poller with or without its
 * EventBridge rule (the event-driven wake-up).
 */
final class BenchTemplates {
    private BenchTemplates() {
    }

    /** The template with window as every MaximumBatchingWindowInSeconds and, unless events, no EventBridge rule. */
    static Path variant(Path root, Path workDir, String name, Integer batchingWindow, boolean statementEvents) {
        try {
            List<String> lines = Files.readAllLines(root.resolve("template.yaml"));
            List<String> out = new ArrayList<>();
            int skipIndent = -1;
            for (String line : lines) {
                int indent = line.length() - line.stripLeading().length();
                if (skipIndent >= 0) {
                    if (line.isBlank() || indent > skipIndent) {
                        continue;
                    }
                    skipIndent = -1;
                }
                String trimmed = line.trim();
                if (!statementEvents && trimmed.equals("StatementStatusChange:")) {
                    skipIndent = indent;
                    continue;
                }
                if (trimmed.startsWith("CodeUri:")) {
                    String uri = trimmed.substring("CodeUri:".length()).trim();
                    line = line.substring(0, indent) + "CodeUri: " + root.resolve(uri).toAbsolutePath().normalize();
                } else if (batchingWindow != null && trimmed.startsWith("MaximumBatchingWindowInSeconds:")) {
                    line = line.substring(0, indent) + "MaximumBatchingWindowInSeconds: " + batchingWindow;
                }
                out.add(line);
            }
            Files.createDirectories(workDir);
            Path file = workDir.resolve("template-" + name + ".yaml");
            Files.write(file, out);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The template's own MaximumBatchingWindowInSeconds of the processor's queue. */
    static int templateBatchingWindow(Path root) {
        try {
            return Files.readAllLines(root.resolve("template.yaml")).stream().map(String::trim)
                .filter(l -> l.startsWith("MaximumBatchingWindowInSeconds:"))
                .map(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
