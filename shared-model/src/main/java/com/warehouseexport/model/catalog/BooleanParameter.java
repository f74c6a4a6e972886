package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A JSON {@code true} or {@code false} (not the strings). */
public final class BooleanParameter extends ParameterSpec {
    public BooleanParameter(String name, String description, boolean required) {
        super(name, description, required);
    }

    @Override
    public ParameterType type() {
        return ParameterType.BOOLEAN;
    }

    @Override
    ParameterValue parse(JsonNode raw) throws InvalidValue {
        if (!raw.isBoolean()) {
            throw wrongType("true or false");
        }
        return new ParameterValue.BooleanValue(raw.booleanValue());
    }

    @Override
    protected String jsonSchemaType() {
        return "boolean";
    }

    @Override
    protected void describeConstraints(ObjectNode node) {
        // no constraints beyond the type
    }
}
