package com.warehouseexport.model.json;

import com.warehouseexport.model.catalog.FieldError;

import java.util.List;
import java.util.Objects;

/**
 * A request the API answers with an error body instead of a result. The message is shown to the caller, so it
 * must name what was wrong and never carry internal details. Thrown by the API services, turned into the
 * response by the handlers.
 */
public final class ApiException extends RuntimeException {
    private final String code;
    private final transient ApiResponse response;

    private ApiException(String code, String message, ApiResponse response) {
        super(message, null, false, false);
        this.code = code;
        this.response = Objects.requireNonNull(response, "response");
    }

    /** {@code {"error": code, "message": message}} with this status. */
    public static ApiException of(int status, String code, String message) {
        return new ApiException(code, message, ApiResponses.error(status, code, message));
    }

    public static ApiException badRequest(String code, String message) {
        return of(400, code, message);
    }

    /** 400 {@code invalid_parameter}, one entry per problem: {@link ApiResponses#invalidParameters}. */
    public static ApiException invalidParameters(List<FieldError> errors) {
        ApiResponse response = ApiResponses.invalidParameters(errors);
        return new ApiException("invalid_parameter", Json.parse(response.body()).path("message").asText(), response);
    }

    /** The one answer for a request that does not exist, is not the caller's, or whose id is malformed. */
    public static ApiException notFound(String requestId) {
        ApiResponse response = ApiResponses.notFound(requestId);
        return new ApiException("not_found", Json.parse(response.body()).path("message").asText(), response);
    }

    public int status() {
        return response.statusCode();
    }

    public String code() {
        return code;
    }

    public ApiResponse toResponse() {
        return response;
    }

    /** Caller input echoed in a message is cut short: a message must stay readable. */
    public static String shorten(String text, int max) {
        if (text == null) {
            return "";
        }
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
