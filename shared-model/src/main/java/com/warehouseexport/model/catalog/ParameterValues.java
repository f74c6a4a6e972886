package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.catalog.ParameterValue.BooleanValue;
import com.warehouseexport.model.catalog.ParameterValue.DateValue;
import com.warehouseexport.model.catalog.ParameterValue.DecimalValue;
import com.warehouseexport.model.catalog.ParameterValue.EnumValue;
import com.warehouseexport.model.catalog.ParameterValue.IntegerValue;
import com.warehouseexport.model.catalog.ParameterValue.NullValue;
import com.warehouseexport.model.catalog.ParameterValue.StringValue;

import java.math.BigDecimal;
import java.time.LocalDate;

/** JSON forms of a {@link ParameterValue}: the plain one callers see, and the typed one the control table stores. */
public final class ParameterValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private ParameterValues() {
    }

    /** Plain JSON: strings, numbers, booleans, dates as {@code "yyyy-MM-dd"}, null. */
    public static JsonNode toJson(ParameterValue value) {
        if (value instanceof StringValue s) {
            return NODES.textNode(s.value());
        }
        if (value instanceof EnumValue e) {
            return NODES.textNode(e.value());
        }
        if (value instanceof IntegerValue i) {
            return NODES.numberNode(i.value());
        }
        if (value instanceof DecimalValue d) {
            return NODES.numberNode(d.value());
        }
        if (value instanceof DateValue d) {
            return NODES.textNode(d.value().toString());
        }
        if (value instanceof BooleanValue b) {
            return NODES.booleanNode(b.value());
        }
        return NullNode.getInstance();
    }

    /**
     * Typed JSON for storage, {@code {"type":"date","value":"2024-05-01"}}: a stored request can be read back
     * into typed values without the catalog (decimals are stored as strings to stay exact).
     */
    public static ObjectNode toStoredJson(ParameterValue value) {
        ObjectNode node = NODES.objectNode();
        node.put("type", value.type().jsonName());
        if (value instanceof DecimalValue d) {
            node.put("value", d.value().toPlainString());
        } else {
            node.set("value", toJson(value));
        }
        return node;
    }

    /** Reads {@link #toStoredJson}; {@code IllegalArgumentException} when the stored form is damaged. */
    public static ParameterValue fromStoredJson(JsonNode node) {
        ParameterType type = node == null ? null : ParameterType.fromJsonName(node.path("type").asText(null));
        if (type == null) {
            throw new IllegalArgumentException("stored parameter without a known type: " + node);
        }
        JsonNode value = node.path("value");
        if (value.isNull() || value.isMissingNode()) {
            return new NullValue(type);
        }
        switch (type) {
            case STRING:
                return new StringValue(requireText(value));
            case ENUM:
                return new EnumValue(requireText(value));
            case INTEGER:
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw new IllegalArgumentException("stored integer parameter is not an integer: " + value);
                }
                return new IntegerValue(value.longValue());
            case DECIMAL:
                try {
                    return new DecimalValue(new BigDecimal(requireText(value)));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("stored decimal parameter is not a number: " + value);
                }
            case DATE:
                LocalDate date = DateParameter.parseIsoDate(requireText(value));
                if (date == null) {
                    throw new IllegalArgumentException("stored date parameter is not a date: " + value);
                }
                return new DateValue(date);
            case BOOLEAN:
                if (!value.isBoolean()) {
                    throw new IllegalArgumentException("stored boolean parameter is not a boolean: " + value);
                }
                return new BooleanValue(value.booleanValue());
            default:
                throw new IllegalArgumentException("unknown stored parameter type " + type);
        }
    }

    private static String requireText(JsonNode value) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("stored parameter value is not a string: " + value);
        }
        return value.textValue();
    }
}
