package com.warehouseexport.events;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Read-only view of template.yaml: its functions, their events, environment and the resources they use. */
final class SamTemplate {

    /** One {@code Api} event of a function: HTTP method (upper case) and resource path. */
    record Route(String method, String path) implements Comparable<Route> {
        @Override
        public int compareTo(Route other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private final Map<String, Object> root;

    private SamTemplate(Map<String, Object> root) {
        this.root = root;
    }

    static SamTemplate load(Path file) {
        return new SamTemplate(CloudFormationYaml.load(file));
    }

    Map<String, Object> resources() {
        return map(root.get("Resources"));
    }

    Map<String, Object> resource(String logicalId) {
        Map<String, Object> resource = map(resources().get(logicalId));
        if (resource.isEmpty()) {
            throw new AssertionError("template has no resource " + logicalId);
        }
        return resource;
    }

    Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).get("Properties"));
    }

    Map<String, Object> parameters() {
        return map(root.get("Parameters"));
    }

    /** Logical ids of the AWS::Serverless::Function resources, in template order. */
    List<String> functionIds() {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, resource) -> {
            if ("AWS::Serverless::Function".equals(map(resource).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    Map<String, Object> functionGlobals() {
        return map(map(root.get("Globals")).get("Function"));
    }

    /** A function property, falling back to Globals.Function as SAM does. */
    Object functionProperty(String functionId, String property) {
        Object own = properties(functionId).get(property);
        return own != null ? own : functionGlobals().get(property);
    }

    /** The environment a function gets: Globals.Function variables merged with its own. */
    Map<String, Object> environment(String functionId) {
        Map<String, Object> variables = new TreeMap<>(environmentOf(functionGlobals()));
        variables.putAll(environmentOf(properties(functionId)));
        return variables;
    }

    /** Events of a function by name. */
    Map<String, Map<String, Object>> events(String functionId) {
        Map<String, Map<String, Object>> events = new LinkedHashMap<>();
        map(properties(functionId).get("Events")).forEach((name, event) -> events.put(name, map(event)));
        return events;
    }

    Map<String, Map<String, Object>> eventsOfType(String functionId, String type) {
        Map<String, Map<String, Object>> matching = new LinkedHashMap<>();
        events(functionId).forEach((name, event) -> {
            if (type.equals(event.get("Type"))) {
                matching.put(name, map(event.get("Properties")));
            }
        });
        return matching;
    }

    /** Every Api route of every function, with the function that serves it. */
    Map<Route, String> apiRoutes() {
        Map<Route, String> routes = new TreeMap<>();
        for (String functionId : functionIds()) {
            eventsOfType(functionId, "Api").forEach((name, properties) -> {
                Route route = new Route(
                        String.valueOf(properties.get("Method")).toUpperCase(Locale.ROOT),
                        String.valueOf(properties.get("Path")));
                String previous = routes.put(route, functionId);
                if (previous != null) {
                    throw new AssertionError(route + " is served by both " + previous + " and " + functionId);
                }
            });
        }
        return routes;
    }

    private static Map<String, Object> environmentOf(Map<String, Object> functionProperties) {
        return map(map(functionProperties.get("Environment")).get("Variables"));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
