package com.warehouseexport.model.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.util.Map;

/** API Gateway events for priming the API functions: signed by a caller that owns nothing. */
public final class PrimingEvents {
    public static final String CALLER_ARN = "arn:aws:iam::000000000000:user/snapstart-priming";

    private PrimingEvents() {
    }

    public static APIGatewayProxyRequestEvent request(String method, String resource, String path,
                                                      Map<String, String> pathParameters, String body) {
        APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity()
                .withUserArn(CALLER_ARN).withCaller("snapstart-priming");
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withIdentity(identity).withHttpMethod(method).withResourcePath(resource).withStage("v1")
                .withRequestId("snapstart-priming");
        return new APIGatewayProxyRequestEvent().withHttpMethod(method).withResource(resource).withPath(path)
                .withPathParameters(pathParameters).withHeaders(Map.of("Content-Type", "application/json"))
                .withBody(body).withIsBase64Encoded(false).withRequestContext(context);
    }
}
