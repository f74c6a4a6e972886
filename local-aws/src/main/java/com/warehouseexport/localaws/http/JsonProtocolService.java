package com.warehouseexport.localaws.http;

import com.fasterxml.jackson.databind.JsonNode;

/** A service spoken in AWS JSON 1.1: POST / with {@code X-Amz-Target: <prefix>.<Operation>}. */
public interface JsonProtocolService {

    /** The part of X-Amz-Target before the dot, e.g. {@code RedshiftData} or {@code secretsmanager}. */
    String targetPrefix();

    /**
     * Handles one operation; returns the response document.
     *
     * @throws AwsServiceException for any error the real service would answer with
     */
    JsonNode handle(String operation, JsonNode request);
}
