package com.warehouseexport.model.aws;

import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.config.ConfigException;
import com.warehouseexport.model.config.Env;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.ses.model.Body;
import software.amazon.awssdk.services.ses.model.Content;
import software.amazon.awssdk.services.ses.model.Destination;
import software.amazon.awssdk.services.ses.model.Message;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The AWS clients of a function, each built on first use and then shared for the life of the JVM (one per
 * class loader under the local runtime). Region from {@code AWS_REGION}; credentials from the default chain
 * (an explicit environment-variable provider would break SnapStart, which supplies container credentials);
 * the URL-connection HTTP client; {@code AWS_ENDPOINT_URL_<SERVICE>} as endpoint override when set, with S3
 * then addressed path-style. Everything is read through {@link Env}.
 *
 * <p>Each client lives in its own holder class, so a function that never asks for, say, S3 never loads S3
 * classes and may leave the S3 module out of its jar. The {@code newXxx()} methods build a fresh client from
 * the current environment, for tests and tools that need one of their own (the caller closes it).
 */
public final class AwsClients {
    public static final String ENDPOINT_DYNAMODB = "AWS_ENDPOINT_URL_DYNAMODB";
    public static final String ENDPOINT_SQS = "AWS_ENDPOINT_URL_SQS";
    public static final String ENDPOINT_S3 = "AWS_ENDPOINT_URL_S3";
    public static final String ENDPOINT_REDSHIFT_DATA = "AWS_ENDPOINT_URL_REDSHIFT_DATA";
    public static final String ENDPOINT_SES = "AWS_ENDPOINT_URL_SES";
    public static final String ENDPOINT_SECRETS_MANAGER = "AWS_ENDPOINT_URL_SECRETS_MANAGER";
    public static final String ENDPOINT_ATHENA = "AWS_ENDPOINT_URL_ATHENA";

    /** Priming steps of the clients built so far; see {@link #prime()}. */
    private static final List<Runnable> PRIMERS = new CopyOnWriteArrayList<>();

    private AwsClients() {
    }

    public static DynamoDbClient dynamoDb() {
        return DynamoDbHolder.CLIENT;
    }

    public static SqsClient sqs() {
        return SqsHolder.CLIENT;
    }

    public static S3Client s3() {
        return S3Holder.CLIENT;
    }

    public static S3Presigner s3Presigner() {
        return S3PresignerHolder.PRESIGNER;
    }

    public static RedshiftDataClient redshiftData() {
        return RedshiftDataHolder.CLIENT;
    }

    public static SesClient ses() {
        return SesHolder.CLIENT;
    }

    public static SecretsManagerClient secretsManager() {
        return SecretsManagerHolder.CLIENT;
    }

    public static AthenaClient athena() {
        return AthenaHolder.CLIENT;
    }

    /**
     * Warms, without any network call, the clients this function has asked for so far: loads and initialises
     * the classes of the request models and builders it uses. Meant for a SnapStart {@code beforeCheckpoint}
     * hook, after the handler's constructor obtained its clients. Credentials are deliberately not resolved
     * (after a restore they must come from the restored environment).
     */
    public static void prime() {
        for (Runnable primer : PRIMERS) {
            primer.run();
        }
    }

    public static DynamoDbClient newDynamoDbClient() {
        return configure(DynamoDbClient.builder(), ENDPOINT_DYNAMODB).build();
    }

    public static SqsClient newSqsClient() {
        return configure(SqsClient.builder(), ENDPOINT_SQS).build();
    }

    public static S3Client newS3Client() {
        S3ClientBuilder builder = configure(S3Client.builder(), ENDPOINT_S3);
        if (endpoint(ENDPOINT_S3) != null) {
            builder.forcePathStyle(true);
        }
        return builder.build();
    }

    public static S3Presigner newS3Presigner() {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(region())
                .credentialsProvider(Shared.CREDENTIALS);
        URI endpoint = endpoint(ENDPOINT_S3);
        if (endpoint != null) {
            builder.endpointOverride(endpoint)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build());
        }
        return builder.build();
    }

    public static RedshiftDataClient newRedshiftDataClient() {
        return configure(RedshiftDataClient.builder(), ENDPOINT_REDSHIFT_DATA).build();
    }

    public static SesClient newSesClient() {
        return configure(SesClient.builder(), ENDPOINT_SES).build();
    }

    public static AthenaClient newAthenaClient() {
        return configure(AthenaClient.builder(), ENDPOINT_ATHENA).build();
    }

    public static SecretsManagerClient newSecretsManagerClient() {
        return configure(SecretsManagerClient.builder(), ENDPOINT_SECRETS_MANAGER).build();
    }

    /** Region of every client: {@code AWS_REGION}, required. */
    public static Region region() {
        return Region.of(Env.require(AppConfig.AWS_REGION));
    }

    /** The override URI for a service, or {@code null} when the variable is unset. */
    public static URI endpoint(String variable) {
        String value = Env.get(variable);
        if (value == null) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(value, "needs a scheme and a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException("Environment variable " + variable + " is not a valid URL: " + value);
        }
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, String endpointVariable) {
        builder.region(region())
                .credentialsProvider(Shared.CREDENTIALS)
                .httpClient(Shared.HTTP);
        URI endpoint = endpoint(endpointVariable);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    /** One credentials chain and one HTTP client for all clients (the SDK does not close shared ones). */
    private static final class Shared {
        static final AwsCredentialsProvider CREDENTIALS = DefaultCredentialsProvider.builder().build();
        static final SdkHttpClient HTTP = new RetryableIoHttpClient(UrlConnectionHttpClient.builder().build());
    }

    // Each holder's prime() builds the request objects its callers use, loading and initialising the model,
    // builder and validation classes that a first real call would otherwise load on the clock.

    private static final class DynamoDbHolder {
        static final DynamoDbClient CLIENT = newDynamoDbClient();

        static {
            PRIMERS.add(DynamoDbHolder::prime);
        }

        static void prime() {
            Map<String, AttributeValue> key = Map.of(
                    "pk", AttributeValue.fromS("REQ#prime"), "sk", AttributeValue.fromS("REQUEST"));
            GetItemRequest.builder().tableName("prime").key(key).consistentRead(true).build();
            QueryRequest.builder().tableName("prime").indexName("prime").keyConditionExpression("#k = :v")
                    .expressionAttributeNames(Map.of("#k", "pk"))
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("x"))).limit(1).build();
            TransactWriteItemsRequest.builder().clientRequestToken("prime").transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName("prime").item(key)
                            .conditionExpression("attribute_not_exists(pk)").build()).build(),
                    TransactWriteItem.builder().update(Update.builder().tableName("prime").key(key)
                            .updateExpression("SET #s = :s").conditionExpression("#s = :e")
                            .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                            .build()).build()).build();
            UpdateItemRequest.builder().tableName("prime").key(key).updateExpression("SET a = :a")
                    .returnValues(ReturnValue.ALL_NEW).build();
        }
    }

    private static final class SqsHolder {
        static final SqsClient CLIENT = newSqsClient();

        static {
            PRIMERS.add(SqsHolder::prime);
        }

        static void prime() {
            SendMessageRequest.builder().queueUrl("http://localhost/prime").messageBody("{}").build();
        }
    }

    private static final class S3Holder {
        static final S3Client CLIENT = newS3Client();

        static {
            PRIMERS.add(S3Holder::prime);
        }

        static void prime() {
            GetObjectRequest.builder().bucket("prime").key("prime").build();
            ListObjectsV2Request.builder().bucket("prime").prefix("prime/").build();
            CreateMultipartUploadRequest.builder().bucket("prime").key("prime").contentType("application/zip").build();
            UploadPartRequest.builder().bucket("prime").key("prime").uploadId("prime").partNumber(1).build();
            CompleteMultipartUploadRequest.builder().bucket("prime").key("prime").uploadId("prime")
                    .multipartUpload(CompletedMultipartUpload.builder()
                            .parts(CompletedPart.builder().partNumber(1).eTag("prime").build()).build())
                    .build();
        }
    }

    private static final class S3PresignerHolder {
        static final S3Presigner PRESIGNER = newS3Presigner();

        static {
            PRIMERS.add(S3PresignerHolder::prime);
        }

        static void prime() {
            GetObjectPresignRequest.builder().signatureDuration(Duration.ofMinutes(1))
                    .getObjectRequest(GetObjectRequest.builder().bucket("prime").key("prime").build()).build();
        }
    }

    private static final class RedshiftDataHolder {
        static final RedshiftDataClient CLIENT = newRedshiftDataClient();

        static {
            PRIMERS.add(RedshiftDataHolder::prime);
        }

        static void prime() {
            ExecuteStatementRequest.builder().sql("select 1").database("prime").clusterIdentifier("prime")
                    .clientToken("prime").statementName("prime").withEvent(true).build();
            DescribeStatementRequest.builder().id("prime").build();
        }
    }

    private static final class SesHolder {
        static final SesClient CLIENT = newSesClient();

        static {
            PRIMERS.add(SesHolder::prime);
        }

        static void prime() {
            SendEmailRequest.builder().source("prime@example.com")
                    .destination(Destination.builder().toAddresses("prime@example.com").build())
                    .message(Message.builder().subject(Content.builder().data("prime").charset("UTF-8").build())
                            .body(Body.builder().text(Content.builder().data("prime").charset("UTF-8").build()).build())
                            .build())
                    .build();
        }
    }

    private static final class SecretsManagerHolder {
        static final SecretsManagerClient CLIENT = newSecretsManagerClient();

        static {
            PRIMERS.add(SecretsManagerHolder::prime);
        }

        static void prime() {
            GetSecretValueRequest.builder().secretId("prime").build();
        }
    }

    private static final class AthenaHolder {
        static final AthenaClient CLIENT = newAthenaClient();

        static {
            PRIMERS.add(AthenaHolder::prime);
        }

        static void prime() {
            StartQueryExecutionRequest.builder().queryString("select 1").clientRequestToken("prime")
                    .workGroup("prime").queryExecutionContext(c -> c.database("prime").catalog("prime"))
                    .resultConfiguration(r -> r.outputLocation("s3://prime/prime/")).build();
            GetQueryExecutionRequest.builder().queryExecutionId("prime").build();
        }
    }
}
