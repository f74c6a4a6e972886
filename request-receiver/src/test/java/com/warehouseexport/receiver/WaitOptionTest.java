package com.warehouseexport.receiver;

import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.json.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaitOptionTest {
    private static String body(String wait) {
        return "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"FLOWER12\"}"
                + (wait == null ? "" : ",\"wait\":" + wait) + "}";
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "20, 20", "25, 25", "null, 0"})
    void wholeSecondsFromZeroToTwentyFive(String wait, int expected) {
        assertEquals(expected, WaitOption.fromBody(body(wait)));
    }

    @Test
    void absentMeansNoWait() {
        assertEquals(0, WaitOption.fromBody(body(null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"26", "-1", "29", "100000000000", "-99999999999999999999"})
    void outOfRangeIsInvalidBody(String wait) {
        ApiException e = assertThrows(ApiException.class, () -> WaitOption.fromBody(body(wait)));
        assertEquals(400, e.status());
        assertEquals("invalid_body", e.code());
        assertTrue(e.getMessage().contains("between 0 and 25"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"5\"", "2.5", "1e1", "true", "[5]", "{\"s\":5}"})
    void anythingButAWholeNumberIsWrongType(String wait) {
        ApiException e = assertThrows(ApiException.class, () -> WaitOption.fromBody(body(wait)));
        assertEquals(400, e.status());
        assertEquals("wrong_type", e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not json", "[1,2]", "{\"wait\":"})
    void bodiesThatAreNotObjectsAreLeftToTheOrderReader(String body) {
        assertEquals(0, WaitOption.fromBody(body));
    }

    @Test
    void theOrderReaderAcceptsTheWaitField() {
        ExportOrder order = new ExportOrderReader(DatasetCatalog.load((String) null)).readExport(body("5"));
        assertEquals("product_detail", order.dataset().name());
    }
}
