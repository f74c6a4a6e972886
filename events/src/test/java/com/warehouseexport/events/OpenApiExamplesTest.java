package com.warehouseexport.events;

import static com.warehouseexport.events.JsonShapes.assertSameJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import com.warehouseexport.events.OpenApiDocument.MediaType;
import com.warehouseexport.events.SamTemplate.Route;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.FieldError;
import com.warehouseexport.model.catalog.Validation;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.domain.StatusEvent;
import com.warehouseexport.model.domain.Timestamps;
import com.warehouseexport.model.json.ApiResponses;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.json.RequestViews;
import com.warehouseexport.receiver.ExportOrderReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml against the code, without running a handler: every example validates against its schema,
 * the success examples are what {@link RequestViews} and the catalog write for the same values, and the error
 * codes are exactly those the code uses.
 */
class OpenApiExamplesTest {

    /** Answered only for a null event, which API Gateway never sends: not part of the partner contract. */
    private static final Set<String> UNREACHABLE_BEHIND_API_GATEWAY = Set.of("invalid_request");
    private static final String OWNER = "arn:aws:iam::000000000000:user/partner-a";
    private static final Route GET_EXPORT = new Route("GET", "/exports/{id}");
    private static final Route GET_HISTORY = new Route("GET", "/exports/{id}/history");
    private static final Route GET_DATASETS = new Route("GET", "/datasets");
    private static final Route GET_PRODUCT = new Route("GET", "/product");

    private final OpenApiDocument doc = OpenApiDocument.load();
    private final DatasetCatalog catalog = DatasetCatalog.load((String) null);

    @Test
    void everyExampleValidatesAgainstItsSchema() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (MediaType media : doc.mediaTypes()) {
            for (Map.Entry<String, JsonNode> example : media.examples().entrySet()) {
                checked++;
                Set<ValidationMessage> messages = doc.validate(media.schemaPointer(), example.getValue());
                if (!messages.isEmpty()) {
                    problems.add(media.pointer() + " example " + example.getKey() + ": " + messages);
                }
            }
        }
        for (Map.Entry<String, JsonNode> example : schemaExamples().entrySet()) {
            checked++;
            Set<ValidationMessage> messages = doc.validate(example.getKey(), example.getValue());
            if (!messages.isEmpty()) {
                problems.add(example.getKey() + " example: " + messages);
            }
        }
        System.out.println("examples validated against their schemas: " + checked);
        assertEquals(List.of(), problems);
        assertTrue(checked >= 40, "examples found: " + checked);
    }

    @Test
    void theValidatorRejectsWhatTheSchemasForbid() {
        // Guards the test above against a validator set up to accept anything.
        assertFalse(doc.validate("/components/schemas/NotFoundError",
                Json.parse("{\"error\":\"gone\",\"message\":\"x\"}")).isEmpty(), "enum");
        assertFalse(doc.validate("/components/schemas/InvalidParameterError",
                Json.parse("{\"error\":\"invalid_parameter\",\"message\":\"x\"}")).isEmpty(), "required");
        assertFalse(doc.validate("/components/schemas/Timestamp", Json.parse("\"2026-11-21T14:12:00Z\"")).isEmpty(),
                "pattern");
        assertFalse(doc.validate("/components/schemas/GatewayError",
                Json.parse("{\"error\":\"forbidden\",\"message\":\"x\"}")).isEmpty(), "additionalProperties");
        assertFalse(doc.validate("/components/schemas/ExportRequest",
                Json.parse("{\"dataset\":\"product_detail\",\"extra\":1}")).isEmpty(), "unknown request field");
    }

    @Test
    void theDatasetsExampleIsTheBuiltInCatalog() {
        assertSameJson(doc.response(GET_DATASETS, "200").json().examples().get("example"), catalog.toJson(),
                "GET /datasets");
    }

    @Test
    void statusExamplesAreWhatRequestViewsWrites() {
        Map<String, JsonNode> examples = doc.response(GET_EXPORT, "200").json().examples();
        assertTrue(examples.keySet().containsAll(List.of("queued", "succeeded", "failed")), examples.keySet().toString());
        examples.forEach((name, example) ->
                assertSameJson(example, RequestViews.status(requestFrom(example)), "GET /exports/{id} " + name));
    }

    @Test
    void historyExampleIsWhatRequestViewsWrites() {
        JsonNode example = doc.response(GET_HISTORY, "200").json().examples().get("example");
        assertSameJson(example, historyFrom(example), "GET /exports/{id}/history");
    }

    @Test
    void productExamplesAreTheStatusAndHistoryWithTheHeadersRequestId() {
        Map<String, JsonNode> examples = doc.response(GET_PRODUCT, "200").json().examples();
        assertEquals(Set.of("latest", "all"), examples.keySet());
        examples.forEach((name, example) -> {
            ObjectNode rest = example.deepCopy();
            JsonNode requestId = rest.remove("RequestId");
            assertEquals(example.get("requestId"), requestId, name);
            JsonNode expected = name.equals("all") ? historyFrom(rest) : RequestViews.status(requestFrom(rest));
            assertSameJson(rest, expected, "GET /product " + name + " without RequestId");
        });
    }

    @Test
    void documentedErrorCodesAreExactlyTheCodesOfTheCode() {
        Map<String, Integer> inCode = new TreeMap<>(SourceCodes.apiErrorCodes());
        System.out.println("error codes in the code: " + inCode);
        // Made by factories, whose status is not written next to the code.
        resolveStatus(inCode, "invalid_parameter",
                ApiResponses.invalidParameters(List.of(new FieldError("sku", "too_long", "x"))).statusCode());
        resolveStatus(inCode, "not_found", ApiResponses.notFound("x").statusCode());
        inCode.forEach((code, status) ->
                assertNotEquals(SourceCodes.UNKNOWN_STATUS, status, "status of " + code + " not found"));
        assertTrue(inCode.size() >= 15, "the scan found the codes: " + inCode);
        inCode.keySet().removeAll(UNREACHABLE_BEHIND_API_GATEWAY);

        Map<String, Set<Integer>> documented = documentedErrorCodes();
        assertEquals(inCode.keySet(), documented.keySet(), "error codes: code vs openapi.yaml");
        inCode.forEach((code, status) ->
                assertEquals(Set.of(status), documented.get(code), "statuses documented for " + code));
    }

    @Test
    void documentedFieldCodesAreExactlyTheCodesOfTheCode() {
        List<String> inCode = SourceCodes.fieldErrorCodes();
        System.out.println("field error codes in the code: " + inCode);
        assertTrue(inCode.size() >= 10, "the scan found the codes: " + inCode);
        List<String> documented = new ArrayList<>();
        doc.at("/components/schemas/FieldError/properties/code/enum").forEach(code -> documented.add(code.asText()));
        assertEquals(inCode, documented.stream().sorted().toList());
    }

    @Test
    void productRequestChecksWhatTheReaderChecks() {
        JsonNode sku = catalog.get(ExportOrderReader.PRODUCT_DATASET).orElseThrow().parameter("sku").toJsonSchema();
        JsonNode schema = doc.at("/components/schemas/ProductRequest");
        JsonNode documentedSku = schema.at("/properties/sku");
        assertEquals(sku.get("pattern"), documentedSku.get("pattern"));
        assertEquals(sku.get("maxLength").asInt(), documentedSku.get("maxLength").asInt());
        assertEquals(ExportOrderReader.MAX_PRODUCT_NAME_LENGTH, schema.at("/properties/productname/maxLength").asInt());
        assertEquals(Json.parse("[\"sku\"]"), schema.get("required"));
    }

    @Test
    void requestSchemasAllowTheFieldsTheUnknownFieldExamplesName() {
        // The handler test proves these messages are the code's; here they must match the schemas.
        assertEquals(allowedFields("ExportBadRequest"), propertyNames("ExportRequest"));
        assertEquals(allowedFields("ProductBadRequest"), propertyNames("ProductRequest"));
    }

    @Test
    void theBodyLimitIsTheReadersLimit() {
        String description = doc.at("/components/responses/BodyTooLarge/description").asText();
        assertTrue(description.contains(String.format(java.util.Locale.ROOT, "%,d", ExportOrderReader.MAX_BODY_BYTES)), description);
    }

    /** {@code example}s of schemas and parameters, by the pointer of the schema they illustrate. */
    private Map<String, JsonNode> schemaExamples() {
        Map<String, JsonNode> examples = new TreeMap<>();
        collectSchemaExamples("/components/schemas", doc.at("/components/schemas"), examples);
        doc.at("/components/parameters").properties().forEach(parameter -> {
            if (parameter.getValue().has("example")) {
                examples.put("/components/parameters/" + parameter.getKey() + "/schema", parameter.getValue().get("example"));
            }
        });
        doc.operations().forEach((route, pointer) -> {
            JsonNode parameters = doc.at(pointer).path("parameters");
            for (int i = 0; i < parameters.size(); i++) {
                if (parameters.get(i).has("example")) {
                    examples.put(pointer + "/parameters/" + i + "/schema", parameters.get(i).get("example"));
                }
            }
        });
        return examples;
    }

    private static void collectSchemaExamples(String pointer, JsonNode node, Map<String, JsonNode> examples) {
        if (node.has("example")) {
            examples.put(pointer, node.get("example"));
        }
        node.properties().forEach(child -> {
            if (!child.getKey().equals("example") && child.getValue().isContainerNode()) {
                collectSchemaExamples(pointer + "/" + OpenApiDocument.escape(child.getKey()), child.getValue(), examples);
            }
        });
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectSchemaExamples(pointer + "/" + i, node.get(i), examples);
            }
        }
    }

    /** Codes in the {@code error} enums of every response's schema, with the statuses they are documented under. */
    private Map<String, Set<Integer>> documentedErrorCodes() {
        Map<String, Set<Integer>> codes = new TreeMap<>();
        for (OpenApiDocument.Response response : doc.responses()) {
            JsonNode schema = response.json().node().path("schema");
            for (String code : errorEnum(schema)) {
                codes.computeIfAbsent(code, c -> new TreeSet<>()).add(Integer.parseInt(response.status()));
            }
        }
        return codes;
    }

    private List<String> errorEnum(JsonNode schema) {
        if (schema.isMissingNode()) {
            return List.of();
        }
        JsonNode resolved = doc.resolve(schema);
        List<String> codes = new ArrayList<>();
        resolved.at("/properties/error/enum").forEach(code -> codes.add(code.asText()));
        for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
            resolved.path(combinator).forEach(part -> codes.addAll(errorEnum(part)));
        }
        return codes;
    }

    private static void resolveStatus(Map<String, Integer> codes, String code, int status) {
        Integer scanned = codes.get(code);
        assertTrue(scanned != null, code + " not found in the code");
        assertTrue(scanned == SourceCodes.UNKNOWN_STATUS || scanned == status, code + ": " + scanned + " vs " + status);
        codes.put(code, status);
    }

    private Set<String> allowedFields(String response) {
        String message = doc.at("/components/responses/" + response
                + "/content/application~1json/examples/unknown_field/value/message").asText();
        Matcher allowed = Pattern.compile("allowed fields: (.*)$").matcher(message);
        assertTrue(allowed.find(), message);
        return new TreeSet<>(Arrays.asList(allowed.group(1).split(", ")));
    }

    private Set<String> propertyNames(String schema) {
        Set<String> names = new TreeSet<>();
        doc.at("/components/schemas/" + schema + "/properties").fieldNames().forEachRemaining(names::add);
        assertEquals(false, doc.at("/components/schemas/" + schema + "/additionalProperties").asBoolean(true),
                schema + " rejects unknown fields, as the code does");
        return names;
    }

    /** The stored request an example describes (owner and version are not shown, so any will do). */
    private ExportRequest requestFrom(JsonNode example) {
        Dataset dataset = catalog.get(example.get("dataset").asText()).orElseThrow();
        Validation parameters = dataset.validate(example.get("parameters"));
        assertTrue(parameters.isValid(), parameters.errors().toString());
        ExportResult result = null;
        if (example.has("result")) {
            JsonNode r = example.get("result");
            result = new ExportResult(r.get("rows").asLong(), r.get("bytes").asLong(), format(r.get("format")),
                    r.get("parts").asInt(), r.path("downloadUrl").asText(null),
                    r.has("expiresAt") ? Timestamps.parse(r.get("expiresAt").asText()) : null, null);
        }
        ExportError error = example.has("error")
                ? new ExportError(example.at("/error/code").asText(), example.at("/error/message").asText())
                : null;
        return new ExportRequest(example.get("requestId").asText(), OWNER, dataset.name(), parameters.parameters(),
                format(example.get("format")), RequestState.parse(example.get("status").asText()), 1,
                Timestamps.parse(example.get("createdAt").asText()), Timestamps.parse(example.get("updatedAt").asText()),
                null, result, error);
    }

    private static JsonNode historyFrom(JsonNode example) {
        List<StatusEvent> events = new ArrayList<>();
        for (JsonNode event : example.get("events")) {
            events.add(new StatusEvent(RequestState.parse(event.get("status").asText()),
                    Timestamps.parse(event.get("at").asText()), events.size() + 1L, event.path("detail").asText(null)));
        }
        return RequestViews.history(example.get("requestId").asText(), events);
    }

    private static ExportFormat format(JsonNode name) {
        ExportFormat format = ExportFormat.fromName(name.asText());
        assertTrue(format != null && format.apiName().equals(name.asText()), "format " + name);
        return format;
    }
}
