package com.warehouseexport.model.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.config.Env;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The datasets a caller may export: the built-in {@code datasets.json} resource of this module, plus the
 * file named by {@code DATASET_CATALOG_FILE} when set, whose entries add datasets or replace same-named ones.
 * Any problem in either is a {@link CatalogException} naming the source, dataset and field.
 *
 * <p>Format: {@code {"datasets": [{"name", "description", "warehouse": "redshift", "sql", "formats": ["csv",
 * "parquet"], "parameters": [{"name", "type", "description", "required", "default", ...type fields}]}]}};
 * type fields: string {@code pattern, minLength, maxLength}; integer and decimal {@code min, max}
 * (decimal also {@code scale}); date {@code min, max} as yyyy-MM-dd; enum {@code values}; boolean none.
 * Unknown fields are errors, so a misspelt constraint cannot silently disappear.
 */
public final class DatasetCatalog {
    public static final String RESOURCE = "/datasets.json";

    private static final Set<String> DATASET_FIELDS =
            Set.of("name", "description", "warehouse", "sql", "formats", "parameters");
    private static final Set<String> COMMON_FIELDS = Set.of("name", "type", "description", "required", "default");
    private static final Map<ParameterType, Set<String>> TYPE_FIELDS = Map.of(
            ParameterType.STRING, Set.of("pattern", "minLength", "maxLength"),
            ParameterType.INTEGER, Set.of("min", "max"),
            ParameterType.DECIMAL, Set.of("min", "max", "scale"),
            ParameterType.DATE, Set.of("min", "max"),
            ParameterType.ENUM, Set.of("values"),
            ParameterType.BOOLEAN, Set.of());

    private final Map<String, Dataset> datasets;

    private DatasetCatalog(Map<String, Dataset> datasets) {
        this.datasets = datasets;
    }

    /** The catalog of this function, loaded on first use (once per class loader) by {@link #load()}. */
    public static DatasetCatalog shared() {
        return Shared.CATALOG;
    }

    private static final class Shared {
        static final DatasetCatalog CATALOG = load();
    }

    /** Built-in catalog plus the {@code DATASET_CATALOG_FILE} override when set. */
    public static DatasetCatalog load() {
        return load(Env.get(AppConfig.DATASET_CATALOG_FILE));
    }

    /** Built-in catalog plus the given override file ({@code null}: none). */
    public static DatasetCatalog load(String overrideFile) {
        Map<String, Dataset> datasets = new LinkedHashMap<>();
        for (Dataset dataset : parse(readResource(), "built-in " + RESOURCE)) {
            datasets.put(dataset.name(), dataset);
        }
        if (overrideFile != null) {
            String source = AppConfig.DATASET_CATALOG_FILE + " " + overrideFile;
            String text;
            try {
                text = Files.readString(Path.of(overrideFile));
            } catch (IOException | RuntimeException e) {
                throw new CatalogException("Cannot read dataset catalog " + source + ": " + e, e);
            }
            for (Dataset dataset : parse(text, source)) {
                datasets.put(dataset.name(), dataset);
            }
        }
        return new DatasetCatalog(datasets);
    }

    /** A catalog of exactly the datasets in {@code json} (no built-in ones); for tests and tools. */
    public static DatasetCatalog of(String json, String source) {
        Map<String, Dataset> datasets = new LinkedHashMap<>();
        for (Dataset dataset : parse(json, source)) {
            datasets.put(dataset.name(), dataset);
        }
        return new DatasetCatalog(datasets);
    }

    public Optional<Dataset> get(String name) {
        return Optional.ofNullable(name == null ? null : datasets.get(name));
    }

    public Collection<Dataset> datasets() {
        return datasets.values();
    }

    public Set<String> names() {
        return datasets.keySet();
    }

    /** Body of {@code GET /datasets}: {@code {"datasets": [ {name, description, formats, parameters} ]}}. */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode array = root.putArray("datasets");
        datasets.values().forEach(dataset -> array.add(dataset.toJson()));
        return root;
    }

    private static String readResource() {
        try (InputStream in = DatasetCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new CatalogException("Built-in dataset catalog " + RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CatalogException("Cannot read built-in dataset catalog " + RESOURCE, e);
        }
    }

    static List<Dataset> parse(String text, String source) {
        JsonNode root;
        try {
            root = Json.parse(text);
        } catch (Json.MalformedJsonException e) {
            throw new CatalogException("Dataset catalog " + source + " is not valid JSON: " + e.getMessage());
        }
        if (!root.isObject() || !root.path("datasets").isArray()) {
            throw new CatalogException("Dataset catalog " + source + " must be an object with a \"datasets\" array");
        }
        if (root.size() != 1) {
            throw new CatalogException("Dataset catalog " + source + " has fields other than \"datasets\"");
        }
        List<Dataset> result = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        int index = 0;
        for (JsonNode node : root.get("datasets")) {
            String where = "Dataset catalog " + source + ", datasets[" + index + "]"
                    + (node.path("name").isTextual() ? " (" + node.get("name").textValue() + ")" : "");
            Dataset dataset;
            try {
                dataset = parseDataset(node);
            } catch (IllegalArgumentException e) {
                throw new CatalogException(where + ": " + e.getMessage());
            }
            if (!seen.add(dataset.name())) {
                throw new CatalogException(where + ": dataset defined twice in the same file");
            }
            result.add(dataset);
            index++;
        }
        return result;
    }

    private static Dataset parseDataset(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("must be an object");
        }
        checkFields(node, DATASET_FIELDS, "dataset");
        String name = requiredText(node, "name");
        String description = requiredText(node, "description");
        String warehouse = optionalText(node, "warehouse", Dataset.REDSHIFT);
        String sql = requiredText(node, "sql");

        Set<ExportFormat> formats = new LinkedHashSet<>();
        JsonNode formatNode = node.get("formats");
        if (formatNode == null) {
            formats.add(ExportFormat.CSV);
            formats.add(ExportFormat.PARQUET);
        } else {
            if (!formatNode.isArray() || formatNode.isEmpty()) {
                throw new IllegalArgumentException("\"formats\" must be a non-empty array");
            }
            for (JsonNode f : formatNode) {
                ExportFormat format = ExportFormat.fromName(f.isTextual() ? f.textValue() : null);
                if (format == null) {
                    throw new IllegalArgumentException("unknown format " + f);
                }
                formats.add(format);
            }
        }

        List<ParameterSpec> parameters = new ArrayList<>();
        JsonNode parameterNode = node.get("parameters");
        if (parameterNode != null) {
            if (!parameterNode.isArray()) {
                throw new IllegalArgumentException("\"parameters\" must be an array");
            }
            for (JsonNode p : parameterNode) {
                parameters.add(parseParameter(p));
            }
        }
        return new Dataset(name, description, warehouse, sql, parameters, formats);
    }

    private static ParameterSpec parseParameter(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("each parameter must be an object");
        }
        String name = requiredText(node, "name");
        try {
            String typeName = requiredText(node, "type");
            ParameterType type = ParameterType.fromJsonName(typeName);
            if (type == null) {
                throw new IllegalArgumentException("unknown type \"" + typeName
                        + "\" (string, integer, decimal, date, enum, boolean)");
            }
            Set<String> allowed = new LinkedHashSet<>(COMMON_FIELDS);
            allowed.addAll(TYPE_FIELDS.get(type));
            checkFields(node, allowed, type.jsonName() + " parameter");
            String description = optionalText(node, "description", "");
            boolean required = optionalBoolean(node, "required");
            ParameterSpec spec;
            switch (type) {
                case STRING:
                    spec = new StringParameter(name, description, required, optionalText(node, "pattern", null),
                            optionalInt(node, "minLength"), optionalInt(node, "maxLength"));
                    break;
                case INTEGER:
                    spec = new IntegerParameter(name, description, required,
                            optionalLong(node, "min"), optionalLong(node, "max"));
                    break;
                case DECIMAL:
                    spec = new DecimalParameter(name, description, required, optionalDecimal(node, "min"),
                            optionalDecimal(node, "max"), optionalInt(node, "scale"));
                    break;
                case DATE:
                    spec = new DateParameter(name, description, required,
                            optionalDate(node, "min"), optionalDate(node, "max"));
                    break;
                case ENUM:
                    spec = new EnumParameter(name, description, required, textList(node, "values"));
                    break;
                case BOOLEAN:
                    spec = new BooleanParameter(name, description, required);
                    break;
                default:
                    throw new IllegalArgumentException("unhandled type " + type);
            }
            JsonNode defaultValue = node.get("default");
            if (defaultValue != null && !defaultValue.isNull()) {
                spec.setDefault(defaultValue);
            }
            return spec;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter '" + name + "': " + e.getMessage());
        }
    }

    private static void checkFields(JsonNode node, Set<String> allowed, String what) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!allowed.contains(field.getKey())) {
                throw new IllegalArgumentException("unknown field \"" + field.getKey() + "\" for a " + what
                        + " (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-empty string");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String field, String defaultValue) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return value.textValue();
    }

    private static boolean optionalBoolean(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("\"" + field + "\" must be true or false");
        }
        return value.booleanValue();
    }

    private static Integer optionalInt(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an integer");
        }
        return value.intValue();
    }

    private static Long optionalLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an integer");
        }
        return value.longValue();
    }

    private static BigDecimal optionalDecimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a number");
        }
        return value.decimalValue();
    }

    private static LocalDate optionalDate(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        LocalDate date = value.isTextual() ? DateParameter.parseIsoDate(value.textValue()) : null;
        if (date == null) {
            throw new IllegalArgumentException("\"" + field + "\" must be a date written yyyy-MM-dd");
        }
        return date;
    }

    private static List<String> textList(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
            }
            items.add(item.textValue());
        }
        return items;
    }
}
