package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.model.catalog.ParameterValue.BooleanValue;
import com.warehouseexport.model.catalog.ParameterValue.DateValue;
import com.warehouseexport.model.catalog.ParameterValue.DecimalValue;
import com.warehouseexport.model.catalog.ParameterValue.EnumValue;
import com.warehouseexport.model.catalog.ParameterValue.IntegerValue;
import com.warehouseexport.model.catalog.ParameterValue.NullValue;
import com.warehouseexport.model.catalog.ParameterValue.StringValue;
import com.warehouseexport.model.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation of every parameter type, through a dataset declaring one of each. */
class DatasetValidationTest {
    private static final Dataset ALL_TYPES = DatasetCatalog.of("""
            {"datasets": [{"name": "all_types", "description": "one of each",
              "sql": "select * from t where s = :s and code = :code and n = :n and d = :d and day = :day and e = :e and b = :b and opt = :opt",
              "parameters": [
                {"name": "s", "type": "string", "required": true, "minLength": 2, "maxLength": 5},
                {"name": "code", "type": "string", "pattern": "^[A-Z]{3}$", "default": "ABC"},
                {"name": "n", "type": "integer", "min": -10, "max": 10},
                {"name": "d", "type": "decimal", "min": 0, "max": 1000, "scale": 2},
                {"name": "day", "type": "date", "min": "2020-01-01", "max": "2030-12-31"},
                {"name": "e", "type": "enum", "values": ["red", "green"]},
                {"name": "b", "type": "boolean", "default": false},
                {"name": "opt", "type": "integer"}
              ]}]}
            """, "test").get("all_types").orElseThrow();

    @Test
    void validValuesBecomeTypedValuesInDeclarationOrder() {
        ValidatedParameters p = valid("""
                {"s": "abc", "n": -10, "d": 12.50, "day": "2024-02-29", "e": "green", "b": true}""");
        assertEquals(List.of("s", "code", "n", "d", "day", "e", "b", "opt"), List.copyOf(p.asMap().keySet()));
        assertEquals(new StringValue("abc"), p.get("s"));
        assertEquals(new StringValue("ABC"), p.get("code"), "default applied");
        assertEquals(new IntegerValue(-10), p.get("n"));
        assertEquals(new DecimalValue(new BigDecimal("12.5")), p.get("d"));
        assertEquals(new DateValue(LocalDate.of(2024, 2, 29)), p.get("day"));
        assertEquals(new EnumValue("green"), p.get("e"));
        assertEquals(new BooleanValue(true), p.get("b"));
        assertEquals(new NullValue(ParameterType.INTEGER), p.get("opt"));
        assertEquals("{\"s\":\"abc\",\"code\":\"ABC\",\"n\":-10,\"d\":12.5,\"day\":\"2024-02-29\",\"e\":\"green\",\"b\":true}",
                Json.write(p.toJson()));
    }

    @Test
    void storedFormRoundTripsExactly() {
        ValidatedParameters p = valid("""
                {"s": "a'\\\\b", "n": 3, "d": "999.99", "day": "2030-12-31", "e": "red"}""");
        ValidatedParameters back = ValidatedParameters.fromStoredJson(Json.parse(Json.write(p.toStoredJson())));
        assertEquals(p, back);
    }

    @Test
    void explicitNullCountsAsAbsent() {
        ValidatedParameters p = valid("""
                {"s": "abc", "n": null, "b": null}""");
        assertEquals(new NullValue(ParameterType.INTEGER), p.get("n"));
        assertEquals(new BooleanValue(false), p.get("b"));
    }

    @Test
    void strings() {
        assertError("{\"s\": 12}", "s", "wrong_type");
        assertError("{\"s\": \"a\"}", "s", "too_short");
        assertError("{\"s\": \"abcdef\"}", "s", "too_long");
        assertError("{\"s\": \"ab\\u0000\"}", "s", "invalid_characters");
        assertError("{\"s\": \"ab\\ud800\"}", "s", "invalid_characters");
        assertError("{\"s\": \"ab\\n\"}", "s", "invalid_characters");
        assertError("{\"s\": \"abc\", \"code\": \"abc\"}", "code", "pattern_mismatch");
        assertError("{\"s\": \"abc\", \"code\": \"ABC\\n\"}", "code", "invalid_characters");
        assertError("{\"s\": \"abc\", \"code\": \"ABCD\"}", "code", "pattern_mismatch");
        // Length counts code points: five emoji are five characters.
        assertEquals(new StringValue("😀😀😀😀😀"), valid("{\"s\": \"😀😀😀😀😀\"}").get("s"));
        assertError("{\"s\": \"😀😀😀😀😀😀\"}", "s", "too_long");
    }

    @Test
    void integers() {
        assertError("{\"s\": \"abc\", \"n\": 11}", "n", "out_of_range");
        assertError("{\"s\": \"abc\", \"n\": -11}", "n", "out_of_range");
        assertError("{\"s\": \"abc\", \"n\": 1.5}", "n", "wrong_type");
        assertError("{\"s\": \"abc\", \"n\": 1.0}", "n", "wrong_type");
        assertError("{\"s\": \"abc\", \"n\": \"5\"}", "n", "wrong_type");
        assertError("{\"s\": \"abc\", \"n\": true}", "n", "wrong_type");
        assertError("{\"s\": \"abc\", \"opt\": 99999999999999999999999}", "opt", "out_of_range");
        assertEquals(new IntegerValue(Long.MAX_VALUE),
                valid("{\"s\": \"abc\", \"opt\": 9223372036854775807}").get("opt"));
    }

    @Test
    void decimals() {
        assertEquals(new DecimalValue(new BigDecimal("0.1")), valid("{\"s\": \"abc\", \"d\": 0.10}").get("d"));
        assertEquals(new DecimalValue(new BigDecimal("1000")), valid("{\"s\": \"abc\", \"d\": 1E3}").get("d"));
        assertEquals(new DecimalValue(new BigDecimal("7")), valid("{\"s\": \"abc\", \"d\": \"7.00\"}").get("d"));
        assertError("{\"s\": \"abc\", \"d\": 0.001}", "d", "too_many_decimals");
        assertError("{\"s\": \"abc\", \"d\": 1000.01}", "d", "out_of_range");
        assertError("{\"s\": \"abc\", \"d\": -0.01}", "d", "out_of_range");
        assertError("{\"s\": \"abc\", \"d\": \"1e3\"}", "d", "wrong_type");
        assertError("{\"s\": \"abc\", \"d\": \"12,5\"}", "d", "wrong_type");
        assertError("{\"s\": \"abc\", \"d\": \" 1\"}", "d", "wrong_type");
        assertError("{\"s\": \"abc\", \"d\": false}", "d", "wrong_type");
    }

    @Test
    void dates() {
        assertError("{\"s\": \"abc\", \"day\": \"2023-02-29\"}", "day", "invalid_date");
        assertError("{\"s\": \"abc\", \"day\": \"2024-2-1\"}", "day", "invalid_date");
        assertError("{\"s\": \"abc\", \"day\": \"2024-02-01T00:00:00Z\"}", "day", "invalid_date");
        assertError("{\"s\": \"abc\", \"day\": \"+2024-02-01\"}", "day", "invalid_date");
        assertError("{\"s\": \"abc\", \"day\": \"２０２４-02-01\"}", "day", "invalid_date");
        assertError("{\"s\": \"abc\", \"day\": \"2019-12-31\"}", "day", "out_of_range");
        assertError("{\"s\": \"abc\", \"day\": \"2031-01-01\"}", "day", "out_of_range");
        assertError("{\"s\": \"abc\", \"day\": 20240201}", "day", "wrong_type");
    }

    @Test
    void enumsAndBooleans() {
        assertError("{\"s\": \"abc\", \"e\": \"Red\"}", "e", "not_allowed");
        assertError("{\"s\": \"abc\", \"e\": \"blue\"}", "e", "not_allowed");
        assertError("{\"s\": \"abc\", \"e\": 1}", "e", "wrong_type");
        assertError("{\"s\": \"abc\", \"b\": \"true\"}", "b", "wrong_type");
        assertError("{\"s\": \"abc\", \"b\": 1}", "b", "wrong_type");
    }

    @Test
    void unknownAndMissingParametersAreAllReported() {
        Validation v = ALL_TYPES.validate(Json.parse("{\"x\": 1, \"n\": 50, \"y\": \"z\"}"));
        assertFalse(v.isValid());
        List<String> codes = v.errors().stream().map(e -> e.field() + ":" + e.code()).toList();
        assertEquals(List.of("x:unknown_parameter", "y:unknown_parameter", "s:missing_required", "n:out_of_range"), codes);
    }

    @Test
    void parametersMustBeAnObject() {
        assertEquals("wrong_type", ALL_TYPES.validate(Json.parse("[1]")).errors().get(0).code());
        assertEquals("missing_required", ALL_TYPES.validate((JsonNode) null).errors().get(0).code());
    }

    @Test
    void builtInDatasets() {
        DatasetCatalog catalog = DatasetCatalog.load(null);
        assertEquals(List.of("product_detail", "product_inventory", "athena_product_detail",
                "athena_inventory_by_category"), List.copyOf(catalog.names()));
        assertEquals("athena", catalog.get("athena_product_detail").orElseThrow().warehouse());
        Dataset detail = catalog.get("product_detail").orElseThrow();
        assertTrue(detail.validate(Json.parse("{\"sku\": \"AB_12-x\"}")).isValid());
        assertEquals("missing_required", detail.validate(Json.parse("{}")).errors().get(0).code());
        assertEquals("pattern_mismatch", detail.validate(Json.parse("{\"sku\": \"a b\"}")).errors().get(0).code());
        assertEquals("too_long", detail.validate(Json.parse("{\"sku\": \"" + "a".repeat(21) + "\"}")).errors().get(0).code());

        Dataset inventory = catalog.get("product_inventory").orElseThrow();
        assertTrue(inventory.validate(Json.parse("{}")).isValid(), "every filter is optional");
        assertEquals("out_of_range", inventory.validate(Json.parse("{\"limit\": 0}")).errors().get(0).code());
        assertEquals("out_of_range", inventory.validate(Json.parse("{\"limit\": 100000001}")).errors().get(0).code());
        assertTrue(inventory.validate(Json.parse("{\"limit\": 100000000}")).isValid());
        assertEquals("not_allowed", inventory.validate(Json.parse("{\"category\": \"weapons\"}")).errors().get(0).code());
    }

    private static ValidatedParameters valid(String json) {
        Validation v = ALL_TYPES.validate(Json.parse(json));
        assertTrue(v.isValid(), () -> json + " -> " + v.errors());
        return v.parameters();
    }

    private static void assertError(String json, String field, String code) {
        Validation v = ALL_TYPES.validate(Json.parse(json));
        assertFalse(v.isValid(), json);
        assertEquals(1, v.errors().size(), () -> json + " -> " + v.errors());
        assertEquals(field, v.errors().get(0).field(), json);
        assertEquals(code, v.errors().get(0).code(), () -> json + " -> " + v.errors());
    }

    /** A one-digit number with a huge exponent must be refused before anything expands it to a billion digits. */
    @Test
    void absurdDecimalExponentsAreOutOfRangeAtOnce() {
        Dataset unbounded = DatasetCatalog.of("""
                {"datasets": [{"name": "d", "description": "d", "sql": "select * from t where x = :x",
                  "parameters": [{"name": "x", "type": "decimal"}]}]}
                """, "test").get("d").orElseThrow();
        for (String number : List.of("1e999999999", "1e-999999999", "-9.9e999999", "1e39")) {
            Validation validation = unbounded.validate(Json.parse("{\"x\": " + number + "}"));
            assertFalse(validation.isValid(), number);
            assertEquals("out_of_range", validation.errors().get(0).code(), number);
        }
        assertTrue(unbounded.validate(Json.parse("{\"x\": 1e37}")).isValid());
        assertTrue(unbounded.validate(Json.parse("{\"x\": 0.00000000000000000000000000000000000001}")).isValid());
    }
}
