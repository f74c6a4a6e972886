package com.warehouseexport.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RequestMessageTest {
    private static final String ID = "3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13";

    @Test
    void readsTheRequestId() {
        assertEquals(ID, RequestMessage.requestId("{\"requestId\":\"" + ID + "\"}"));
        assertEquals(ID, RequestMessage.requestId("{\"requestId\":\"" + ID + "\",\"extra\":1}"));
    }

    @Test
    void refusesAnythingElse() {
        for (String body : new String[] {null, "", "not json", "[]", "{}", "{\"requestId\":42}",
                "{\"requestId\":\"../../etc\"}", "{\"requestId\":\"" + ID.toUpperCase() + "\"}",
                "{\"requestId\":\"" + ID + "\"} trailing"}) {
            assertThrows(IllegalArgumentException.class, () -> RequestMessage.requestId(body), String.valueOf(body));
        }
    }
}
