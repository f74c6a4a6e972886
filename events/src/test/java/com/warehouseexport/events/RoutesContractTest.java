package com.warehouseexport.events;

import static com.warehouseexport.events.SamTemplate.list;
import static com.warehouseexport.events.SamTemplate.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.events.SamTemplate.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** template.yaml's API routes, docs/openapi.yaml and the API fixtures describe the same API. */
class RoutesContractTest {

    /** Routes without SigV4: the emailed download link, opened in a browser (its HMAC token authorises it). */
    static final Set<Route> PUBLIC_ROUTES = Set.of(new Route("GET", "/links/{token}"));

    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final SamTemplate template = SamTemplate.load(ProjectFiles.template());
    private final Map<String, Object> openApi = CloudFormationYaml.load(ProjectFiles.openApi());

    @Test
    void templateRoutesAreExactlyTheOpenApiOperations() {
        Set<Route> templateRoutes = template.apiRoutes().keySet();
        System.out.println("template routes: " + templateRoutes);
        assertEquals(9, templateRoutes.size(), "routes on the design page");
        assertEquals(new TreeSet<>(templateRoutes), new TreeSet<>(openApiOperations().keySet()));
    }

    @Test
    void everyTemplateRouteHasExactlyOneFixture() {
        Map<Route, Path> fixtures = new TreeMap<>();
        for (Path fixture : ProjectFiles.apiFixtures()) {
            APIGatewayProxyRequestEvent event = LambdaRuntimeJson.read(fixture, APIGatewayProxyRequestEvent.class);
            Path previous = fixtures.put(new Route(event.getHttpMethod(), event.getResource()), fixture);
            assertTrue(previous == null, fixture + " repeats the route of " + previous);
        }
        assertEquals(new TreeSet<>(template.apiRoutes().keySet()), new TreeSet<>(fixtures.keySet()));
    }

    @Test
    void fixturesUseTheTemplateStage() {
        Object stage = template.properties("ExportApi").get("StageName");
        for (Path fixture : ProjectFiles.apiFixtures()) {
            APIGatewayProxyRequestEvent event = LambdaRuntimeJson.read(fixture, APIGatewayProxyRequestEvent.class);
            assertEquals(stage, event.getRequestContext().getStage(), fixture.toString());
        }
    }

    @Test
    void everyRouteRequiresSigV4() {
        Map<String, Object> auth = map(template.properties("ExportApi").get("Auth"));
        assertEquals("AWS_IAM", auth.get("DefaultAuthorizer"));
        // CALLER_CREDENTIALS (SAM's default for AWS_IAM) would need lambda:InvokeFunction on every partner.
        assertEquals("NONE", auth.get("InvokeRole"));
        for (String functionId : template.functionIds()) {
            template.eventsOfType(functionId, "Api").forEach((name, properties) -> {
                Object authorizer = map(properties.get("Auth")).get("Authorizer");
                Route route = new Route(((String) properties.get("Method")).toUpperCase(Locale.ROOT),
                        (String) properties.get("Path"));
                if (PUBLIC_ROUTES.contains(route)) {
                    // opened in a browser: an API without authorizer or API keys, so ApiKeyRequired never reaches it
                    assertEquals(Map.of("Ref", "DownloadLinksApi"), properties.get("RestApiId"), route.toString());
                    assertEquals(null, authorizer, route + " is opened in a browser");
                    assertEquals(null, template.properties("DownloadLinksApi").get("Auth"), "DownloadLinksApi Auth");
                } else {
                    assertEquals(Map.of("Ref", "ExportApi"), properties.get("RestApiId"), functionId + "." + name);
                    assertTrue(authorizer == null || authorizer.equals("AWS_IAM"),
                            functionId + "." + name + " overrides the authorizer with " + authorizer);
                }
            });
        }

        Map<String, Object> scheme = map(map(map(openApi.get("components")).get("securitySchemes")).get("sigv4"));
        assertEquals("apiKey", scheme.get("type"));
        assertEquals("Authorization", scheme.get("name"));
        assertEquals("header", scheme.get("in"));
        assertEquals("awsSigv4", scheme.get("x-amazon-apigateway-authtype"));
        assertEquals(List.of(Map.of("sigv4", List.of())), openApi.get("security"), "global security");
        openApiOperations().forEach((route, operation) -> {
            if (PUBLIC_ROUTES.contains(route)) {
                assertEquals(List.of(), operation.get("security"), route + " is documented without SigV4");
            } else {
                assertFalse(operation.containsKey("security"), route + " overrides the global security");
            }
        });
    }

    @Test
    void fixturesCarryWhatTheirOpenApiOperationRequires() throws Exception {
        Map<Route, Map<String, Object>> operations = openApiOperations();
        ObjectMapper json = new ObjectMapper();
        for (Path fixture : ProjectFiles.apiFixtures()) {
            APIGatewayProxyRequestEvent event = LambdaRuntimeJson.read(fixture, APIGatewayProxyRequestEvent.class);
            Route route = new Route(event.getHttpMethod(), event.getResource());
            Map<String, Object> operation = operations.get(route);
            assertNotNull(operation, fixture + ": " + route + " is not in openapi.yaml");

            for (Map<String, Object> parameter : parameters(route)) {
                if (!Boolean.TRUE.equals(parameter.get("required"))) {
                    continue;
                }
                String name = (String) parameter.get("name");
                switch ((String) parameter.get("in")) {
                    case "path" -> assertNotNull(event.getPathParameters().get(name), fixture + ": path " + name);
                    case "header" -> assertTrue(event.getHeaders().keySet().stream().anyMatch(name::equalsIgnoreCase),
                            fixture + ": header " + name);
                    default -> throw new AssertionError("unexpected parameter location in " + parameter);
                }
            }

            Map<String, Object> requestBody = map(operation.get("requestBody"));
            if (!requestBody.isEmpty()) {
                Map<String, Object> schema = resolve(map(map(map(requestBody.get("content"))
                        .get("application/json")).get("schema")));
                JsonNode body = json.readTree(event.getBody());
                for (Object required : list(schema.get("required"))) {
                    assertTrue(body.has((String) required), fixture + ": body lacks " + required);
                }
                Map<String, Object> properties = map(schema.get("properties"));
                if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
                    body.fieldNames().forEachRemaining(field ->
                            assertTrue(properties.containsKey(field), fixture + ": body field " + field));
                }
                properties.forEach((field, fieldSchema) -> {
                    List<Object> allowed = list(resolve(map(fieldSchema)).get("enum"));
                    if (!allowed.isEmpty() && body.has(field)) {
                        assertTrue(allowed.contains(body.get(field).asText()), fixture + ": " + field);
                    }
                });
            }
        }
    }

    @Test
    void openApiStatesAreTheDesignStates() {
        Map<String, Object> state = map(map(map(openApi.get("components")).get("schemas")).get("ExportState"));
        List<String> designStates = DesignPage.load(ProjectFiles.designPage()).states();
        assertEquals(8, designStates.size(), "states on the design page: " + designStates);
        assertEquals(designStates, state.get("enum"));
    }

    /** Operations of openapi.yaml by route. */
    private Map<Route, Map<String, Object>> openApiOperations() {
        Map<Route, Map<String, Object>> operations = new TreeMap<>();
        map(openApi.get("paths")).forEach((path, item) -> map(item).forEach((key, operation) -> {
            if (HTTP_METHODS.contains(key)) {
                operations.put(new Route(key.toUpperCase(Locale.ROOT), path), map(operation));
            }
        }));
        return operations;
    }

    /** Path-level and operation-level parameters of a route, references resolved. */
    private List<Map<String, Object>> parameters(Route route) {
        Map<String, Object> pathItem = map(map(openApi.get("paths")).get(route.path()));
        List<Map<String, Object>> parameters = new ArrayList<>();
        for (Object parameter : list(pathItem.get("parameters"))) {
            parameters.add(resolve(map(parameter)));
        }
        for (Object parameter : list(map(pathItem.get(route.method().toLowerCase(Locale.ROOT))).get("parameters"))) {
            parameters.add(resolve(map(parameter)));
        }
        return parameters;
    }

    /** Follows a local {@code $ref} ("#/components/..."). */
    private Map<String, Object> resolve(Map<String, Object> node) {
        Object ref = node.get("$ref");
        if (ref == null) {
            return node;
        }
        Map<String, Object> target = openApi;
        for (String segment : ((String) ref).substring(2).split("/")) {
            target = map(target.get(segment));
        }
        assertFalse(target.isEmpty(), "unresolved " + ref);
        return resolve(target);
    }
}
