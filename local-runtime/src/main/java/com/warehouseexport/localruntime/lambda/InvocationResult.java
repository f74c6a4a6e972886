package com.warehouseexport.localruntime.lambda;

import java.nio.charset.StandardCharsets;

/**
 * What Lambda's Invoke returns: the response payload, and the {@code X-Amz-Function-Error} value ("Unhandled")
 * when the function failed, in which case the payload is Lambda's error JSON (errorMessage, errorType, stackTrace).
 */
public record InvocationResult(String requestId, byte[] payload, String functionError, long durationMillis) {
    public boolean failed() {
        return functionError != null;
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
