package com.warehouseexport.localruntime.apigateway;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A response API Gateway makes itself (not the integration's): its gateway response type (which
 * {@code GatewayResponses} entry may change it), status, {@code x-amzn-ErrorType} and exact body.
 */
public record GatewayError(String responseType, int status, String errorType, String message, String body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final GatewayError MISSING_AUTHENTICATION_TOKEN = new GatewayError("MISSING_AUTHENTICATION_TOKEN",
        403, "MissingAuthenticationTokenException", "Missing Authentication Token",
        "{\"message\":\"Missing Authentication Token\"}");
    public static final GatewayError INVALID_API_KEY = new GatewayError("INVALID_API_KEY", 403,
        "ForbiddenException", "Forbidden", "{\"message\":\"Forbidden\"}");
    public static final GatewayError THROTTLED = new GatewayError("THROTTLED", 429, "TooManyRequestsException",
        "Too Many Requests", "{\"message\":\"Too Many Requests\"}");
    public static final GatewayError QUOTA_EXCEEDED = new GatewayError("QUOTA_EXCEEDED", 429,
        "LimitExceededException", "Limit Exceeded", "{\"message\":\"Limit Exceeded\"}");
    public static final GatewayError INTEGRATION_FAILURE = new GatewayError("INTEGRATION_FAILURE", 502,
        "InternalServerErrorException", "Internal server error", "{\"message\": \"Internal server error\"}");
    public static final GatewayError INTEGRATION_TIMEOUT = new GatewayError("INTEGRATION_TIMEOUT", 504, null,
        "Endpoint request timed out", "{\"message\": \"Endpoint request timed out\"}");

    /** 400 from a request validator: names as declared, e.g. {@code [requestid]}. */
    public static GatewayError missingRequestParameters(java.util.List<String> names) {
        String message = "Missing required request parameters: [" + String.join(", ", names) + "]";
        return new GatewayError("BAD_REQUEST_PARAMETERS", 400, "BadRequestException", message,
            "{\"message\": \"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    /** A rejected SigV4 signature (AWS_IAM). */
    public static GatewayError of(SigV4Verifier.Rejected rejected) {
        String type = switch (rejected.errorType()) {
            case "MissingAuthenticationTokenException" -> "MISSING_AUTHENTICATION_TOKEN";
            case "InvalidSignatureException", "IncompleteSignatureException" -> "INVALID_SIGNATURE";
            default -> "ACCESS_DENIED";
        };
        return new GatewayError(type, rejected.status(), rejected.errorType(), rejected.message(),
            JSON.createObjectNode().put("message", rejected.message()).toString());
    }
}
