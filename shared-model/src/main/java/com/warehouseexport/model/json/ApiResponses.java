package com.warehouseexport.model.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.catalog.FieldError;
import com.warehouseexport.model.domain.RequestIds;

import java.util.List;
import java.util.Map;

/** JSON responses of the HTTP API. Errors are always {@code {"error": "<code>", "message": "..."}}. */
public final class ApiResponses {
    /** Status bodies carry presigned links and change over time: never cache them. */
    private static final Map<String, String> HEADERS = Map.of(
            "Content-Type", "application/json",
            "Cache-Control", "no-store");

    private ApiResponses() {
    }

    public static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, HEADERS, Json.write(body));
    }

    public static ApiResponse error(int status, String code, String message) {
        return json(status, errorBody(code, message));
    }

    /**
     * 400 {@code invalid_parameter}: the message lists every problem ("parameter 'sku' must match …; …"),
     * and {@code "fields"} has one entry per problem for programs.
     */
    public static ApiResponse invalidParameters(List<FieldError> errors) {
        StringBuilder message = new StringBuilder();
        for (FieldError error : errors) {
            if (message.length() > 0) {
                message.append("; ");
            }
            message.append(error.describe());
        }
        ObjectNode body = errorBody("invalid_parameter", message.toString());
        ArrayNode fields = body.putArray("fields");
        for (FieldError error : errors) {
            ObjectNode field = fields.addObject();
            field.put("field", error.field());
            field.put("code", error.code());
            field.put("message", error.message());
        }
        return json(400, body);
    }

    /**
     * The answer for a missing request and for another caller's request alike: it depends only on the id the
     * caller sent (echoed only when it is a well-formed request id).
     */
    public static ApiResponse notFound(String requestId) {
        String message = RequestIds.isWellFormed(requestId) ? "no export request " + requestId : "no such export request";
        return error(404, "not_found", message);
    }

    public static ObjectNode errorBody(String code, String message) {
        ObjectNode body = Json.object();
        body.put("error", code);
        body.put("message", message);
        return body;
    }
}
