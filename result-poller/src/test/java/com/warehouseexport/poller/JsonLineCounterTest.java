package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLineCounterTest {
    private static long count(String... chunks) {
        JsonLineCounter counter = new JsonLineCounter();
        for (String chunk : chunks) {
            byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
            counter.update(bytes, 0, bytes.length);
        }
        return counter.records();
    }

    @Test
    void oneObjectPerLineWhateverTheChunksAndEscapes() {
        assertEquals(0, count(""));
        assertEquals(2, count("{\"a\":\"x\\ny\"}\n{\"a\":\"\\\"q\\\"\"}\n"));
        assertEquals(2, count("{\"a\":1}\r\n{\"a\"", ":2}"), "a last line without a line break counts");
        assertEquals(1, count("{\"a\":1}\n\n  \n"), "blank lines are no objects");
    }
}
