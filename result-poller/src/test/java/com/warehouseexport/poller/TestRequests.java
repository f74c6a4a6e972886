package com.warehouseexport.poller;

import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import java.time.Instant;

/** Export requests as the control table would hold them, for rule and email tests. */
final class TestRequests {
    static final String ID = "3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13";
    static final Instant T0 = Instant.parse("2026-11-21T14:12:00.000Z");

    private TestRequests() {
    }

    static ValidatedParameters skuParameters(String sku) {
        return DatasetCatalog.load(null).get("product_detail").orElseThrow()
                .validate(Json.parse("{\"sku\":\"" + sku + "\"}")).parameters();
    }

    static ExportRequest request(RequestState state, String statementId, Instant updatedAt) {
        return new ExportRequest(ID, "arn:aws:iam::000000000000:user/partner-a", "product_detail",
                skuParameters("FLOWER12"), ExportFormat.CSV, state, 3, T0, updatedAt, statementId, null, null);
    }

    static ExportRequest withResult(ExportRequest request, ExportResult result) {
        return new ExportRequest(request.requestId(), request.owner(), request.dataset(), request.parameters(),
                request.format(), RequestState.SUCCEEDED, request.version() + 1, request.createdAt(),
                request.updatedAt(), request.statementId(), result, null);
    }

    static ExportRequest withError(ExportRequest request, ExportError error) {
        return new ExportRequest(request.requestId(), request.owner(), request.dataset(), request.parameters(),
                request.format(), RequestState.FAILED, request.version() + 1, request.createdAt(),
                request.updatedAt(), request.statementId(), null, error);
    }
}
