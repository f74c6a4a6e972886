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
import com.warehouseexport.model.aws.AwsClients;
import com.warehouseexport.model.links.DownloadLinks;
import com.warehouseexport.model.links.LinkTokens;
import com.warehouseexport.model.links.SecretsManagerLinkKeys;
import com.warehouseexport.model.table.ControlTable;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * API Gateway (REST, proxy integration) entry point for {@code GET /exports/{id}}, {@code GET
 * /exports/{id}/history}, {@code GET /datasets}, the seed API's {@code GET /product}, and the downloads
 * {@code GET /exports/{id}/download} and {@code GET /links/{token}} ({@link DownloadService}). Routes on method and
 * resource template, calls the service, maps the outcome to a response.
 */
public final class StatusCheckHandler
        implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final StatusService service;
    /** Null when ARCHIVE_BUCKET or LINK_SIGNING_SECRET_ARN is unset: the download routes then answer 500. */
    private final DownloadService downloads;

    /** Lambda: configuration from the environment, client and catalog built once, at init (SnapStart snapshot). */
    public StatusCheckHandler() {
        this(AppConfig.forStatus());
        Priming.register("status-check", this::prime);
    }

    /** SnapStart priming: the status of a request that does not exist (one GetItem, 404) and the catalog. */
    private void prime() {
        String id = RequestIds.newId();
        handleRequest(PrimingEvents.request("GET", "/exports/{id}", "/exports/" + id, Map.of("id", id), null), null);
        handleRequest(PrimingEvents.request("GET", "/datasets", "/datasets", null, null), null);
    }

    public StatusCheckHandler(StatusService service) {
        this(service, null);
    }

    public StatusCheckHandler(StatusService service, DownloadService downloads) {
        this.service = Objects.requireNonNull(service, "service");
        this.downloads = downloads;
    }

    private StatusCheckHandler(AppConfig config) {
        this(config, new StatusService(ControlTable.fromConfig(config), DatasetCatalog.shared()));
    }

    private StatusCheckHandler(AppConfig config, StatusService service) {
        this(service, downloadService(config, service));
    }

    /** The keys are read on first use, not here: a SnapStart snapshot must not hold them. */
    private static DownloadService downloadService(AppConfig config, StatusService service) {
        String secretArn = DownloadLinks.secretArnFromEnv();
        if (config.archiveBucket() == null || secretArn == null) {
            return null;
        }
        Clock clock = Clock.systemUTC();
        return new DownloadService(service, AwsClients.s3Presigner(), config.archiveBucket(),
                new LinkTokens(new SecretsManagerLinkKeys(AwsClients.secretsManager(), secretArn), clock), clock);
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
                case "/exports/{id}/download":
                    return downloads().download(owner(event), pathId(event));
                case "/links/{token}":
                    // no IAM signature on this route: the token is the authorisation
                    return downloads().follow(pathParameter(event, "token"));
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
        return pathParameter(event, "id");
    }

    private static String pathParameter(APIGatewayProxyRequestEvent event, String name) {
        Map<String, String> parameters = event.getPathParameters();
        return parameters == null ? null : parameters.get(name);
    }

    private DownloadService downloads() {
        if (downloads == null) {
            throw new IllegalStateException("download routes need ARCHIVE_BUCKET and "
                    + DownloadLinks.LINK_SIGNING_SECRET_ARN);
        }
        return downloads;
    }

}
