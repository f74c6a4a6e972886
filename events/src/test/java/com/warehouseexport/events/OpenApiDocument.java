package com.warehouseexport.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import com.warehouseexport.events.SamTemplate.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * docs/openapi.yaml as a Jackson tree: its operations, responses and examples, local {@code $ref}s resolved, and
 * validation of a JSON value against any schema of the document with the OpenAPI 3.0 dialect.
 */
final class OpenApiDocument {

    /** One media type object (request body or response content) and where it is in the document. */
    record MediaType(String pointer, JsonNode node) {
        String schemaPointer() {
            return pointer + "/schema";
        }

        /** Its examples by name; a single {@code example} is named "example". */
        Map<String, JsonNode> examples() {
            Map<String, JsonNode> examples = new LinkedHashMap<>();
            if (node.has("example")) {
                examples.put("example", node.get("example"));
            }
            node.path("examples").properties().forEach(e -> examples.put(e.getKey(), e.getValue().get("value")));
            return examples;
        }
    }

    /** A response of an operation: its status, the component it refers to (if any) and the resolved object. */
    record Response(Route route, String status, String component, String pointer, JsonNode node) {
        MediaType json() {
            String contentPointer = pointer + "/content/" + escape("application/json");
            return new MediaType(contentPointer, node.path("content").path("application/json"));
        }
    }

    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    /** The document is handed to the validator under this made-up address, so schemas can name their place in it. */
    private static final String ADDRESS = "https://warehouse-export.invalid/docs/openapi.json";

    private final JsonNode root;
    private final JsonSchemaFactory factory;
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private OpenApiDocument(JsonNode root) {
        this.root = root;
        JsonMetaSchema dialect = OpenApi30.getInstance();
        String json;
        try {
            json = new ObjectMapper().writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4, builder -> builder
                .metaSchema(dialect)
                .defaultMetaSchemaIri(dialect.getIri())
                .schemaLoaders(loaders -> loaders.schemas(Map.of(ADDRESS, json))));
    }

    static OpenApiDocument load() {
        try {
            // Jackson's YAML reader keeps unquoted dates as text, unlike SnakeYAML's default constructor.
            return new OpenApiDocument(new YAMLMapper().readTree(ProjectFiles.openApi().toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode root() {
        return root;
    }

    JsonNode at(String pointer) {
        JsonNode node = root.at(pointer);
        if (node.isMissingNode()) {
            throw new AssertionError("openapi.yaml has nothing at " + pointer);
        }
        return node;
    }

    /** Follows local {@code $ref}s until a node without one. */
    JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            node = at(refPointer(node));
        }
        return node;
    }

    /** Where a {@code $ref} points: "#/components/schemas/X" becomes "/components/schemas/X". */
    static String refPointer(JsonNode node) {
        String ref = node.get("$ref").asText();
        if (!ref.startsWith("#/")) {
            throw new AssertionError("only local references are expected: " + ref);
        }
        return ref.substring(1);
    }

    /** Operations by route ("POST /exports"), with their JSON pointer. */
    Map<Route, String> operations() {
        Map<Route, String> operations = new TreeMap<>();
        root.path("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(key -> {
            if (HTTP_METHODS.contains(key)) {
                operations.put(new Route(key.toUpperCase(Locale.ROOT), path.getKey()),
                        "/paths/" + escape(path.getKey()) + "/" + key);
            }
        }));
        return operations;
    }

    /** Every response of every operation, references resolved. */
    List<Response> responses() {
        List<Response> responses = new ArrayList<>();
        operations().forEach((route, operationPointer) ->
                at(operationPointer).path("responses").properties().forEach(entry -> {
                    JsonNode response = entry.getValue();
                    String pointer = operationPointer + "/responses/" + entry.getKey();
                    String component = null;
                    if (response.has("$ref")) {
                        pointer = refPointer(response);
                        component = pointer.substring(pointer.lastIndexOf('/') + 1);
                    }
                    responses.add(new Response(route, entry.getKey(), component, pointer, resolve(response)));
                }));
        return responses;
    }

    /** The response of an operation for a status. */
    Response response(Route route, String status) {
        return responses().stream()
                .filter(r -> r.route().equals(route) && r.status().equals(status))
                .findFirst()
                .orElseThrow(() -> new AssertionError(route + " documents no " + status + " response"));
    }

    /**
     * Every media type with a schema: request bodies and responses of the operations, and the responses of
     * {@code components} (each once, under its own place).
     */
    List<MediaType> mediaTypes() {
        List<MediaType> media = new ArrayList<>();
        operations().forEach((route, pointer) -> {
            addMedia(media, pointer + "/requestBody/content");
            at(pointer).path("responses").properties().forEach(response -> {
                if (!response.getValue().has("$ref")) {
                    addMedia(media, pointer + "/responses/" + response.getKey() + "/content");
                }
            });
        });
        root.path("components").path("responses").fieldNames().forEachRemaining(name ->
                addMedia(media, "/components/responses/" + name + "/content"));
        return media;
    }

    private void addMedia(List<MediaType> media, String contentPointer) {
        root.at(contentPointer).properties().forEach(entry -> {
            if (entry.getValue().has("schema")) {
                media.add(new MediaType(contentPointer + "/" + escape(entry.getKey()), entry.getValue()));
            }
        });
    }

    /** Validation problems of {@code value} against the schema at {@code pointer}; empty when it is valid. */
    Set<ValidationMessage> validate(String pointer, JsonNode value) {
        JsonSchema schema = schemas.computeIfAbsent(pointer,
                p -> factory.getSchema(SchemaLocation.of(ADDRESS + "#" + p)));
        return schema.validate(value);
    }

    /** JSON Pointer escaping of one key ("/exports" becomes "~1exports"). */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
