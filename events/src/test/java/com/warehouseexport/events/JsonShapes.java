package com.warehouseexport.events;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/** Comparisons of JSON bodies: exact (numbers by value, whatever their Java type), and by shape. */
final class JsonShapes {

    /** YAML reads 20 as an int, the code writes a long: equal numbers are equal whatever their node class. */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private JsonShapes() {
    }

    static void assertSameJson(JsonNode expected, JsonNode actual, String what) {
        if (!expected.equals(NUMBERS_BY_VALUE, actual)) {
            fail(what + "\n  documented: " + expected + "\n  code:       " + actual);
        }
    }

    /**
     * The keys of every object, recursively, with scalars reduced to their JSON type and arrays to the merged
     * shape of their elements: two bodies have the same shape when they differ only in values and lengths.
     */
    static Object shape(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> keys = new TreeMap<>();
            node.properties().forEach(field -> keys.put(field.getKey(), shape(field.getValue())));
            return keys;
        }
        if (node.isArray()) {
            Map<String, Object> merged = new TreeMap<>();
            Object scalar = null;
            for (JsonNode element : node) {
                Object elementShape = shape(element);
                if (elementShape instanceof Map<?, ?> map) {
                    map.forEach((key, value) -> merged.put((String) key, value));
                } else {
                    scalar = elementShape;
                }
            }
            return "array of " + (scalar != null ? scalar : merged);
        }
        return node.isNumber() ? "number" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
