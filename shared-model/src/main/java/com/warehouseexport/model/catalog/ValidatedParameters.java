package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Typed parameter values of one request, one per declared parameter of the dataset, in declaration order;
 * optional ones that were not supplied hold their default or a {@link ParameterValue.NullValue}.
 * Made by {@link Dataset#validate} or read back from the control table's typed JSON.
 */
public final class ValidatedParameters {
    private final Map<String, ParameterValue> values;

    private ValidatedParameters(Map<String, ParameterValue> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    static ValidatedParameters of(LinkedHashMap<String, ParameterValue> values) {
        return new ValidatedParameters(values);
    }

    public static ValidatedParameters empty() {
        return new ValidatedParameters(new LinkedHashMap<>());
    }

    public Map<String, ParameterValue> asMap() {
        return values;
    }

    /** {@code null} when the dataset has no such parameter. */
    public ParameterValue get(String name) {
        return values.get(name);
    }

    /** Plain JSON object for API responses; parameters without a value are left out. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        values.forEach((name, value) -> {
            if (!value.isNull()) {
                node.set(name, ParameterValues.toJson(value));
            }
        });
        return node;
    }

    /** Typed JSON object for the control table: {@code {"sku":{"type":"string","value":"A-1"}}}. */
    public ObjectNode toStoredJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        values.forEach((name, value) -> node.set(name, ParameterValues.toStoredJson(value)));
        return node;
    }

    /** Reads {@link #toStoredJson()}; {@code IllegalArgumentException} when damaged. */
    public static ValidatedParameters fromStoredJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("stored parameters are not a JSON object");
        }
        LinkedHashMap<String, ParameterValue> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            values.put(field.getKey(), ParameterValues.fromStoredJson(field.getValue()));
        }
        return new ValidatedParameters(values);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ValidatedParameters that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
