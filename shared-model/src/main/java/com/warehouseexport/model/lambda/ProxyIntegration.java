package com.warehouseexport.model.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.warehouseexport.model.config.Env;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.json.ApiResponse;
import com.warehouseexport.model.json.ApiResponses;
import java.util.HashMap;
import java.util.Map;

/**
 * The one way an API Gateway handler answers: a route's {@link ApiResponse}, an {@link ApiException}'s clear 4xx,
 * or for anything unexpected a 500 that names only a reference (the details go to the log).
 */
public final class ProxyIntegration {

    /** Maps a proxy request to a response; throws {@link ApiException} for a caller's mistake. */
    @FunctionalInterface
    public interface Routes {
        ApiResponse route(APIGatewayProxyRequestEvent event);
    }

    /** The origin browsers may call the API from (template parameter CorsAllowOrigin); unset = no CORS header. */
    public static final String CORS_ALLOW_ORIGIN = "CORS_ALLOW_ORIGIN";

    private ProxyIntegration() {
    }

    /**
     * The response headers plus {@code Access-Control-Allow-Origin} from {@code CORS_ALLOW_ORIGIN} (when set): with
     * the proxy integration API Gateway passes the function's headers through, so the function must add it.
     * A single origin also gets {@code Vary: Origin}, so caches keep answers per origin.
     */
    public static Map<String, String> withCors(Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        String origin = Env.get(CORS_ALLOW_ORIGIN);
        if (origin != null) {
            all.put("Access-Control-Allow-Origin", origin);
            if (!origin.equals("*")) {
                all.put("Vary", "Origin");
            }
        }
        return all;
    }

    /**
     * @param failureMessage what the caller reads on a 500, e.g. "The status could not be read"; the reference
     *                       (Lambda request id) is appended
     */
    public static APIGatewayProxyResponseEvent answer(APIGatewayProxyRequestEvent event, Context context,
                                                      Routes routes, String failureMessage) {
        ApiResponse response;
        try {
            if (event == null) {
                throw ApiException.badRequest("invalid_request", "No request");
            }
            response = routes.route(event);
        } catch (ApiException e) {
            response = e.toResponse();
        } catch (RuntimeException e) {
            String reference = context != null ? context.getAwsRequestId() : "-";
            Log.error("Unexpected error (request " + reference + ")", e);
            response = ApiResponses.error(500, "internal_error", failureMessage + " (reference " + reference + ")");
        }
        return new APIGatewayProxyResponseEvent()
            .withStatusCode(response.statusCode())
            .withHeaders(withCors(response.headers()))
            .withBody(response.body())
            .withIsBase64Encoded(false);
    }
}
