package com.warehouseexport.localaws;

import java.net.URI;

/**
 * Services that run outside this JVM (LocalStack, under {@code mvn -Plocalstack}) and replace the in-process
 * DynamoDB, SQS, S3, SES and Secrets Manager; the warehouse (Redshift Data API) always stays local-aws's.
 */
public record ExternalAwsServices(String name, URI dynamoDb, URI sqs, URI s3, URI ses, URI secretsManager,
                                  String accessKey, String secretKey) {

    /** The endpoints code under test is given: these services, and local-aws's Redshift Data API. */
    LocalAwsEndpoints endpointsWith(URI redshiftData) {
        return new LocalAwsEndpoints(dynamoDb, sqs, s3, redshiftData, ses, secretsManager);
    }
}
