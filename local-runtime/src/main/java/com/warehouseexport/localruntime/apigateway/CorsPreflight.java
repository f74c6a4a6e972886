package com.warehouseexport.localruntime.apigateway;

import com.warehouseexport.localruntime.template.ApiSettings.Cors;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The OPTIONS method SAM adds to every resource of an API with {@code Cors}: a mock integration, without
 * authorization or API key (with {@code AddDefaultAuthorizerToCorsPreflight} and
 * {@code AddApiKeyRequiredToCorsPreflight} false), answering 200 with the configured headers whatever the
 * request's Origin. A resource's own OPTIONS route takes precedence (the gateway only asks here when the
 * resource has none).
 */
final class CorsPreflight {
    private static final List<String> ALL_METHODS = List.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST",
        "PUT");

    private CorsPreflight() {
    }

    static ProxyEvents.Response answer(RouteTable.Resource resource) {
        Cors cors = resource.api().settings().cors();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Access-Control-Allow-Origin", List.of(cors.allowOrigin()));
        headers.put("Access-Control-Allow-Methods", List.of(cors.allowMethods() != null ? cors.allowMethods()
            : defaultMethods(resource.methods())));
        if (cors.allowHeaders() != null) {
            headers.put("Access-Control-Allow-Headers", List.of(cors.allowHeaders()));
        }
        if (cors.maxAge() != null) {
            headers.put("Access-Control-Max-Age", List.of(cors.maxAge()));
        }
        if (cors.allowCredentials()) {
            headers.put("Access-Control-Allow-Credentials", List.of("true"));
        }
        return new ProxyEvents.Response(200, headers, "{}".getBytes(StandardCharsets.UTF_8));
    }

    /** SAM's default: the resource's methods and OPTIONS, sorted, comma-separated (ANY stands for all). */
    static String defaultMethods(List<String> methods) {
        TreeSet<String> allowed = new TreeSet<>();
        allowed.add("OPTIONS");
        for (String method : methods) {
            if (method.equals("ANY")) {
                allowed.addAll(ALL_METHODS);
            } else {
                allowed.add(method);
            }
        }
        return String.join(",", allowed);
    }
}
