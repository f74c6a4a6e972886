package com.warehouseexport.localruntime.template;

import java.util.List;
import java.util.Map;

/**
 * What an {@code AWS::Serverless::Api} asks of API Gateway besides routes and IAM: API keys, CORS, gateway
 * responses, stage method settings (throttling) and the access log. Values are evaluated; SAM's quoted literals
 * ({@code "'*'"}) are kept as written where API Gateway reads them as mapping expressions (gateway response
 * headers) and unquoted where SAM only passes a literal through (Cors).
 *
 * @param apiKeyRequired   {@code Auth.ApiKeyRequired} as SAM reads it (any non-empty string counts as true)
 * @param cors             null when the API has no {@code Cors}
 * @param gatewayResponses by response type ({@code DEFAULT_4XX}, {@code THROTTLED}, ...)
 * @param accessLog        null when the stage has no {@code AccessLogSetting}
 */
public record ApiSettings(boolean apiKeyRequired, Cors cors, Map<String, GatewayResponse> gatewayResponses,
                          List<MethodSetting> methodSettings, AccessLogSetting accessLog) {

    public static final ApiSettings NONE = new ApiSettings(false, null, Map.of(), List.of(), null);

    /**
     * SAM's {@code Cors}: the headers of the OPTIONS answer SAM adds to every resource. allowMethods null means
     * SAM's default: the resource's own methods and OPTIONS.
     */
    public record Cors(String allowOrigin, String allowHeaders, String allowMethods, String maxAge,
                       boolean allowCredentials) {
    }

    /**
     * One of {@code GatewayResponses}: headers map a name to a mapping expression ({@code 'literal'} or
     * {@code method.request.header.X}); templates map a content type to a body template; statusCode null keeps
     * the response's own status.
     */
    public record GatewayResponse(String type, Integer statusCode, Map<String, String> headers,
                                  Map<String, String> templates) {
    }

    /**
     * One of the stage's {@code MethodSettings}: resourcePath {@code /*} and httpMethod {@code *} match every
     * method; limits null when not set.
     */
    public record MethodSetting(String resourcePath, String httpMethod, Double throttlingRateLimit,
                                Integer throttlingBurstLimit) {
        public boolean matches(String method, String path) {
            return ("*".equals(httpMethod) || httpMethod.equalsIgnoreCase(method))
                && ("/*".equals(resourcePath) || resourcePath.equals(path));
        }
    }

    /** {@code AccessLogSetting}: where the lines go on AWS and their format ({@code $context} variables). */
    public record AccessLogSetting(String destinationArn, String format) {
    }
}
