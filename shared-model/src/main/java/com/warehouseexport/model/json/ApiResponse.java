package com.warehouseexport.model.json;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * An API Gateway (REST, proxy integration) response: status, headers, body text. Function modules copy it
 * into their Lambda event type, or write {@link #toProxyJson()} directly from a stream handler.
 */
public record ApiResponse(int statusCode, Map<String, String> headers, String body) {
    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    /** {@code {"statusCode":…,"headers":{…},"body":"…","isBase64Encoded":false}}. */
    public ObjectNode toProxyJson() {
        ObjectNode node = Json.object();
        node.put("statusCode", statusCode);
        ObjectNode headerNode = node.putObject("headers");
        headers.forEach(headerNode::put);
        node.put("body", body);
        node.put("isBase64Encoded", false);
        return node;
    }
}
