package com.warehouseexport.receiver;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.aws.AwsClients;
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

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * API Gateway (REST, proxy integration) entry point for {@code POST /exports} and {@code POST /product}.
 * Parses the event, calls {@link ExportSubmissionService}, maps the outcome to a response. Bad input is a 4xx
 * with {@code {"error", "message"}}; anything unexpected is a 500 whose details go only to the log.
 */
public final class RequestReceiverHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final ExportSubmissionService service;

    /** Lambda: configuration from the environment, clients and catalog built once, at init (SnapStart snapshot). */
    public RequestReceiverHandler() {
        this(fromEnvironment());
        Priming.register("request-receiver", this::primeRoute, RequestReceiverHandler::primeTable);
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
        this.service = Objects.requireNonNull(service, "service");
    }

    private static ExportSubmissionService fromEnvironment() {
        AppConfig config = AppConfig.forReceiver();
        return new ExportSubmissionService(DatasetCatalog.shared(), ControlTable.fromConfig(config), AwsClients.sqs(),
                config.exportQueueUrl());
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ProxyIntegration.answer(event, context, this::route, "The export request could not be processed");
    }

    private ApiResponse route(APIGatewayProxyRequestEvent event) {
        String method = event.getHttpMethod();
        String resource = event.getResource();
        if ("POST".equals(method) && "/exports".equals(resource)) {
            ExportRequest request = service.submitExport(owner(event), body(event));
            return ApiResponses.json(202, accepted(request));
        }
        if ("POST".equals(method) && "/product".equals(resource)) {
            ExportRequest request = service.submitProduct(owner(event), body(event));
            // The seed API answered {"RequestId": ...}; keep that key first, then the /exports fields.
            ObjectNode body = Json.object().put("RequestId", request.requestId());
            body.setAll(accepted(request));
            return ApiResponses.json(202, body);
        }
        throw ApiException.of(404, "not_found", "No route " + ApiException.shorten(method, 10) + " "
                + ApiException.shorten(resource, 100));
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

    static String body(APIGatewayProxyRequestEvent event) {
        String body = event.getBody();
        if (body == null || !Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            return body;
        }
        try {
            return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_body", "The request body is marked base64 but is not");
        }
    }

}
