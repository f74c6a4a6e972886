package com.warehouseexport.localaws;

import java.net.URI;

/** Where each emulated service listens; the project's own services share one endpoint. */
public record LocalAwsEndpoints(URI dynamoDb, URI sqs, URI s3, URI redshiftData, URI ses, URI secretsManager,
                                URI athena) {

    /** The SDK's own environment variable names for per-service endpoint overrides, with their values. */
    public java.util.Map<String, String> asEnvironment() {
        return java.util.Map.of(
            "AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.toString(),
            "AWS_ENDPOINT_URL_SQS", sqs.toString(),
            "AWS_ENDPOINT_URL_S3", s3.toString(),
            "AWS_ENDPOINT_URL_REDSHIFT_DATA", redshiftData.toString(),
            "AWS_ENDPOINT_URL_SES", ses.toString(),
            "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.toString(),
            "AWS_ENDPOINT_URL_ATHENA", athena.toString());
    }
}
