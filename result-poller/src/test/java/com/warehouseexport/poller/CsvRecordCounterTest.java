package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CsvRecordCounterTest {

    private static long count(String csv, int chunk) {
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        CsvRecordCounter counter = new CsvRecordCounter();
        for (int offset = 0; offset < bytes.length; offset += chunk) {
            counter.update(bytes, offset, Math.min(chunk, bytes.length - offset));
        }
        return counter.records();
    }

    @Test
    void countsRecordsNotLines() {
        String csv = "sku,notes\n"
                + "A,plain\n"
                + "B,\"two\nlines\"\n"
                + "C,\"quote \"\" and, comma\"\n"
                + "D,\"ünïcödé \"\"\n\"\" inside\"\n";
        for (int chunk : new int[] {1, 2, 7, 1024}) {
            assertEquals(5, count(csv, chunk), "chunk " + chunk);
        }
    }

    @Test
    void lastRecordWithoutLineBreakAndWindowsLineEnds() {
        assertEquals(3, count("h\r\n1\r\n2", 3));
        assertEquals(2, count("h\r\n1\r\n", 3));
        assertEquals(1, count("h\n", 1), "header only: an empty result");
        assertEquals(0, count("", 1));
    }
}
