package com.warehouseexport.localruntime.apigateway;

import com.warehouseexport.localruntime.template.MethodOptions.RequestParameter;
import java.util.ArrayList;
import java.util.List;

/**
 * A request validator that validates parameters ({@code RequestModel.ValidateParameters: true}): every
 * {@code RequestParameters} entry with {@code Required: true} must be present (header names in any case).
 * Without such a validator API Gateway does not check Required, and neither does this.
 */
final class RequestValidation {
    private RequestValidation() {
    }

    /** The names of the required parameters the request lacks, in declaration order. */
    static List<String> missingParameters(ApiRoute route, GatewayResponses.RequestValues request) {
        List<String> missing = new ArrayList<>();
        if (!route.options().validateParameters()) {
            return missing;
        }
        for (RequestParameter parameter : route.options().requestParameters()) {
            if (!parameter.required()) {
                continue;
            }
            boolean present = switch (parameter.location()) {
                case "header" -> ProxyEvents.firstHeader(request.headers(), parameter.name()) != null;
                case "querystring" -> request.query().containsKey(parameter.name());
                default -> request.pathParameters().containsKey(parameter.name());
            };
            if (!present) {
                missing.add(parameter.name());
            }
        }
        return missing;
    }
}
