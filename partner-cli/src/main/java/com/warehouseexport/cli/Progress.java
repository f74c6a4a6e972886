package com.warehouseexport.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress on stderr. On a terminal one line is redrawn in place ({@code \r}); otherwise (a pipe, a CI log) a
 * plain line is written only when something worth a line happens, so logs stay short. The text itself comes from
 * the pure {@code render…} methods, which the tests check.
 */
public final class Progress {
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private String lastPlain = "";
    private int lastWidth;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** A live line on a terminal; on a pipe, {@code plainLine} when it differs from the last one written. */
    public void update(String liveLine, String plainLine) {
        if (terminal) {
            String padded = liveLine.length() < lastWidth ? liveLine + " ".repeat(lastWidth - liveLine.length())
                : liveLine;
            out.print("\r" + padded);
            lastWidth = liveLine.length();
            out.flush();
        } else if (plainLine != null && !plainLine.equals(lastPlain)) {
            out.println(plainLine);
            lastPlain = plainLine;
        }
    }

    /** Ends the live line (a terminal keeps the last state visible). */
    public void finish() {
        if (terminal && lastWidth > 0) {
            out.println();
            lastWidth = 0;
        }
    }

    static String renderWait(String requestId, String state, Duration elapsed, int spinnerTick) {
        char spinner = "|/-\\".charAt(Math.floorMod(spinnerTick, 4));
        return spinner + " " + requestId + "  " + state + "  " + formatElapsed(elapsed);
    }

    /** {@code [=========>          ]  45%  1.2 MiB / 2.7 MiB  3.4 MiB/s}; without a total, no bar. */
    static String renderDownload(long bytes, long total, Duration elapsed) {
        String speed = formatBytes(bytesPerSecond(bytes, elapsed)) + "/s";
        if (total <= 0) {
            return formatBytes(bytes) + "  " + speed + "  " + formatElapsed(elapsed);
        }
        long shown = Math.min(bytes, total);
        int filled = (int) (BAR_WIDTH * shown / total);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < BAR_WIDTH; i++) {
            bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
        }
        if (filled == BAR_WIDTH) {
            bar.setCharAt(BAR_WIDTH, '=');
        }
        bar.append(']');
        long percent = 100 * shown / total;
        return String.format(Locale.ROOT, "%s %3d%%  %s / %s  %s", bar, percent, formatBytes(bytes),
            formatBytes(total), speed);
    }

    static long bytesPerSecond(long bytes, Duration elapsed) {
        long millis = Math.max(1, elapsed.toMillis());
        return bytes * 1000 / millis;
    }

    static String formatBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String formatElapsed(Duration elapsed) {
        long seconds = elapsed.toSeconds();
        return seconds >= 3600
            ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
