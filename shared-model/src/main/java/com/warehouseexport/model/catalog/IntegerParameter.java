package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A whole number (a JSON integer, 64-bit) between optional inclusive bounds. */
public final class IntegerParameter extends ParameterSpec {
    private final Long min;
    private final Long max;

    public IntegerParameter(String name, String description, boolean required, Long min, Long max) {
        super(name, description, required);
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("parameter '" + name + "': min > max");
        }
        this.min = min;
        this.max = max;
    }

    @Override
    public ParameterType type() {
        return ParameterType.INTEGER;
    }

    public Long min() {
        return min;
    }

    public Long max() {
        return max;
    }

    @Override
    ParameterValue parse(JsonNode raw) throws InvalidValue {
        if (!raw.isIntegralNumber()) {
            throw wrongType("an integer");
        }
        if (!raw.canConvertToLong()) {
            throw outOfRange();
        }
        long value = raw.longValue();
        if ((min != null && value < min) || (max != null && value > max)) {
            throw outOfRange();
        }
        return new ParameterValue.IntegerValue(value);
    }

    private InvalidValue outOfRange() {
        return new InvalidValue("out_of_range", "must be an integer" + Bounds.describe(min, max));
    }

    @Override
    protected String jsonSchemaType() {
        return "integer";
    }

    @Override
    protected void describeConstraints(ObjectNode node) {
        if (min != null) {
            node.put("minimum", min);
        }
        if (max != null) {
            node.put("maximum", max);
        }
    }
}
