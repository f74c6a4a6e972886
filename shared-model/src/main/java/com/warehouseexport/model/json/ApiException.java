package com.warehouseexport.model.json;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the API answers with an error body instead of a result. The message is shown to the caller, so it
 * must name what was wrong and never carry internal details. Thrown by the API services, turned into the
 * response by the handlers.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final transient ObjectNode body;

    private ApiException(int status, String code, String message, ObjectNode body) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.body = body;
    }

    public static ApiException of(int status, String code, String message) {
        return new ApiException(status, code, message, ApiResponses.errorBody(code, message));
    }

    /** With extra fields beside {@code error} and {@code message} (e.g. one entry per bad parameter). */
    public static ApiException withBody(int status, ObjectNode body) {
        return new ApiException(status, body.path("error").asText(), body.path("message").asText(), body);
    }

    public static ApiException badRequest(String code, String message) {
        return of(400, code, message);
    }

    /** The one answer for a request that does not exist, is not the caller's, or whose id is malformed. */
    public static ApiException notFound(String requestId) {
        return of(404, "not_found", "No export request " + shorten(requestId, 100));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public ApiResponse toResponse() {
        return ApiResponses.json(status, body);
    }

    /** Caller input echoed in a message is cut short: a message must stay readable. */
    public static String shorten(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
