package com.warehouseexport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void downloadBarShowsShareBytesAndSpeed() {
        assertEquals("[>                             ]   0%  0 B / 2.0 MiB  0 B/s",
            Progress.renderDownload(0, 2 * 1024 * 1024, Duration.ofSeconds(1)));
        assertEquals("[===============>              ]  50%  1.0 MiB / 2.0 MiB  512.0 KiB/s",
            Progress.renderDownload(1024 * 1024, 2 * 1024 * 1024, Duration.ofSeconds(2)));
        assertEquals("[==============================] 100%  651 B / 651 B  651 B/s",
            Progress.renderDownload(651, 651, Duration.ofSeconds(1)));
    }

    @Test
    void withoutAKnownTotalThereIsNoBar() {
        assertEquals("3.0 KiB  1.5 KiB/s  0:02", Progress.renderDownload(3072, -1, Duration.ofSeconds(2)));
    }

    @Test
    void waitLineShowsStateAndElapsedTime() {
        assertEquals("| 3f6c  QUEUED  0:00", Progress.renderWait("3f6c", "QUEUED", Duration.ofMillis(400), 0));
        assertEquals("/ 3f6c  RUNNING  2:05", Progress.renderWait("3f6c", "RUNNING", Duration.ofSeconds(125), 1));
        assertEquals("\\ 3f6c  PACKAGING  1:00:01",
            Progress.renderWait("3f6c", "PACKAGING", Duration.ofSeconds(3601), 3));
    }

    @Test
    void sizes() {
        assertEquals("1023 B", Progress.formatBytes(1023));
        assertEquals("1.0 KiB", Progress.formatBytes(1024));
        assertEquals("2.5 GiB", Progress.formatBytes(5L * 1024 * 1024 * 1024 / 2));
    }

    @Test
    void aTerminalGetsOneLineRedrawnInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        progress.update("id QUEUED 0:01", "id QUEUED");
        progress.update("id QUEUED 0:02", "id QUEUED");
        progress.update("id OK 0:03", "id OK");
        progress.finish();
        // the shorter last line blanks what is left of the longer one
        assertEquals("\rid QUEUED 0:01\rid QUEUED 0:02\rid OK 0:03    " + System.lineSeparator(),
            bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPipeGetsPlainLinesOnlyWhenSomethingChanges() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        progress.update("| id QUEUED 0:01", "id QUEUED");
        progress.update("/ id QUEUED 0:02", "id QUEUED");
        progress.update("- id RUNNING 0:03", "id RUNNING");
        progress.update("[=====>   ] 50%", null);
        progress.finish();
        assertEquals("id QUEUED" + System.lineSeparator() + "id RUNNING" + System.lineSeparator(),
            bytes.toString(StandardCharsets.UTF_8));
    }
}
