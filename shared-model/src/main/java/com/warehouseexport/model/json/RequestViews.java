package com.warehouseexport.model.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.StatusEvent;
import com.warehouseexport.model.domain.Timestamps;

import java.util.List;

/**
 * How a request looks to callers, in one place for the receiver and the status function. Internal fields
 * (owner, version, statement id, archive key) are never shown.
 */
public final class RequestViews {
    private RequestViews() {
    }

    public static String statusPath(String requestId) {
        return "/exports/" + requestId;
    }

    public static String historyPath(String requestId) {
        return "/exports/" + requestId + "/history";
    }

    /** Body of the 202 answer: {@code {"requestId","status","links":{"status"}}}. */
    public static ObjectNode accepted(ExportRequest request) {
        ObjectNode node = Json.object();
        node.put("requestId", request.requestId());
        node.put("status", request.state().name());
        node.putObject("links").put("status", statusPath(request.requestId()));
        return node;
    }

    /** Body of {@code GET /exports/{id}}. */
    public static ObjectNode status(ExportRequest request) {
        ObjectNode node = Json.object();
        node.put("requestId", request.requestId());
        node.put("dataset", request.dataset());
        node.set("parameters", request.parameters().toJson());
        node.put("format", request.format().apiName());
        if (request.compression() != Compression.NONE) {
            node.put("compression", request.compression().apiName());
        }
        node.put("status", request.state().name());
        node.put("createdAt", Timestamps.format(request.createdAt()));
        node.put("updatedAt", Timestamps.format(request.updatedAt()));
        ExportResult result = request.result();
        if (result != null) {
            ObjectNode r = node.putObject("result");
            r.put("rows", result.rows());
            r.put("bytes", result.bytes());
            r.put("format", result.format().apiName());
            r.put("parts", result.parts());
            if (result.downloadUrl() != null) {
                r.put("downloadUrl", result.downloadUrl());
            }
            if (result.expiresAt() != null) {
                r.put("expiresAt", Timestamps.format(result.expiresAt()));
            }
        }
        ExportError error = request.error();
        if (error != null) {
            ObjectNode e = node.putObject("error");
            e.put("code", error.code());
            e.put("message", error.message());
        }
        ObjectNode links = node.putObject("links");
        links.put("status", statusPath(request.requestId()));
        links.put("history", historyPath(request.requestId()));
        return node;
    }

    /** Body of {@code GET /exports/{id}/history}: events oldest first. */
    public static ObjectNode history(String requestId, List<StatusEvent> events) {
        ObjectNode node = Json.object();
        node.put("requestId", requestId);
        ArrayNode array = node.putArray("events");
        for (StatusEvent event : events) {
            ObjectNode e = array.addObject();
            e.put("status", event.state().name());
            e.put("at", Timestamps.format(event.at()));
            if (event.detail() != null) {
                e.put("detail", event.detail());
            }
        }
        ObjectNode links = node.putObject("links");
        links.put("status", statusPath(requestId));
        links.put("history", historyPath(requestId));
        return node;
    }
}
