package com.warehouseexport.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.json.Json;

/** The export queue's message body: {@code {"requestId": "<uuid>"}}. */
public final class RequestMessage {
    private RequestMessage() {
    }

    /** The request id; {@link IllegalArgumentException} saying why when the body is not such a message. */
    public static String requestId(String body) {
        JsonNode message;
        try {
            message = Json.parse(body);
        } catch (Json.MalformedJsonException e) {
            throw new IllegalArgumentException("body is not JSON: " + e.getMessage());
        }
        JsonNode id = message.path("requestId");
        if (!id.isTextual()) {
            throw new IllegalArgumentException("body has no string \"requestId\"");
        }
        if (!RequestIds.isWellFormed(id.textValue())) {
            throw new IllegalArgumentException("\"requestId\" is not a request id");
        }
        return id.textValue();
    }
}
