package com.warehouseexport.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The Markdown report: sections of tables and notes, printed as they complete and written whole at the end. */
final class Report {
    private final StringBuilder text = new StringBuilder();
    private final PrintStream out;
    private final List<String> sections = new ArrayList<>();

    Report(PrintStream out) {
        this.out = out;
        line("# Benchmark report");
        line("");
        line("- when: " + Instant.now());
        line("- machine: " + machine());
        line("- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
            + ", max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB, "
            + ManagementFactory.getRuntimeMXBean().getInputArguments());
        line("");
    }

    void section(String title) {
        sections.add(title);
        System.err.println("[bench] " + Instant.now() + " " + title);
        line("");
        line("## " + title);
        line("");
    }

    void table(String... header) {
        line("| " + String.join(" | ", header) + " |");
        line("|" + "---|".repeat(header.length));
    }

    void row(Object... cells) {
        StringBuilder row = new StringBuilder("|");
        for (Object cell : cells) {
            row.append(' ').append(cell).append(" |");
        }
        line(row.toString());
    }

    void note(String note) {
        line("");
        line(note);
    }

    void line(String line) {
        text.append(line).append('\n');
        out.println(line);
        out.flush();
    }

    List<String> sections() {
        return sections;
    }

    String text() {
        return text.toString();
    }

    void writeTo(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
    }

    static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException | RuntimeException e) {
            // not Linux: the core count is still useful
        }
        long memoryMb = -1;
        try {
            memoryMb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).orElse(-1L);
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memoryMb + " MB RAM, "
            + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }
}
