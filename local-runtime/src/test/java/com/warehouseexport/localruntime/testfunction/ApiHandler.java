package com.warehouseexport.localruntime.testfunction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.List;
import java.util.Map;

/**
 * An API Gateway proxy handler answering with the parts of the event it received, in a simple line format the
 * tests read back (no JSON library in the function jar).
 */
public class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        if ("/boom".equals(event.getPath())) {
            throw new IllegalStateException("boom");
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext rc = event.getRequestContext();
        APIGatewayProxyRequestEvent.RequestIdentity id = rc.getIdentity();
        StringBuilder body = new StringBuilder();
        line(body, "resource", event.getResource());
        line(body, "path", event.getPath());
        line(body, "httpMethod", event.getHttpMethod());
        line(body, "pathParameters", event.getPathParameters());
        line(body, "queryStringParameters", event.getQueryStringParameters());
        line(body, "multiValueQueryStringParameters", event.getMultiValueQueryStringParameters());
        line(body, "header.x-custom", header(event.getHeaders(), "x-custom"));
        line(body, "multiValueHeader.x-multi", header(event.getMultiValueHeaders(), "x-multi"));
        line(body, "body", event.getBody());
        line(body, "isBase64Encoded", event.getIsBase64Encoded());
        line(body, "rc.resourcePath", rc.getResourcePath());
        line(body, "rc.httpMethod", rc.getHttpMethod());
        line(body, "rc.stage", rc.getStage());
        line(body, "rc.path", rc.getPath());
        line(body, "rc.apiId", rc.getApiId());
        line(body, "rc.accountId", rc.getAccountId());
        line(body, "rc.requestId", rc.getRequestId());
        line(body, "rc.requestTimeEpoch", rc.getRequestTimeEpoch());
        line(body, "rc.domainName", rc.getDomainName());
        line(body, "id.accessKey", id.getAccessKey());
        line(body, "id.caller", id.getCaller());
        line(body, "id.user", id.getUser());
        line(body, "id.userArn", id.getUserArn());
        line(body, "id.accountId", id.getAccountId());
        line(body, "id.sourceIp", id.getSourceIp());
        line(body, "id.userAgent", id.getUserAgent());
        line(body, "id.apiKey", id.getApiKey());
        APIGatewayProxyResponseEvent response = new APIGatewayProxyResponseEvent()
            .withStatusCode("/created".equals(event.getPath()) ? 201 : 200)
            .withHeaders(Map.of("Content-Type", "text/plain", "X-Handler", "api"))
            .withMultiValueHeaders(Map.of("X-Multi", List.of("one", "two")))
            .withBody(body.toString());
        return response;
    }

    private static Object header(Map<String, ?> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, ?> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private static void line(StringBuilder body, String name, Object value) {
        body.append(name).append('=').append(value).append('\n');
    }
}
