package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One declared parameter of a dataset: its name, type and constraints, and whether it is required or
 * optional (with an optional default). Subclasses parse a supplied JSON value into a typed
 * {@link ParameterValue} or reject it.
 */
public abstract sealed class ParameterSpec
        permits StringParameter, IntegerParameter, DecimalParameter, DateParameter, EnumParameter, BooleanParameter {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final String name;
    private final String description;
    private final boolean required;
    private ParameterValue defaultValue;

    protected ParameterSpec(String name, String description, boolean required) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("parameter name '" + name
                    + "' must be lower case letters, digits and '_', starting with a letter, at most 63 characters");
        }
        this.name = name;
        this.description = description == null ? "" : description;
        this.required = required;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public boolean required() {
        return required;
    }

    /** The value used when an optional parameter is not supplied, or {@code null} (then SQL NULL). */
    public ParameterValue defaultValue() {
        return defaultValue;
    }

    public abstract ParameterType type();

    /**
     * Sets the default from its catalog JSON; it must itself be a valid value. Only during catalog loading,
     * before the spec is published.
     */
    void setDefault(JsonNode rawDefault) {
        if (required) {
            throw new IllegalArgumentException("parameter '" + name + "' is required and cannot have a default");
        }
        try {
            this.defaultValue = parse(rawDefault);
        } catch (InvalidValue e) {
            throw new IllegalArgumentException("default of parameter '" + name + "' is invalid: " + e.getMessage());
        }
    }

    /** What an absent value becomes for an optional parameter. */
    ParameterValue absentValue() {
        return defaultValue != null ? defaultValue : new ParameterValue.NullValue(type());
    }

    /** Parses one supplied, non-null value. */
    abstract ParameterValue parse(JsonNode raw) throws InvalidValue;

    /**
     * The JSON Schema of this parameter (a property of the dataset's {@code parameters} object in
     * {@code GET /datasets}): {@code type} string, integer, number or boolean, plus the constraints.
     */
    public ObjectNode toJsonSchema() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("type", jsonSchemaType());
        if (!description.isEmpty()) {
            node.put("description", description);
        }
        describeConstraints(node);
        if (defaultValue != null) {
            node.set("default", ParameterValues.toJson(defaultValue));
        }
        return node;
    }

    /** JSON Schema type of the values: string, integer, number or boolean. */
    protected abstract String jsonSchemaType();

    protected abstract void describeConstraints(ObjectNode node);

    static InvalidValue wrongType(String expected) {
        return new InvalidValue("wrong_type", "must be " + expected);
    }
}
