package com.warehouseexport.status;

import com.warehouseexport.model.json.ApiException;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seed API's {@code GET /product}: headers {@code requestid} (required) and {@code type: latest | all}
 * (default latest). Header names are case-insensitive, as in HTTP; so are the values of {@code type}.
 */
public record ProductQuery(String requestId, View view) {
    public static final String REQUEST_ID_HEADER = "requestid";
    public static final String TYPE_HEADER = "type";

    /** latest: the current status; all: the whole history. */
    public enum View { LATEST, ALL }

    /** Reads the headers of an API Gateway event; 400 when {@code requestid} is missing or {@code type} invalid. */
    public static ProductQuery fromHeaders(Map<String, String> headers, Map<String, List<String>> multiValueHeaders) {
        String requestId = header(REQUEST_ID_HEADER, headers, multiValueHeaders);
        if (requestId == null || requestId.isBlank()) {
            throw ApiException.badRequest("missing_header",
                    "Header \"requestid\" is required: the RequestId that POST /product returned");
        }
        String type = header(TYPE_HEADER, headers, multiValueHeaders);
        View view;
        if (type == null || type.isBlank()) {
            view = View.LATEST;
        } else {
            switch (type.trim().toLowerCase(Locale.ROOT)) {
                case "latest" -> view = View.LATEST;
                case "all" -> view = View.ALL;
                default -> throw ApiException.badRequest("invalid_header", "Header \"type\" must be \"latest\" or \"all\", not \""
                        + ApiException.shorten(type, 40) + "\"");
            }
        }
        return new ProductQuery(requestId.trim(), view);
    }

    private static String header(String name, Map<String, String> headers, Map<String, List<String>> multiValueHeaders) {
        if (headers != null) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                if (name.equalsIgnoreCase(header.getKey()) && header.getValue() != null) {
                    return header.getValue();
                }
            }
        }
        if (multiValueHeaders != null) {
            for (Map.Entry<String, List<String>> header : multiValueHeaders.entrySet()) {
                List<String> values = header.getValue();
                if (name.equalsIgnoreCase(header.getKey()) && values != null && !values.isEmpty()) {
                    return values.get(values.size() - 1);
                }
            }
        }
        return null;
    }
}
