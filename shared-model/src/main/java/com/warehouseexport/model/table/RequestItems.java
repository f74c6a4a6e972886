package com.warehouseexport.model.table;

import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.domain.StatusEvent;
import com.warehouseexport.model.domain.Timestamps;
import com.warehouseexport.model.json.Json;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Hand-written mapping between the domain and control-table items (design page, "Control table"). */
final class RequestItems {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String REQUEST_SK = "REQUEST";
    static final String EVENT_PREFIX = "EVENT#";
    static final String IDEMPOTENCY_SK = "IDEMPOTENCY";
    static final String ORDER_HASH = "orderHash";
    /** Not {@code createdAt}, which (with {@code owner}) keys the byOwner index of requests. */
    static final String CREATED_AT_IDEMPOTENCY = "firstUsedAt";

    static final String REQUEST_ID = "requestId";
    static final String OWNER = "owner";
    static final String DATASET = "dataset";
    static final String PARAMETERS = "parameters";
    static final String FORMAT = "format";
    /** Absent on uncompressed requests (and on every item written before it existed). */
    static final String COMPRESSION = "compression";
    static final String STATE = "state";
    static final String VERSION = "version";
    static final String CREATED_AT = "createdAt";
    static final String UPDATED_AT = "updatedAt";
    static final String STATEMENT_ID = "statementId";
    static final String RESULT_ROWS = "resultRows";
    static final String RESULT_BYTES = "resultBytes";
    static final String RESULT_FORMAT = "resultFormat";
    static final String RESULT_PARTS = "resultParts";
    static final String RESULT_DOWNLOAD_URL = "resultDownloadUrl";
    static final String RESULT_EXPIRES_AT = "resultExpiresAt";
    static final String RESULT_ARCHIVE_KEY = "resultArchiveKey";
    static final String ERROR_CODE = "errorCode";
    static final String ERROR_MESSAGE = "errorMessage";
    static final String EXPIRES_AT = "expiresAt";
    static final String IN_FLIGHT = "inFlight";
    static final String IN_FLIGHT_VALUE = "1";
    static final String AT = "at";
    static final String DETAIL = "detail";

    /** Warehouse error texts can be long; items are capped at 400 KB. */
    static final int MAX_MESSAGE_LENGTH = 4000;

    private RequestItems() {
    }

    static String pk(String requestId) {
        return "REQ#" + requestId;
    }

    static String eventSk(long version) {
        if (version < 1 || version > 999_999) {
            throw new IllegalArgumentException("version out of range: " + version);
        }
        String digits = Long.toString(version);
        return EVENT_PREFIX + "000000".substring(digits.length()) + digits;
    }

    static Map<String, AttributeValue> key(String requestId) {
        return Map.of(PK, s(pk(requestId)), SK, s(REQUEST_SK));
    }

    static Map<String, AttributeValue> requestItem(ExportRequest request, long expiresAtEpochSeconds) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(pk(request.requestId())));
        item.put(SK, s(REQUEST_SK));
        item.put(REQUEST_ID, s(request.requestId()));
        item.put(OWNER, s(request.owner()));
        item.put(DATASET, s(request.dataset()));
        item.put(PARAMETERS, s(Json.write(request.parameters().toStoredJson())));
        item.put(FORMAT, s(request.format().name()));
        if (request.compression() != Compression.NONE) {
            item.put(COMPRESSION, s(request.compression().name()));
        }
        item.put(STATE, s(request.state().name()));
        item.put(VERSION, n(request.version()));
        item.put(CREATED_AT, s(Timestamps.format(request.createdAt())));
        item.put(UPDATED_AT, s(Timestamps.format(request.updatedAt())));
        item.put(EXPIRES_AT, n(expiresAtEpochSeconds));
        if (request.state().isInFlight()) {
            item.put(IN_FLIGHT, s(IN_FLIGHT_VALUE));
        }
        if (request.statementId() != null) {
            item.put(STATEMENT_ID, s(request.statementId()));
        }
        putResult(item, request.result());
        putError(item, request.error());
        return item;
    }

    static void putResult(Map<String, AttributeValue> values, ExportResult result) {
        if (result == null) {
            return;
        }
        values.put(RESULT_ROWS, n(result.rows()));
        values.put(RESULT_BYTES, n(result.bytes()));
        values.put(RESULT_FORMAT, s(result.format().name()));
        values.put(RESULT_PARTS, n(result.parts()));
        if (result.downloadUrl() != null) {
            values.put(RESULT_DOWNLOAD_URL, s(result.downloadUrl()));
        }
        if (result.expiresAt() != null) {
            values.put(RESULT_EXPIRES_AT, s(Timestamps.format(result.expiresAt())));
        }
        if (result.archiveKey() != null) {
            values.put(RESULT_ARCHIVE_KEY, s(result.archiveKey()));
        }
    }

    static void putError(Map<String, AttributeValue> values, ExportError error) {
        if (error == null) {
            return;
        }
        values.put(ERROR_CODE, s(error.code()));
        values.put(ERROR_MESSAGE, s(truncate(error.message())));
    }

    static Map<String, AttributeValue> eventItem(String requestId, long version, RequestState state, Instant at,
                                                 String detail, long expiresAtEpochSeconds) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(pk(requestId)));
        item.put(SK, s(eventSk(version)));
        item.put(STATE, s(state.name()));
        item.put(VERSION, n(version));
        item.put(AT, s(Timestamps.format(at)));
        if (detail != null && !detail.isEmpty()) {
            item.put(DETAIL, s(truncate(detail)));
        }
        item.put(EXPIRES_AT, n(expiresAtEpochSeconds));
        return item;
    }

    static ExportRequest toRequest(Map<String, AttributeValue> item) {
        String pk = text(item, PK);
        try {
            ExportResult result = null;
            if (item.containsKey(RESULT_FORMAT)) {
                String expires = optionalText(item, RESULT_EXPIRES_AT);
                result = new ExportResult(
                        number(item, RESULT_ROWS),
                        number(item, RESULT_BYTES),
                        ExportFormat.valueOf(text(item, RESULT_FORMAT)),
                        (int) number(item, RESULT_PARTS),
                        optionalText(item, RESULT_DOWNLOAD_URL),
                        expires == null ? null : Timestamps.parse(expires),
                        optionalText(item, RESULT_ARCHIVE_KEY));
            }
            ExportError error = null;
            if (item.containsKey(ERROR_CODE)) {
                error = new ExportError(text(item, ERROR_CODE), optionalText(item, ERROR_MESSAGE));
            }
            return new ExportRequest(
                    text(item, REQUEST_ID),
                    text(item, OWNER),
                    text(item, DATASET),
                    ValidatedParameters.fromStoredJson(Json.parse(text(item, PARAMETERS))),
                    ExportFormat.valueOf(text(item, FORMAT)),
                    RequestState.valueOf(text(item, STATE)),
                    number(item, VERSION),
                    Timestamps.parse(text(item, CREATED_AT)),
                    Timestamps.parse(text(item, UPDATED_AT)),
                    optionalText(item, STATEMENT_ID),
                    result,
                    error,
                    Compression.fromStored(optionalText(item, COMPRESSION)));
        } catch (RuntimeException e) {
            throw new IllegalStateException("Control table item " + pk + " cannot be read: " + e.getMessage(), e);
        }
    }

    static StatusEvent toEvent(Map<String, AttributeValue> item) {
        try {
            return new StatusEvent(
                    RequestState.valueOf(text(item, STATE)),
                    Timestamps.parse(text(item, AT)),
                    number(item, VERSION),
                    optionalText(item, DETAIL));
        } catch (RuntimeException e) {
            throw new IllegalStateException("Control table event " + item.get(PK) + " " + item.get(SK)
                    + " cannot be read: " + e.getMessage(), e);
        }
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static String truncate(String text) {
        return text.length() <= MAX_MESSAGE_LENGTH ? text : text.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        String value = optionalText(item, name);
        if (value == null) {
            throw new IllegalStateException("missing attribute " + name);
        }
        return value;
    }

    private static String optionalText(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.n() == null) {
            throw new IllegalStateException("missing number attribute " + name);
        }
        return Long.parseLong(value.n());
    }
}
