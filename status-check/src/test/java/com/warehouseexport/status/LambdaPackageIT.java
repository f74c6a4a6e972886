package com.warehouseexport.status;

import com.warehouseexport.model.testing.ApiEvents;
import com.warehouseexport.model.testing.LambdaJar;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.links.LinkTokens;
import com.warehouseexport.model.links.SecretsManagerLinkKeys;
import com.warehouseexport.model.table.RequestUpdate;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lambda package itself, {@code target/status-check.jar}: its contents, and invocations the way the Java
 * runtime makes them, in a class loader that sees only the jar (so a class left out of it fails here).
 */
@LocalAwsTest
class LambdaPackageIT {
    private static final Path JAR = Path.of("target", "status-check.jar");
    private static final String HANDLER = "com.warehouseexport.status.StatusCheckHandler";
    private static final String FIXTURE_ID = "3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13";

    @Test
    void holdsNoEmulatorWarehouseOrUnwantedHttpClient() throws Exception {
        List<String> forbidden = List.of("org/apache/http/", "software/amazon/awssdk/http/apache/", "io/netty/",
                "software/amazon/awssdk/http/nio/", "org/duckdb/", "com/amazonaws/services/dynamodbv2/local/",
                "org/elasticmq/", "org/gaul/s3proxy/", "com/warehouseexport/localaws/", "org/junit/",
                "software/amazon/awssdk/services/sqs/", "software/amazon/awssdk/services/redshiftdata/",
                "software/amazon/awssdk/services/ses/");
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            List<String> offending = zip.stream().map(entry -> entry.getName())
                    .filter(name -> forbidden.stream().anyMatch(name::startsWith)).limit(5).toList();
            assertEquals(List.of(), offending);
            assertTrue(zip.getEntry(HANDLER.replace('.', '/') + ".class") != null);
            System.out.printf("status-check.jar: %,d bytes, %,d entries%n", Files.size(JAR), zip.size());
        }
    }

    @Test
    void answersStatusAndDatasetsFromTheJarAlone(LocalAws aws, DynamoDbClient dynamo) throws Throwable {
        String tableName = "package-" + UUID.randomUUID().toString().substring(0, 8);
        ControlTableSchema.createTableIfMissing(dynamo, tableName);
        new ControlTable(dynamo, tableName, Duration.ofDays(1)).create(ExportRequest.received(FIXTURE_ID,
                "arn:aws:iam::000000000000:user/partner-a", "product_detail", ValidatedParameters.empty(),
                ExportFormat.CSV, Instant.now()));

        Map<String, String> env = new HashMap<>(aws.endpoints().asEnvironment());
        env.put("AWS_REGION", aws.region());
        env.put("CONTROL_TABLE", tableName);
        // The default credentials chain of the jar's SDK reads these (JVM-wide, so also for other tests: harmless).
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_KEY);

        try (LambdaJar jar = new LambdaJar(JAR, env)) {
            Object handler = jar.newHandler(HANDLER);
            for (String fixture : List.of("api-get-export.json", "api-get-export-history.json",
                    "api-get-datasets.json", "api-get-product.json")) {
                long start = System.nanoTime();
                JsonNode response = Json.parse(jar.invokeForJson(handler, APIGatewayProxyRequestEvent.class.getName(),
                        Files.readString(ApiEvents.fixture(fixture)), APIGatewayProxyResponseEvent.class.getName()));
                System.out.printf("%s from the jar: %d ms%n", fixture, (System.nanoTime() - start) / 1_000_000);

                assertEquals(200, response.get("statusCode").asInt(), fixture + ": " + response);
                JsonNode body = Json.parse(response.get("body").asText());
                assertTrue(body.has("datasets") || FIXTURE_ID.equals(body.path("requestId").asText()), body.toString());
            }
        }
    }

    /** The download routes need S3's presigner and Secrets Manager: both must be in the jar, and work from it. */
    @Test
    void redirectsDownloadsFromTheJarAlone(LocalAws aws, DynamoDbClient dynamo, S3Client s3,
                                           SecretsManagerClient secrets) throws Throwable {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String tableName = "package-dl-" + suffix;
        String bucket = "package-dl-" + suffix;
        ControlTableSchema.createTableIfMissing(dynamo, tableName);
        s3.createBucket(r -> r.bucket(bucket));
        String key = "archives/" + FIXTURE_ID + "/" + FIXTURE_ID + ".zip";
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString("zip bytes"));
        ControlTable table = new ControlTable(dynamo, tableName, Duration.ofDays(1));
        ExportRequest request = table.create(ExportRequest.received(FIXTURE_ID,
                "arn:aws:iam::000000000000:user/partner-a", "product_detail", ValidatedParameters.empty(),
                ExportFormat.CSV, Instant.now()));
        for (RequestState next : List.of(RequestState.QUEUED, RequestState.SUBMITTED, RequestState.PACKAGING)) {
            request = table.transition(request, next, "test", RequestUpdate.none());
        }
        Instant expiresAt = Instant.now().plus(Duration.ofHours(1));
        table.transition(request, RequestState.SUCCEEDED, "test", RequestUpdate.withResult(new ExportResult(1, 9,
                ExportFormat.CSV, 1, "https://api.example/v1/links/x", expiresAt, key)));
        String secretArn = secrets.createSecret(r -> r.name("package-links-" + suffix)
                .secretString("{\"key\":\"" + "p".repeat(40) + "\"}")).arn();
        String token = new LinkTokens(new SecretsManagerLinkKeys(secrets, secretArn), Clock.systemUTC())
                .sign(FIXTURE_ID, expiresAt);

        Map<String, String> env = new HashMap<>(aws.endpoints().asEnvironment());
        env.put("AWS_REGION", aws.region());
        env.put("CONTROL_TABLE", tableName);
        env.put("ARCHIVE_BUCKET", bucket);
        env.put("LINK_SIGNING_SECRET_ARN", secretArn);
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_KEY);

        String linkEvent = Files.readString(ApiEvents.fixture("api-get-link.json"));
        String fixtureToken = Json.parse(linkEvent).at("/pathParameters/token").asText();
        try (LambdaJar jar = new LambdaJar(JAR, env)) {
            Object handler = jar.newHandler(HANDLER);
            for (String event : List.of(Files.readString(ApiEvents.fixture("api-get-export-download.json")),
                    linkEvent.replace(fixtureToken, token))) {
                JsonNode response = Json.parse(jar.invokeForJson(handler, APIGatewayProxyRequestEvent.class.getName(),
                        event, APIGatewayProxyResponseEvent.class.getName()));
                assertEquals(302, response.get("statusCode").asInt(), response.toString());
                String location = response.at("/headers/Location").asText();
                assertTrue(location.contains("/" + bucket + "/" + key + "?") && location.contains("X-Amz-Expires=600"),
                        location);
            }
            JsonNode refused = Json.parse(jar.invokeForJson(handler, APIGatewayProxyRequestEvent.class.getName(),
                    linkEvent, APIGatewayProxyResponseEvent.class.getName()));
            assertEquals(403, refused.get("statusCode").asInt(), "the fixture's token is signed with another key");
        }
    }
}
