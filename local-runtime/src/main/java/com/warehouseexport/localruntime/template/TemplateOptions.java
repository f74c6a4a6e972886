package com.warehouseexport.localruntime.template;

import java.net.URI;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What a local "deployment" of a template needs besides the template: the stack name and region, the parameter
 * values given on the command line or in the local config file, how the local SQS names its queue URLs, and the
 * local API gateway's base URL ({@code apiEndpoint}, null when unknown), which replaces an API's public
 * {@code https://<api id>.execute-api.<region>.amazonaws.com} in environment variables and outputs.
 */
public record TemplateOptions(String stackName, String region, String accountId,
                              Map<String, String> parameterOverrides, UnaryOperator<String> queueUrlForName,
                              URI apiEndpoint) {
    public static final String LOCAL_ACCOUNT_ID = "000000000000";
    public static final String DEFAULT_STACK_NAME = "warehouse-export";
    public static final String DEFAULT_REGION = "us-east-1";

    public TemplateOptions {
        parameterOverrides = Map.copyOf(parameterOverrides);
    }

    public TemplateOptions(String stackName, String region, String accountId, Map<String, String> parameterOverrides,
                           UnaryOperator<String> queueUrlForName) {
        this(stackName, region, accountId, parameterOverrides, queueUrlForName, null);
    }

    /** Defaults for tests: queue URLs in ElasticMQ's form on its default port. */
    public static TemplateOptions defaults(Map<String, String> parameterOverrides) {
        return new TemplateOptions(DEFAULT_STACK_NAME, DEFAULT_REGION, LOCAL_ACCOUNT_ID, parameterOverrides,
            name -> "http://127.0.0.1:9324/" + LOCAL_ACCOUNT_ID + "/" + name);
    }

    public TemplateOptions withQueueUrls(UnaryOperator<String> queueUrls) {
        return new TemplateOptions(stackName, region, accountId, parameterOverrides, queueUrls, apiEndpoint);
    }

    public TemplateOptions withApiEndpoint(URI endpoint) {
        return new TemplateOptions(stackName, region, accountId, parameterOverrides, queueUrlForName, endpoint);
    }
}
