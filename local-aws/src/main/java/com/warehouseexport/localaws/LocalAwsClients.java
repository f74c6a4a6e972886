package com.warehouseexport.localaws;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Real SDK v2 clients pointed at the local endpoints, created on first use and closed together. */
public final class LocalAwsClients implements AutoCloseable {
    private final LocalAwsEndpoints endpoints;
    private final Region region;
    private final StaticCredentialsProvider credentials;
    private final SdkHttpClient http = new RetryableIoHttpClient(UrlConnectionHttpClient.builder().build());
    private final List<AutoCloseable> created = new ArrayList<>();

    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private S3Client s3;
    private S3Presigner presigner;
    private RedshiftDataClient redshiftData;
    private SesClient ses;
    private SecretsManagerClient secretsManager;
    private AthenaClient athena;

    public LocalAwsClients(LocalAwsEndpoints endpoints, String region, String accessKey, String secretKey) {
        this.endpoints = endpoints;
        this.region = Region.of(region);
        this.credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    public LocalAwsEndpoints endpoints() {
        return endpoints;
    }

    public StaticCredentialsProvider credentials() {
        return credentials;
    }

    public synchronized DynamoDbClient dynamoDb() {
        return dynamoDb = lazily(dynamoDb, () -> configure(DynamoDbClient.builder(), endpoints.dynamoDb()).build());
    }

    public synchronized SqsClient sqs() {
        return sqs = lazily(sqs, () -> configure(SqsClient.builder(), endpoints.sqs()).build());
    }

    public synchronized S3Client s3() {
        return s3 = lazily(s3, () -> configure(S3Client.builder(), endpoints.s3()).forcePathStyle(true).build());
    }

    public synchronized S3Presigner s3Presigner() {
        return presigner = lazily(presigner, () -> S3Presigner.builder()
            .region(region)
            .credentialsProvider(credentials)
            .endpointOverride(endpoints.s3())
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build());
    }

    public synchronized RedshiftDataClient redshiftData() {
        return redshiftData = lazily(redshiftData,
            () -> configure(RedshiftDataClient.builder(), endpoints.redshiftData()).build());
    }

    public synchronized SesClient ses() {
        return ses = lazily(ses, () -> configure(SesClient.builder(), endpoints.ses()).build());
    }

    public synchronized SecretsManagerClient secretsManager() {
        return secretsManager = lazily(secretsManager,
            () -> configure(SecretsManagerClient.builder(), endpoints.secretsManager()).build());
    }

    public synchronized AthenaClient athena() {
        return athena = lazily(athena, () -> configure(AthenaClient.builder(), endpoints.athena()).build());
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        builder.region(region).credentialsProvider(credentials).endpointOverride(endpoint);
        if (builder instanceof software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder<?, ?> sync) {
            sync.httpClient(http);
        }
        return builder;
    }

    private <T extends AutoCloseable> T lazily(T existing, Supplier<T> factory) {
        if (existing != null) {
            return existing;
        }
        T client = factory.get();
        created.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable client : created) {
            try {
                client.close();
            } catch (Exception ignored) {
                // closing clients never fails in a way worth reporting
            }
        }
        created.clear();
        http.close();
    }
}
