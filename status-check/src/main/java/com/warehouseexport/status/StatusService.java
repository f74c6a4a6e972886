package com.warehouseexport.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.json.RequestViews;
import com.warehouseexport.model.table.ControlTable;

import java.util.Objects;

/**
 * Read side of the API: a request's status and history, the dataset catalog. A caller sees only their own
 * requests; another caller's request, a missing one and a malformed id all answer the same 404, so ids
 * reveal nothing.
 */
public final class StatusService {
    private final ControlTable table;
    private final DatasetCatalog catalog;

    public StatusService(ControlTable table, DatasetCatalog catalog) {
        this.table = Objects.requireNonNull(table, "table");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    ControlTable table() {
        return table;
    }

    /** {@code GET /exports/{id}}. */
    public ObjectNode status(String owner, String requestId) {
        return RequestViews.status(find(owner, requestId));
    }

    /** {@code GET /exports/{id}/history}: every event, oldest first. */
    public ObjectNode history(String owner, String requestId) {
        ExportRequest request = find(owner, requestId);
        return RequestViews.history(request.requestId(), table.history(request.requestId()));
    }

    /** {@code GET /datasets}: names, descriptions, formats and parameter schemas (never the SQL). */
    public ObjectNode datasets() {
        return catalog.toJson();
    }

    /** Seed API {@code GET /product}: status or history, with the seed's {@code RequestId} key first. */
    public ObjectNode product(String owner, ProductQuery query) {
        ObjectNode body = Json.object().put("RequestId", query.requestId());
        body.setAll(query.view() == ProductQuery.View.ALL
                ? history(owner, query.requestId())
                : status(owner, query.requestId()));
        return body;
    }

    /** The caller's request, or 404. A malformed id never reaches the table. */
    ExportRequest find(String owner, String requestId) {
        Objects.requireNonNull(owner, "owner");
        if (!RequestIds.isWellFormed(requestId)) {
            throw ApiException.notFound(requestId);
        }
        return table.get(requestId)
                .filter(request -> isVisibleTo(request, owner))
                .orElseThrow(() -> ApiException.notFound(requestId));
    }

    static boolean isVisibleTo(ExportRequest request, String owner) {
        return request.owner().equals(owner);
    }
}
