package com.warehouseexport.status;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.lambda.Priming;
import com.warehouseexport.model.lambda.PrimingEvents;
import com.warehouseexport.model.lambda.ProxyIntegration;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.json.ApiResponse;
import com.warehouseexport.model.json.ApiResponses;
import com.warehouseexport.model.json.Owners;
import com.warehouseexport.model.table.ControlTable;

import java.util.Map;
import java.util.Objects;

/**
 * API Gateway (REST, proxy integration) entry point for {@code GET /exports/{id}}, {@code GET
 * /exports/{id}/history}, {@code GET /datasets} and the seed API's {@code GET /product}. Routes on method and
 * resource template, calls {@link StatusService}, maps the outcome to a response.
 */
public final class StatusCheckHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final StatusService service;

    /** Lambda: configuration from the environment, client and catalog built once, at init (SnapStart snapshot). */
    public StatusCheckHandler() {
        this(fromEnvironment());
        Priming.register("status-check", this::prime);
    }

    /** SnapStart priming: the status of a request that does not exist (one GetItem, 404) and the catalog. */
    private void prime() {
        String id = RequestIds.newId();
        handleRequest(PrimingEvents.request("GET", "/exports/{id}", "/exports/" + id, Map.of("id", id), null), null);
        handleRequest(PrimingEvents.request("GET", "/datasets", "/datasets", null, null), null);
    }

    public StatusCheckHandler(StatusService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    private static StatusService fromEnvironment() {
        return new StatusService(ControlTable.fromConfig(AppConfig.forStatus()), DatasetCatalog.shared());
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return ProxyIntegration.answer(event, context, this::route, "The status could not be read");
    }

    private ApiResponse route(APIGatewayProxyRequestEvent event) {
        String method = event.getHttpMethod();
        String resource = event.getResource();
        if ("GET".equals(method) && resource != null) {
            switch (resource) {
                case "/exports/{id}":
                    return ApiResponses.json(200, service.status(owner(event), pathId(event)));
                case "/exports/{id}/history":
                    return ApiResponses.json(200, service.history(owner(event), pathId(event)));
                case "/datasets":
                    owner(event); // every route is IAM-signed; an unsigned call is refused the same everywhere
                    return ApiResponses.json(200, service.datasets());
                case "/product":
                    String owner = owner(event);
                    ProductQuery query = ProductQuery.fromHeaders(event.getHeaders(), event.getMultiValueHeaders());
                    return ApiResponses.json(200, service.product(owner, query));
                default:
                    break;
            }
        }
        throw ApiException.of(404, "not_found", "No route " + ApiException.shorten(method, 10) + " "
                + ApiException.shorten(resource, 100));
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

    private static String pathId(APIGatewayProxyRequestEvent event) {
        Map<String, String> parameters = event.getPathParameters();
        return parameters == null ? null : parameters.get("id");
    }

}
