package com.warehouseexport.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.DateParameter;
import com.warehouseexport.model.catalog.FieldError;
import com.warehouseexport.model.catalog.Validation;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.sql.TextRules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns a request body into an {@link ExportOrder}, or rejects it with a 4xx {@link ApiException} whose message
 * names the offending field. Checks everything before anything is written: JSON syntax, shape, unknown
 * fields, dataset, format and every parameter against the catalog.
 */
public final class ExportOrderReader {
    /** Far above any legitimate order; bounds the parsing work of a hostile body (UTF-8 bytes, 64 KiB). */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** The dataset {@code POST /product} exports (the seed API's single query). */
    public static final String PRODUCT_DATASET = "product_detail";
    public static final int MAX_PRODUCT_NAME_LENGTH = 50;

    // "wait" is read by WaitOption
    private static final List<String> EXPORT_FIELDS = List.of("dataset", "parameters", "format", "compression",
            WaitOption.FIELD);
    private static final List<String> PRODUCT_FIELDS = List.of("sku", "productname", "createdate");
    private static final int MAX_ECHO = 100;

    private final DatasetCatalog catalog;

    public ExportOrderReader(DatasetCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /**
     * {@code POST /exports}: {@code {"dataset": "...", "parameters": {...}, "format": "csv" | "parquet" | "json",
     * "compression": "none" | "gzip" | "zstd"}}.
     */
    public ExportOrder readExport(String body) {
        ObjectNode root = parseObject(body);
        rejectUnknownFields(root, EXPORT_FIELDS);
        String datasetName = requiredString(root, "dataset");
        Dataset dataset = catalog.get(datasetName).orElseThrow(() -> ApiException.badRequest("unknown_dataset",
                "Unknown dataset \"" + ApiException.shorten(datasetName, MAX_ECHO) + "\"; available: "
                        + String.join(", ", catalog.names())));
        ExportFormat format = format(root.get("format"), dataset);
        Compression compression = compression(root.get("compression"), format, dataset);
        Validation validation = dataset.validate(root.get("parameters"));
        if (!validation.isValid()) {
            throw ApiException.invalidParameters(validation.errors());
        }
        return new ExportOrder(dataset, validation.parameters(), format, null, compression);
    }

    /**
     * {@code POST /product} (seed API): {@code {"sku": "...", "productname": "...", "createdate": "yyyy-MM-dd"}},
     * a CSV export of dataset {@value #PRODUCT_DATASET}. The name and date only travel along for reference.
     */
    public ExportOrder readProduct(String body) {
        ObjectNode root = parseObject(body);
        rejectUnknownFields(root, PRODUCT_FIELDS);
        Dataset dataset = catalog.get(PRODUCT_DATASET).orElseThrow(() -> new IllegalStateException(
                "The dataset catalog has no " + PRODUCT_DATASET + " dataset, which POST /product exports"));

        List<FieldError> errors = new ArrayList<>();
        Map<String, JsonNode> parameters = new LinkedHashMap<>();
        parameters.put("sku", root.get("sku"));
        Validation validation = dataset.validate(parameters);
        errors.addAll(validation.errors());
        String productName = productName(root.get("productname"), errors);
        String createDate = createDate(root.get("createdate"), errors);
        if (!errors.isEmpty()) {
            throw ApiException.invalidParameters(errors);
        }
        return new ExportOrder(dataset, validation.parameters(), ExportFormat.CSV, productNote(productName, createDate));
    }

    private static ObjectNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("empty_body", "The request body is empty; send a JSON object");
        }
        if (body.length() > MAX_BODY_BYTES || utf8Length(body) > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        JsonNode root;
        try {
            root = Json.parseRequestBody(body);
        } catch (Json.MalformedJsonException e) {
            throw ApiException.badRequest("invalid_json", "The request body is not valid JSON: " + e.getMessage());
        }
        if (!root.isObject()) {
            throw ApiException.badRequest("invalid_body", "The request body must be a JSON object, not "
                    + describe(root));
        }
        return (ObjectNode) root;
    }

    /** 413 {@code body_too_large}; the same answer however the body arrived (plain, base64, lying Content-Length). */
    public static ApiException tooLarge() {
        return ApiException.of(413, "body_too_large", "The request body is larger than " + MAX_BODY_BYTES
                + " bytes (64 KiB)");
    }

    /** UTF-8 length without encoding: a lone surrogate counts as the 3 bytes of its replacement. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static void rejectUnknownFields(ObjectNode root, List<String> allowed) {
        List<String> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                unknown.add("\"" + ApiException.shorten(name, MAX_ECHO) + "\"");
            }
        });
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown_field", "Unknown field" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " in the request body; allowed fields: "
                    + String.join(", ", allowed));
        }
    }

    private static String requiredString(ObjectNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || value.isNull()) {
            throw ApiException.badRequest("missing_field", "Field \"" + field + "\" is required");
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("wrong_type", "Field \"" + field + "\" must be a string, not "
                    + describe(value));
        }
        return value.textValue();
    }

    private static ExportFormat format(JsonNode value, Dataset dataset) {
        String offered = dataset.formats().stream().map(ExportFormat::apiName).collect(Collectors.joining(", "));
        if (value == null || value.isNull()) {
            if (!dataset.formats().contains(ExportFormat.CSV)) {
                throw ApiException.badRequest("missing_field", "Field \"format\" is required for dataset "
                        + dataset.name() + "; one of: " + offered);
            }
            return ExportFormat.CSV;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("wrong_type", "Field \"format\" must be a string, not " + describe(value));
        }
        ExportFormat format = ExportFormat.fromName(value.textValue());
        if (format == null || !format.isSupported() || !dataset.formats().contains(format)) {
            throw ApiException.badRequest("invalid_format", "Field \"format\" must be one of: " + offered
                    + " (dataset " + dataset.name() + "), not \"" + ApiException.shorten(value.textValue(), MAX_ECHO)
                    + "\"");
        }
        return format;
    }

    /**
     * Absent or {@code "none"}: uncompressed. {@code gzip}/{@code zstd} only with CSV (Parquet compresses inside the
     * file; JSON is not offered compressed) and only for Redshift datasets: Athena's CSV result is a plain query's
     * file, which it cannot compress.
     */
    private static Compression compression(JsonNode value, ExportFormat format, Dataset dataset) {
        if (value == null || value.isNull()) {
            return Compression.NONE;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("wrong_type", "Field \"compression\" must be a string, not "
                    + describe(value));
        }
        Compression compression = Compression.fromApiName(value.textValue().toLowerCase(Locale.ROOT));
        if (compression == null) {
            throw ApiException.badRequest("invalid_format", "Field \"compression\" must be one of: "
                    + String.join(", ", Compression.apiNames()) + ", not \""
                    + ApiException.shorten(value.textValue(), MAX_ECHO) + "\"");
        }
        if (compression == Compression.NONE) {
            return compression;
        }
        if (format != ExportFormat.CSV) {
            throw ApiException.badRequest("invalid_format", "Field \"compression\": " + compression.apiName()
                    + " is offered with \"format\": \"csv\" only, not " + format.apiName()
                    + (format == ExportFormat.PARQUET ? " (Parquet files are compressed inside already)" : ""));
        }
        if (Dataset.ATHENA.equals(dataset.warehouse())) {
            throw ApiException.badRequest("invalid_format", "Field \"compression\": dataset " + dataset.name()
                    + " cannot be exported compressed; send \"none\" or leave the field out");
        }
        return compression;
    }

    private static String productName(JsonNode value, List<FieldError> errors) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError("productname", "wrong_type", "must be a string"));
            return null;
        }
        String text = value.textValue();
        if (text.length() > 2 * MAX_PRODUCT_NAME_LENGTH
                || text.codePointCount(0, text.length()) > MAX_PRODUCT_NAME_LENGTH) {
            errors.add(new FieldError("productname", "too_long",
                    "must be at most " + MAX_PRODUCT_NAME_LENGTH + " characters"));
            return null;
        }
        int bad = TextRules.firstForbidden(text);
        if (bad >= 0) {
            errors.add(new FieldError("productname", "invalid_characters",
                    "contains a control, non-printable or invalid character ("
                            + TextRules.describe(text.codePointAt(bad)) + ") at index " + bad));
            return null;
        }
        return text;
    }

    private static String createDate(JsonNode value, List<FieldError> errors) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError("createdate", "wrong_type", "must be a date string (yyyy-MM-dd)"));
            return null;
        }
        if (DateParameter.parseIsoDate(value.textValue()) == null) {
            errors.add(new FieldError("createdate", "invalid_date", "must be a valid date written yyyy-MM-dd"));
            return null;
        }
        return value.textValue();
    }

    private static String productNote(String productName, String createDate) {
        StringBuilder note = new StringBuilder("via POST /product");
        if (productName != null) {
            note.append("; productname: ").append(productName);
        }
        if (createDate != null) {
            note.append("; createdate: ").append(createDate);
        }
        return note.toString();
    }

    private static String describe(JsonNode node) {
        if (node.isArray()) {
            return "an array";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isTextual()) {
            return "a string";
        }
        return "null";
    }
}
