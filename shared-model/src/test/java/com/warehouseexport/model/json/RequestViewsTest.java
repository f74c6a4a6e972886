package com.warehouseexport.model.json;

import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.FieldError;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.domain.StatusEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestViewsTest {
    private static final String ID = "0b0f5c1e-8a0e-4b5e-9c41-2f0f1d0c9a11";
    private static final Instant CREATED = Instant.parse("2025-03-01T10:00:00Z");

    private final ValidatedParameters parameters = DatasetCatalog.load(null).get("product_inventory").orElseThrow()
            .validate(Json.parse("{\"sku\": \"A-1\", \"restocked_since\": \"2024-01-31\"}")).parameters();

    @Test
    void succeededRequest() {
        ExportResult result = new ExportResult(10, 2048, ExportFormat.PARQUET, 2, "https://s3/x?X-Amz-Signature=1",
                Instant.parse("2025-03-01T11:00:00.5Z"), "archives/x.zip");
        ExportRequest request = new ExportRequest(ID, "arn:aws:iam::000000000000:user/alice", "product_inventory",
                parameters, ExportFormat.PARQUET, RequestState.SUCCEEDED, 6, CREATED, CREATED.plusSeconds(90),
                "stmt-1", result, null);
        assertEquals("{\"requestId\":\"" + ID + "\",\"dataset\":\"product_inventory\","
                        + "\"parameters\":{\"sku\":\"A-1\",\"restocked_since\":\"2024-01-31\"},\"format\":\"parquet\","
                        + "\"status\":\"SUCCEEDED\",\"createdAt\":\"2025-03-01T10:00:00.000Z\","
                        + "\"updatedAt\":\"2025-03-01T10:01:30.000Z\",\"result\":{\"rows\":10,\"bytes\":2048,"
                        + "\"format\":\"parquet\",\"parts\":2,\"downloadUrl\":\"https://s3/x?X-Amz-Signature=1\","
                        + "\"expiresAt\":\"2025-03-01T11:00:00.500Z\"},"
                        + "\"links\":{\"status\":\"/exports/" + ID + "\",\"history\":\"/exports/" + ID + "/history\"}}",
                Json.write(RequestViews.status(request)));
    }

    @Test
    void failedRequestShowsTheErrorAndNoInternals() {
        ExportRequest request = new ExportRequest(ID, "owner-arn", "product_inventory", parameters, ExportFormat.CSV,
                RequestState.FAILED, 4, CREATED, CREATED, "stmt-1", null, new ExportError("warehouse_error", "boom"));
        String json = Json.write(RequestViews.status(request));
        assertEquals(true, json.contains("\"error\":{\"code\":\"warehouse_error\",\"message\":\"boom\"}"), json);
        assertEquals(false, json.contains("owner-arn") || json.contains("stmt-1") || json.contains("\"version\""), json);
    }

    @Test
    void acceptedAndHistory() {
        ExportRequest request = ExportRequest.received(ID, "o", "product_inventory", parameters, ExportFormat.CSV, CREATED);
        assertEquals("{\"requestId\":\"" + ID + "\",\"status\":\"RECEIVED\",\"links\":{\"status\":\"/exports/" + ID + "\"}}",
                Json.write(RequestViews.accepted(request)));
        String history = Json.write(RequestViews.history(ID, List.of(
                new StatusEvent(RequestState.RECEIVED, CREATED, 1, "received"),
                new StatusEvent(RequestState.QUEUED, CREATED.plusMillis(7), 2, null))));
        assertEquals("{\"requestId\":\"" + ID + "\",\"events\":[{\"status\":\"RECEIVED\",\"at\":\"2025-03-01T10:00:00.000Z\","
                + "\"detail\":\"received\"},{\"status\":\"QUEUED\",\"at\":\"2025-03-01T10:00:00.007Z\"}],"
                + "\"links\":{\"status\":\"/exports/" + ID + "\",\"history\":\"/exports/" + ID + "/history\"}}", history);
    }

    @Test
    void apiResponses() {
        ApiResponse error = ApiResponses.error(400, "bad_request", "Body \"x\" is not JSON");
        assertEquals(400, error.statusCode());
        assertEquals("application/json", error.headers().get("Content-Type"));
        assertEquals("{\"error\":\"bad_request\",\"message\":\"Body \\\"x\\\" is not JSON\"}", error.body());
        assertEquals("{\"error\":\"not_found\",\"message\":\"no export request " + ID + "\"}", ApiResponses.notFound(ID).body());
        assertEquals("{\"error\":\"not_found\",\"message\":\"no such export request\"}",
                ApiResponses.notFound("<script>").body(), "only well-formed ids are echoed");
        ApiResponse invalid = ApiResponses.invalidParameters(List.of(
                new FieldError("sku", "pattern_mismatch", "must match x"),
                new FieldError("limit", "out_of_range", "must be an integer between 1 and 5")));
        assertEquals("{\"error\":\"invalid_parameter\",\"message\":\"parameter 'sku' must match x; "
                + "parameter 'limit' must be an integer between 1 and 5\","
                + "\"fields\":[{\"field\":\"sku\",\"code\":\"pattern_mismatch\",\"message\":\"must match x\"},"
                + "{\"field\":\"limit\",\"code\":\"out_of_range\",\"message\":\"must be an integer between 1 and 5\"}]}",
                invalid.body());
        assertEquals(202, ApiResponses.json(202, Json.object()).statusCode());
        String proxy = Json.write(ApiResponses.notFound(ID).toProxyJson());
        assertEquals(true, proxy.startsWith("{\"statusCode\":404,\"headers\":{"), proxy);
        assertEquals(true, proxy.endsWith("\"isBase64Encoded\":false}"), proxy);
    }

    @Test
    void jsonParsingKeepsDecimalsExactAndRejectsGarbage() {
        assertEquals("0.1000000000000000000001", Json.parse("{\"d\": 0.1000000000000000000001}").get("d").decimalValue().toPlainString());
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse("{\"a\": 1} trailing"));
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse(""));
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse("{'a': 1}"));
        assertThrows(Json.MalformedJsonException.class, () -> Json.parse((String) null));
    }
}
