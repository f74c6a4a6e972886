package com.warehouseexport.localruntime.apigateway;

import com.warehouseexport.localruntime.template.ApiSettings.GatewayResponse;
import com.warehouseexport.localruntime.template.SamTemplate;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies an API's {@code GatewayResponses} to a response API Gateway makes itself: the entry of the error's own
 * type, else {@code DEFAULT_4XX}/{@code DEFAULT_5XX}; its StatusCode, its header mappings ({@code 'literal'} or
 * {@code method.request.header|querystring|path.name}) and its {@code application/json} template (with
 * {@code $context} variables). Never applied to the integration's own responses.
 */
final class GatewayResponses {
    private GatewayResponses() {
    }

    /** The request parts a header mapping may name. */
    record RequestValues(Map<String, List<String>> headers, Map<String, List<String>> query,
                         Map<String, String> pathParameters) {
    }

    static ProxyEvents.Response respond(SamTemplate.Api api, GatewayError error, RequestValues request,
                                        Map<String, String> context) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        if (error.errorType() != null) {
            headers.put("x-amzn-ErrorType", List.of(error.errorType()));
        }
        int status = error.status();
        byte[] body = error.body().getBytes(StandardCharsets.UTF_8);
        GatewayResponse response = api == null ? null : api.settings().gatewayResponses().get(error.responseType());
        if (response == null && api != null) {
            response = api.settings().gatewayResponses().get(error.status() >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX");
        }
        if (response != null) {
            if (response.statusCode() != null) {
                status = response.statusCode();
            }
            response.headers().forEach((name, mapping) -> {
                String value = mappedValue(mapping, request);
                if (value != null) {
                    headers.put(name, List.of(value));
                }
            });
            String template = response.templates().get("application/json");
            if (template != null) {
                body = AccessLogs.render(template, context).getBytes(StandardCharsets.UTF_8);
            }
        }
        return new ProxyEvents.Response(status, headers, body);
    }

    private static String mappedValue(String mapping, RequestValues request) {
        if (mapping.length() >= 2 && mapping.startsWith("'") && mapping.endsWith("'")) {
            return mapping.substring(1, mapping.length() - 1);
        }
        if (mapping.startsWith("method.request.header.")) {
            return ProxyEvents.firstHeader(request.headers(), mapping.substring("method.request.header.".length()));
        }
        if (mapping.startsWith("method.request.querystring.")) {
            List<String> values = request.query().get(mapping.substring("method.request.querystring.".length()));
            return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
        }
        if (mapping.startsWith("method.request.path.")) {
            return request.pathParameters().get(mapping.substring("method.request.path.".length()));
        }
        return null;
    }
}
