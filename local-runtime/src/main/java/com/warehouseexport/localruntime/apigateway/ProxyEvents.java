package com.warehouseexport.localruntime.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localruntime.template.TemplateOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * API Gateway's REST API Lambda proxy integration: the event a handler receives, and the mapping of its proxy
 * response back to HTTP.
 */
public final class ProxyEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter
        .ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private ProxyEvents() {
    }

    /** An incoming request as the gateway saw it. Header names as received; values in order. */
    public record Request(String method, String path, String rawQuery, Map<String, List<String>> headers,
                          byte[] body, String sourceIp, String protocol, Instant receivedAt, String requestId,
                          String domainName) {
    }

    /** Builds the proxy event; principal is null for routes without AWS_IAM. */
    public static ObjectNode event(Request request, RouteTable.Resolved resolved, Principal principal) {
        ApiRoute route = resolved.route();
        ObjectNode event = JSON.createObjectNode();
        event.put("resource", route.resourcePath());
        event.put("path", request.path());
        event.put("httpMethod", request.method());

        ObjectNode headers = JSON.createObjectNode();
        ObjectNode multiHeaders = JSON.createObjectNode();
        request.headers().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name, values.get(values.size() - 1));
                ArrayNode all = multiHeaders.putArray(name);
                values.forEach(all::add);
            }
        });
        event.set("headers", headers.isEmpty() ? null : headers);
        event.set("multiValueHeaders", multiHeaders.isEmpty() ? null : multiHeaders);

        Map<String, List<String>> query = queryParameters(request.rawQuery());
        if (query.isEmpty()) {
            event.putNull("queryStringParameters");
            event.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode single = event.putObject("queryStringParameters");
            ObjectNode multi = event.putObject("multiValueQueryStringParameters");
            query.forEach((name, values) -> {
                single.put(name, values.get(values.size() - 1));
                ArrayNode all = multi.putArray(name);
                values.forEach(all::add);
            });
        }
        if (resolved.pathParameters().isEmpty()) {
            event.putNull("pathParameters");
        } else {
            ObjectNode parameters = event.putObject("pathParameters");
            resolved.pathParameters().forEach(parameters::put);
        }
        event.putNull("stageVariables");

        ObjectNode context = event.putObject("requestContext");
        String stage = route.api().stageName();
        context.put("resourceId", resourceId(route.resourcePath()));
        context.put("resourcePath", route.resourcePath());
        context.put("httpMethod", request.method());
        context.put("extendedRequestId", extendedRequestId(request.requestId()));
        context.put("requestTime", REQUEST_TIME.format(request.receivedAt()));
        context.put("path", "/" + stage + request.path());
        context.put("accountId", TemplateOptions.LOCAL_ACCOUNT_ID); // the API owner's account
        context.put("protocol", request.protocol());
        context.put("stage", stage);
        context.put("domainPrefix", domainPrefix(request.domainName()));
        context.put("requestTimeEpoch", request.receivedAt().toEpochMilli());
        context.put("requestId", request.requestId());
        ObjectNode identity = context.putObject("identity");
        identity.putNull("cognitoIdentityPoolId");
        if (principal == null) {
            identity.putNull("accountId");
        } else {
            identity.put("accountId", principal.accountId());
        }
        identity.putNull("cognitoIdentityId");
        if (principal == null) {
            identity.putNull("caller");
        } else {
            identity.put("caller", principal.userId());
        }
        identity.put("sourceIp", request.sourceIp());
        identity.putNull("principalOrgId");
        if (principal == null) {
            identity.putNull("accessKey");
        } else {
            identity.put("accessKey", principal.accessKeyId());
        }
        identity.putNull("cognitoAuthenticationType");
        identity.putNull("cognitoAuthenticationProvider");
        if (principal == null) {
            identity.putNull("userArn");
        } else {
            identity.put("userArn", principal.arn());
        }
        String userAgent = firstHeader(request.headers(), "User-Agent");
        if (userAgent == null) {
            identity.putNull("userAgent");
        } else {
            identity.put("userAgent", userAgent);
        }
        if (principal == null) {
            identity.putNull("user");
        } else {
            identity.put("user", principal.userId());
        }
        context.put("domainName", request.domainName());
        context.put("apiId", route.api().restApiId());

        boolean binary = isBinary(firstHeader(request.headers(), "Content-Type"), route.api().binaryMediaTypes());
        if (request.body().length == 0) {
            event.putNull("body");
        } else if (binary) {
            event.put("body", Base64.getEncoder().encodeToString(request.body()));
        } else {
            event.put("body", new String(request.body(), StandardCharsets.UTF_8));
        }
        event.put("isBase64Encoded", binary && request.body().length > 0);
        return event;
    }

    /** A response to send: status, headers (name → values) and body bytes. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    }

    /**
     * Maps a handler's proxy response. Anything that is not a valid proxy response is, as in API Gateway, a 502
     * "Internal server error" (a "Malformed Lambda proxy response").
     */
    public static Response response(byte[] payload) {
        JsonNode output;
        try {
            output = JSON.readTree(payload);
        } catch (IOException e) {
            return internalServerError();
        }
        if (output == null || !output.isObject()) {
            return internalServerError();
        }
        JsonNode statusNode = output.get("statusCode");
        int status;
        if (statusNode == null || statusNode.isNull()) {
            return internalServerError();
        } else if (statusNode.isInt()) {
            status = statusNode.intValue();
        } else if (statusNode.isTextual() && statusNode.asText().matches("\\d{3}")) {
            status = Integer.parseInt(statusNode.asText());
        } else {
            return internalServerError();
        }
        if (status < 100 || status > 599) {
            return internalServerError();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        JsonNode single = output.path("headers");
        if (single.isObject()) {
            single.fields().forEachRemaining(h -> headers.put(h.getKey(), new ArrayList<>(List.of(h.getValue().asText()))));
        } else if (!single.isMissingNode() && !single.isNull()) {
            return internalServerError();
        }
        JsonNode multi = output.path("multiValueHeaders");
        if (multi.isObject()) {
            // the same header in both: multiValueHeaders' values are the ones that count
            multi.fields().forEachRemaining(h -> {
                List<String> values = new ArrayList<>();
                if (h.getValue().isArray()) {
                    h.getValue().forEach(v -> values.add(v.asText()));
                } else {
                    values.add(h.getValue().asText());
                }
                headers.put(h.getKey(), values);
            });
        } else if (!multi.isMissingNode() && !multi.isNull()) {
            return internalServerError();
        }
        JsonNode bodyNode = output.path("body");
        byte[] body;
        if (bodyNode.isMissingNode() || bodyNode.isNull()) {
            body = new byte[0];
        } else if (output.path("isBase64Encoded").asBoolean(false)) {
            try {
                body = Base64.getDecoder().decode(bodyNode.asText());
            } catch (IllegalArgumentException e) {
                return internalServerError();
            }
        } else {
            body = (bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString()).getBytes(StandardCharsets.UTF_8);
        }
        return new Response(status, headers, body);
    }

    public static Response internalServerError() {
        return error(502, "InternalServerErrorException", "{\"message\": \"Internal server error\"}");
    }

    public static Response endpointTimedOut() {
        return error(504, null, "{\"message\": \"Endpoint request timed out\"}");
    }

    public static Response missingAuthenticationToken() {
        return error(403, "MissingAuthenticationTokenException", "{\"message\":\"Missing Authentication Token\"}");
    }

    /** API Gateway's JSON error body {"message": "..."} for a rejected signature. */
    public static Response rejected(SigV4Verifier.Rejected rejected) {
        ObjectNode body = JSON.createObjectNode().put("message", rejected.message());
        return error(rejected.status(), rejected.errorType(), body.toString());
    }

    private static Response error(int status, String errorType, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        if (errorType != null) {
            headers.put("x-amzn-ErrorType", List.of(errorType));
        }
        return new Response(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Decoded query parameters in order of appearance (API Gateway keeps the last value for the single map). */
    static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = SigV4Verifier.percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : SigV4Verifier.percentDecode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    static String firstHeader(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }

    static boolean isBinary(String contentType, List<String> binaryMediaTypes) {
        if (contentType == null || binaryMediaTypes.isEmpty()) {
            return false;
        }
        String type = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        for (String binary : binaryMediaTypes) {
            String pattern = binary.toLowerCase(Locale.ROOT);
            if (pattern.equals("*/*") || pattern.equals(type)
                || pattern.endsWith("/*") && type.startsWith(pattern.substring(0, pattern.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** $context.requestTime: {@code 21/Nov/2026:16:30:00 +0000}. */
    static String requestTime(Instant at) {
        return REQUEST_TIME.format(at);
    }

    static String resourceId(String resourcePath) {
        return Integer.toHexString(resourcePath.hashCode() & 0xffffff);
    }

    static String extendedRequestId(String requestId) {
        return requestId.replace("-", "").substring(0, 12) + "=";
    }

    static String domainPrefix(String domainName) {
        int dot = domainName.indexOf('.');
        int colon = domainName.indexOf(':');
        int end = dot > 0 ? dot : colon > 0 ? colon : domainName.length();
        return domainName.substring(0, end);
    }
}
