package com.warehouseexport.status;

import com.warehouseexport.model.json.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProductQueryTest {
    private static final String ID = "3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13";

    @Test
    void typeDefaultsToLatest() {
        assertEquals(new ProductQuery(ID, ProductQuery.View.LATEST),
                ProductQuery.fromHeaders(Map.of("requestid", ID), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"requestid", "RequestId", "REQUESTID", "requestId"})
    void headerNamesAreCaseInsensitive(String name) {
        assertEquals(new ProductQuery(ID, ProductQuery.View.ALL),
                ProductQuery.fromHeaders(Map.of(name, ID, "Type", "all"), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "ALL", " All "})
    void typeAllInAnyCase(String type) {
        assertEquals(ProductQuery.View.ALL, ProductQuery.fromHeaders(Map.of("requestid", ID, "type", type), null).view());
    }

    @Test
    void blankTypeMeansLatest() {
        assertEquals(ProductQuery.View.LATEST, ProductQuery.fromHeaders(Map.of("requestid", ID, "type", " "), null).view());
    }

    @Test
    void multiValueHeadersAreReadWhenTheSingleValueMapLacksThem() {
        ProductQuery query = ProductQuery.fromHeaders(Map.of(),
                Map.of("RequestID", List.of(ID), "TYPE", List.of("latest", "all")));
        assertEquals(new ProductQuery(ID, ProductQuery.View.ALL), query);
    }

    @Test
    void missingRequestIdIs400() {
        ApiException e = assertThrows(ApiException.class, () -> ProductQuery.fromHeaders(Map.of("type", "all"), null));
        assertEquals(400, e.status());
        assertEquals("missing_header", e.code());
        assertEquals(400, assertThrows(ApiException.class, () -> ProductQuery.fromHeaders(null, null)).status());
        assertEquals("missing_header", assertThrows(ApiException.class,
                () -> ProductQuery.fromHeaders(Map.of("requestid", "  "), null)).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"latests", "history", "1", "all,latest"})
    void anyOtherTypeIs400(String type) {
        ApiException e = assertThrows(ApiException.class,
                () -> ProductQuery.fromHeaders(Map.of("requestid", ID, "type", type), null));
        assertEquals("invalid_header", e.code());
        assertEquals("Header \"type\" must be \"latest\" or \"all\", not \"" + type + "\"", e.getMessage());
    }
}
