package com.warehouseexport.receiver;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.aws.AwsClients;
import com.warehouseexport.model.cancel.WarehouseCanceller;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.lambda.Priming;
import com.warehouseexport.model.lambda.PrimingEvents;
import com.warehouseexport.model.lambda.ProxyIntegration;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.json.ApiResponse;
import com.warehouseexport.model.json.ApiResponses;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.json.Owners;
import com.warehouseexport.model.json.RequestViews;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.warehouse.InlineResult;
import com.warehouseexport.model.warehouse.Warehouses;

import com.warehouseexport.model.table.IdempotencyClaim;
import com.warehouseexport.receiver.ExportSubmissionService.Submission;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * API Gateway (REST, proxy integration) entry point for {@code POST /exports} (optionally waiting for a small,
 * quick result: {@link WaitingAnswer}), {@code POST /product} and {@code DELETE /exports/{id}}
 * ({@link ExportCancellation}).
 * Parses the event, calls {@link ExportSubmissionService}, maps the outcome to a response. Bad input is a 4xx
 * with {@code {"error", "message"}}; anything unexpected is a 500 whose details go only to the log.
 */
public final class RequestReceiverHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    /** Set on the answer to a repeated Idempotency-Key (as Stripe and the IETF draft's implementations do). */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final ExportSubmissionService service;
    /** {@code "wait"} of POST /exports and {@code DELETE /exports/{id}}; null when not configured (tests). */
    private final WaitingAnswer waiting;
    private final ExportCancellation cancellation;

    /** Lambda: configuration from the environment, clients and catalog built once, at init (SnapStart snapshot). */
    public RequestReceiverHandler() {
        this(AppConfig.forReceiver());
        Priming.register("request-receiver", this::primeRoute, RequestReceiverHandler::primeTable);
    }

    private RequestReceiverHandler(AppConfig config) {
        this(config, Warehouses.forReceiver(config));
    }

    private RequestReceiverHandler(AppConfig config, Warehouses warehouses) {
        this(new ExportSubmissionService(DatasetCatalog.shared(), ControlTable.fromConfig(config), AwsClients.sqs(),
                        config.exportQueueUrl()),
                new WaitingAnswer(new FinalStateWaiter(ControlTable.fromConfig(config)),
                        new InlineRows(warehouses, InlineResult.Limits.DEFAULT)),
                new ExportCancellation(ControlTable.fromConfig(config), new WarehouseCanceller(warehouses)));
    }

    /** SnapStart priming: a POST the catalog refuses (400, nothing written) runs routing, parsing and validation. */
    private void primeRoute() {
        handleRequest(PrimingEvents.request("POST", "/exports", "/exports", null,
                "{\"dataset\":\"snapstart-priming\",\"parameters\":{\"sku\":\"A-1\"},\"format\":\"csv\"}"), null);
    }

    /** SnapStart priming: a read of a request that does not exist (one GetItem). */
    private static void primeTable() {
        ControlTable.fromConfig(AppConfig.forReceiver()).get(RequestIds.newId());
    }

    public RequestReceiverHandler(ExportSubmissionService service) {
        this(service, null, null);
    }

    public RequestReceiverHandler(ExportSubmissionService service, WaitingAnswer waiting,
                                  ExportCancellation cancellation) {
        this.service = Objects.requireNonNull(service, "service");
        this.waiting = waiting;
        this.cancellation = cancellation;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ProxyIntegration.answer(event, context, this::route, "The export request could not be processed");
    }

    private ApiResponse route(APIGatewayProxyRequestEvent event) {
        String method = event.getHttpMethod();
        String resource = event.getResource();
        if ("DELETE".equals(method) && "/exports/{id}".equals(resource) && cancellation != null) {
            Map<String, String> path = event.getPathParameters();
            ExportRequest cancelled = cancellation.cancel(owner(event), path == null ? null : path.get("id"));
            return ApiResponses.json(200, RequestViews.status(cancelled));
        }
        boolean exports = "POST".equals(method) && "/exports".equals(resource);
        boolean product = "POST".equals(method) && "/product".equals(resource);
        if (!exports && !product) {
            throw ApiException.of(404, "not_found", "No route " + ApiException.shorten(method, 10) + " "
                    + ApiException.shorten(resource, 100));
        }
        String owner = owner(event);
        String idempotencyKey = idempotencyKey(event);
        requireJson(event);
        String body = body(event);
        if (exports) {
            int waitSeconds = WaitOption.fromBody(body);
            Submission submission = service.submitExport(owner, body, idempotencyKey);
            if (waiting != null) {
                Optional<ObjectNode> finished = waiting.await(submission.request(), waitSeconds);
                if (finished.isPresent()) {
                    return answer(200, finished.get(), submission);
                }
            }
            return answer(202, accepted(submission.request()), submission);
        }
        Submission submission = service.submitProduct(owner, body, idempotencyKey);
        // The seed API answered {"RequestId": ...}; keep that key first, then the /exports fields.
        ObjectNode answer = Json.object().put("RequestId", submission.request().requestId());
        answer.setAll(accepted(submission.request()));
        return answer(202, answer, submission);
    }

    /** A replay says so in a header; its body is built the same way as the first answer. */
    private static ApiResponse answer(int status, ObjectNode body, Submission submission) {
        ApiResponse response = ApiResponses.json(status, body);
        if (!submission.replayed()) {
            return response;
        }
        Map<String, String> headers = new HashMap<>(response.headers());
        headers.put(REPLAYED_HEADER, "true");
        return new ApiResponse(response.statusCode(), headers, response.body());
    }

    /**
     * The optional {@code Idempotency-Key} (name in any case): 1 to 255 printable ASCII characters; two differing
     * values are refused rather than one picked.
     */
    static String idempotencyKey(APIGatewayProxyRequestEvent event) {
        List<String> values = Headers.values(event, IDEMPOTENCY_KEY_HEADER);
        if (values.isEmpty()) {
            return null;
        }
        String key = values.get(0);
        if (values.stream().anyMatch(value -> !value.equals(key))) {
            throw ApiException.badRequest("invalid_idempotency_key",
                    "Send one Idempotency-Key header, not several different ones");
        }
        if (!IdempotencyClaim.isValidKey(key)) {
            throw ApiException.badRequest("invalid_idempotency_key", "Header Idempotency-Key must be 1 to "
                    + IdempotencyClaim.MAX_KEY_LENGTH + " printable ASCII characters (a UUID is a good choice)");
        }
        return key;
    }

    /**
     * {@code Content-Type} must be JSON: {@code application/json}, in any case, with an optional {@code charset} that
     * must then be UTF-8. A missing Content-Type is taken as JSON, as most JSON APIs do (some clients omit it).
     */
    static void requireJson(APIGatewayProxyRequestEvent event) {
        List<String> values = Headers.values(event, "Content-Type");
        if (values.isEmpty()) {
            return;
        }
        for (String value : values) {
            if (!isJsonMediaType(value)) {
                throw ApiException.of(415, "unsupported_media_type", "Content-Type must be application/json "
                        + "(optionally with charset=utf-8), not \"" + ApiException.shorten(value, 100) + "\"");
            }
        }
    }

    static boolean isJsonMediaType(String value) {
        String[] parts = value.split(";", -1);
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int eq = parameter.indexOf('=');
            if (eq < 0) {
                return parameter.isEmpty() && i == parts.length - 1; // a trailing ";" is harmless
            }
            String name = parameter.substring(0, eq).trim();
            String charset = parameter.substring(eq + 1).trim().replace("\"", "");
            if (name.equalsIgnoreCase("charset") && !(charset.equalsIgnoreCase("utf-8")
                    || charset.equalsIgnoreCase("utf8"))) {
                return false;
            }
        }
        return true;
    }

    /** The shared 202 body, with the history link next to the status link. */
    private static ObjectNode accepted(ExportRequest request) {
        ObjectNode body = RequestViews.accepted(request);
        body.withObjectProperty("links").put("history", RequestViews.historyPath(request.requestId()));
        return body;
    }

    /** The caller's IAM identity, as API Gateway's IAM authorisation fills it in; 403 without one. */
    static String owner(APIGatewayProxyRequestEvent event) {
        var context = event.getRequestContext();
        var identity = context == null ? null : context.getIdentity();
        return Owners.fromIdentity(identity == null ? null : identity.getUserArn(),
                        identity == null ? null : identity.getCaller())
                .orElseThrow(() -> ApiException.of(403, "forbidden",
                        "The request carries no caller identity; sign it with IAM credentials (SigV4)"));
    }

    /**
     * The body as text. The size is checked on what arrived, before any decoding (a Content-Length header is never
     * trusted: API Gateway hands over the whole body); a base64 body must decode to valid UTF-8.
     */
    static String body(APIGatewayProxyRequestEvent event) {
        String body = event.getBody();
        if (body == null || !Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            return body;
        }
        // base64 takes 4 characters per 3 bytes: anything longer cannot decode to an acceptable body
        if (body.length() > (ExportOrderReader.MAX_BODY_BYTES + 2) / 3 * 4 + 4) {
            throw ExportOrderReader.tooLarge();
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_body", "The request body is marked base64 but is not");
        }
        if (bytes.length > ExportOrderReader.MAX_BODY_BYTES) {
            throw ExportOrderReader.tooLarge();
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("invalid_body", "The request body is not valid UTF-8");
        }
    }
}
