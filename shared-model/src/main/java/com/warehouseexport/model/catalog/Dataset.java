package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.sql.SqlTemplate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An exportable dataset: a parameterised query on the warehouse. The SQL's placeholders and the declared
 * parameters must match exactly (checked here, so a bad catalog fails at start-up).
 */
public final class Dataset {
    public static final String REDSHIFT = "redshift";
    public static final String ATHENA = "athena";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final String name;
    private final String description;
    private final String warehouse;
    private final SqlTemplate sql;
    private final List<ParameterSpec> parameters;
    private final Map<String, ParameterSpec> byName;
    private final Set<ExportFormat> formats;

    public Dataset(String name, String description, String warehouse, String sql,
                   List<ParameterSpec> parameters, Set<ExportFormat> formats) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("dataset name '" + name
                    + "' must be lower case letters, digits and '_', starting with a letter, at most 63 characters");
        }
        if (!REDSHIFT.equals(warehouse) && !ATHENA.equals(warehouse)) {
            throw new IllegalArgumentException("dataset '" + name + "': warehouse must be \"redshift\" or \"athena\"");
        }
        this.name = name;
        this.description = description == null ? "" : description;
        this.warehouse = warehouse;
        try {
            this.sql = SqlTemplate.parse(sql);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dataset '" + name + "': invalid sql: " + e.getMessage());
        }
        this.parameters = List.copyOf(parameters);
        this.byName = new LinkedHashMap<>();
        for (ParameterSpec spec : this.parameters) {
            if (byName.put(spec.name(), spec) != null) {
                throw new IllegalArgumentException("dataset '" + name + "': parameter '" + spec.name() + "' declared twice");
            }
        }
        Set<String> undeclared = new LinkedHashSet<>(this.sql.placeholders());
        undeclared.removeAll(byName.keySet());
        if (!undeclared.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "': sql uses undeclared parameter(s) " + undeclared);
        }
        Set<String> unused = new LinkedHashSet<>(byName.keySet());
        unused.removeAll(this.sql.placeholders());
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "': parameter(s) " + unused + " not used in the sql");
        }
        if (formats == null || formats.isEmpty()) {
            throw new IllegalArgumentException("dataset '" + name + "': no formats");
        }
        for (ExportFormat format : formats) {
            if (!format.isSupported()) {
                throw new IllegalArgumentException("dataset '" + name + "': format " + format.apiName() + " is not supported yet");
            }
        }
        this.formats = Set.copyOf(formats);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public String warehouse() {
        return warehouse;
    }

    public SqlTemplate sql() {
        return sql;
    }

    public List<ParameterSpec> parameters() {
        return parameters;
    }

    public ParameterSpec parameter(String parameterName) {
        return byName.get(parameterName);
    }

    public boolean supports(ExportFormat format) {
        return formats.contains(format);
    }

    /** Supported formats in declaration order of {@link ExportFormat}. */
    public List<ExportFormat> formats() {
        List<ExportFormat> ordered = new ArrayList<>();
        for (ExportFormat format : ExportFormat.values()) {
            if (formats.contains(format)) {
                ordered.add(format);
            }
        }
        return ordered;
    }

    /**
     * Checks the caller's parameters ({@code null} or JSON null values count as absent) against the
     * declarations and converts them to typed values; reports every problem, not just the first.
     */
    public Validation validate(Map<String, JsonNode> raw) {
        Map<String, JsonNode> supplied = raw == null ? Map.of() : raw;
        List<FieldError> errors = new ArrayList<>();
        for (String key : supplied.keySet()) {
            if (!byName.containsKey(key)) {
                errors.add(new FieldError(key, "unknown_parameter", "is not a parameter of dataset " + name));
            }
        }
        LinkedHashMap<String, ParameterValue> values = new LinkedHashMap<>();
        for (ParameterSpec spec : parameters) {
            JsonNode value = supplied.get(spec.name());
            if (value == null || value.isNull() || value.isMissingNode()) {
                if (spec.required()) {
                    errors.add(new FieldError(spec.name(), "missing_required", "is required"));
                } else {
                    values.put(spec.name(), spec.absentValue());
                }
                continue;
            }
            try {
                values.put(spec.name(), spec.parse(value));
            } catch (InvalidValue e) {
                errors.add(new FieldError(spec.name(), e.code(), e.getMessage()));
            }
        }
        return errors.isEmpty() ? Validation.valid(ValidatedParameters.of(values)) : Validation.invalid(errors);
    }

    /** Convenience for a JSON object of parameters ({@code null}/missing = none); a non-object is a type error. */
    public Validation validate(JsonNode parametersObject) {
        if (parametersObject == null || parametersObject.isNull() || parametersObject.isMissingNode()) {
            return validate(Map.of());
        }
        if (!parametersObject.isObject()) {
            return Validation.invalid(List.of(new FieldError(FieldError.PARAMETERS, "wrong_type", "must be a JSON object")));
        }
        Map<String, JsonNode> raw = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : parametersObject.properties()) {
            raw.put(field.getKey(), field.getValue());
        }
        return validate(raw);
    }

    /**
     * Public description for {@code GET /datasets} (no SQL): name, description, formats, and {@code parameters}
     * as the JSON Schema of a request's {@code parameters} object.
     */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", name);
        node.put("description", description);
        ArrayNode formatArray = node.putArray("formats");
        formats().forEach(format -> formatArray.add(format.apiName()));
        ObjectNode schema = node.putObject("parameters");
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        for (ParameterSpec spec : parameters) {
            properties.set(spec.name(), spec.toJsonSchema());
            if (spec.required()) {
                required.add(spec.name());
            }
        }
        schema.put("additionalProperties", false);
        return node;
    }

    @Override
    public String toString() {
        return "Dataset[" + name + "]";
    }
}
