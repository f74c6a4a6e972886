package com.warehouseexport.model.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.json.ApiResponse;
import com.warehouseexport.model.json.ApiResponses;
import java.util.HashMap;

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

    private ProxyIntegration() {
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
            .withHeaders(new HashMap<>(response.headers()))
            .withBody(response.body())
            .withIsBase64Encoded(false);
    }
}
