package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.sql.TextRules;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One of a fixed list of strings (exact, case-sensitive match). */
public final class EnumParameter extends ParameterSpec {
    private final List<String> values;
    private final Set<String> lookup;

    public EnumParameter(String name, String description, boolean required, List<String> values) {
        super(name, description, required);
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("parameter '" + name + "': an enum needs at least one value");
        }
        Set<String> unique = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || value.isEmpty() || TextRules.firstForbidden(value) >= 0
                    || value.length() > StringParameter.MAX_LENGTH) {
                throw new IllegalArgumentException("parameter '" + name + "': invalid enum value '" + value + "'");
            }
            if (!unique.add(value)) {
                throw new IllegalArgumentException("parameter '" + name + "': duplicate enum value '" + value + "'");
            }
        }
        this.values = List.copyOf(values);
        this.lookup = Set.copyOf(values);
    }

    @Override
    public ParameterType type() {
        return ParameterType.ENUM;
    }

    public List<String> values() {
        return values;
    }

    @Override
    ParameterValue parse(JsonNode raw) throws InvalidValue {
        if (!raw.isTextual()) {
            throw wrongType("a string, one of " + String.join(", ", values));
        }
        if (!lookup.contains(raw.textValue())) {
            throw new InvalidValue("not_allowed", "must be one of " + String.join(", ", values));
        }
        return new ParameterValue.EnumValue(raw.textValue());
    }

    @Override
    protected String jsonSchemaType() {
        return "string";
    }

    @Override
    protected void describeConstraints(ObjectNode node) {
        ArrayNode array = node.putArray("enum");
        values.forEach(array::add);
    }
}
