package com.warehouseexport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {

    @Test
    void parameterTextBecomesTheCatalogsType() {
        assertEquals("3", Commands.typed("warehouse_id", " 3 ", "integer").toString());
        assertEquals("12.50", Commands.typed("price", "12.50", "number").toString());
        assertEquals("true", Commands.typed("is_active", "TRUE", "boolean").toString());
        assertEquals("\"00123\"", Commands.typed("sku", "00123", "string").toString());
    }

    @Test
    void aValueOfTheWrongTypeIsAUsageError() {
        CliException e = assertThrows(CliException.class, () -> Commands.typed("warehouse_id", "3.5", "integer"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("--param warehouse_id must be an integer, not \"3.5\"", e.getMessage());
        assertEquals("--param is_active must be true or false, not \"yes\"",
            assertThrows(CliException.class, () -> Commands.typed("is_active", "yes", "boolean")).getMessage());
    }

    @Test
    void pollingBacksOffByHalfUpToTenSeconds() {
        Duration delay = Commands.FIRST_POLL;
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            seen.append(delay.toMillis()).append(' ');
            delay = Commands.nextDelay(delay);
        }
        assertEquals("1000 1500 2250 3375 5062 7593 10000 10000 ", seen.toString());
    }

    @Test
    void relativeDownloadLinksResolveBelowTheEndpointAndItsStage() {
        java.net.URI api = java.net.URI.create("https://a1b2.execute-api.us-east-1.amazonaws.com/v1/");
        assertEquals("https://a1b2.execute-api.us-east-1.amazonaws.com/v1/links/t0k3n",
            Commands.downloadLink(api, "/links/t0k3n").toString());
        assertEquals("https://bucket.s3.amazonaws.com/a.zip?X-Amz-Signature=1",
            Commands.downloadLink(api, "https://bucket.s3.amazonaws.com/a.zip?X-Amz-Signature=1").toString());
    }

    @Test
    void unzipRefusesEntriesOutsideItsFolder(@TempDir Path dir) throws IOException {
        Path good = zip(dir.resolve("good.zip"), "rows/part-0000.csv");
        List<Path> files = Downloader.unzip(good, dir.resolve("out"));
        assertEquals(List.of(dir.resolve("out/rows/part-0000.csv").toAbsolutePath()), files);

        Path evil = zip(dir.resolve("evil.zip"), "../escaped.csv");
        CliException e = assertThrows(CliException.class, () -> Downloader.unzip(evil, dir.resolve("out2")));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("escaped.csv")));
    }

    private static Path zip(Path file, String entry) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new ZipEntry(entry));
            out.write("a,b\n1,2\n".getBytes());
            out.closeEntry();
        }
        return file;
    }
}
