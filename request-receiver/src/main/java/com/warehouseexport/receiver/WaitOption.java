package com.warehouseexport.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.json.Json;

/**
 * The optional {@code "wait"} field of {@code POST /exports}: how many seconds (0 to {@value #MAX_SECONDS}) the
 * caller will wait for the export to finish, so a small, quick one can be answered at once. API Gateway ends a
 * call after 29 seconds, hence the cap.
 */
public final class WaitOption {
    public static final String FIELD = "wait";
    public static final int MAX_SECONDS = 25;

    private WaitOption() {
    }

    /**
     * Seconds asked for; 0 when the field is absent or null. A body that is not a JSON object is left to
     * {@link ExportOrderReader}, which names the problem.
     *
     * @throws ApiException 400 {@code wrong_type} for anything but a whole number, {@code invalid_body} out of range
     */
    public static int fromBody(String body) {
        if (body == null || body.isBlank() || body.length() > ExportOrderReader.MAX_BODY_BYTES) {
            return 0;
        }
        JsonNode root;
        try {
            root = Json.parseRequestBody(body);   // the same limits as the order itself
        } catch (Json.MalformedJsonException e) {
            return 0;
        }
        return root.isObject() ? seconds(root.get(FIELD)) : 0;
    }

    static int seconds(JsonNode value) {
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber()) {
            throw ApiException.badRequest("wrong_type", "Field \"wait\" must be a whole number of seconds (0 to "
                    + MAX_SECONDS + ")");
        }
        if (!value.canConvertToInt() || value.intValue() < 0 || value.intValue() > MAX_SECONDS) {
            throw ApiException.badRequest("invalid_body", "Field \"wait\" must be between 0 and " + MAX_SECONDS
                    + " seconds, not " + ApiException.shorten(value.asText(), 30));
        }
        return value.intValue();
    }
}
