package com.warehouseexport.localaws;

import java.net.URI;

/**
 * Services that run outside this JVM (LocalStack, under {@code mvn -Plocalstack}) and replace the in-process
 * DynamoDB, SQS, S3, SES and Secrets Manager; the warehouses (Redshift Data API and Athena) always stay local-aws's.
 */
public record ExternalAwsServices(String name, URI dynamoDb, URI sqs, URI s3, URI ses, URI secretsManager,
                                  String accessKey, String secretKey) {

    /** The endpoints code under test is given: these services, and local-aws's warehouses (one endpoint). */
    LocalAwsEndpoints endpointsWith(URI warehouses) {
        return new LocalAwsEndpoints(dynamoDb, sqs, s3, warehouses, ses, secretsManager, warehouses);
    }
}
