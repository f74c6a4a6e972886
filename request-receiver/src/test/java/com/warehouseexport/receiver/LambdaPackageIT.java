package com.warehouseexport.receiver;

import com.warehouseexport.model.testing.ApiEvents;
import com.warehouseexport.model.testing.LambdaJar;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Lambda package itself, {@code target/request-receiver.jar}: its contents, and one invocation the way the
 * Java runtime does it, in a class loader that sees only the jar (so a class left out of it fails here).
 */
@LocalAwsTest
class LambdaPackageIT {
    private static final Path JAR = Path.of("target", "request-receiver.jar");
    private static final String HANDLER = "com.warehouseexport.receiver.RequestReceiverHandler";

    @Test
    void holdsNoEmulatorWarehouseOrUnwantedHttpClient() throws Exception {
        List<String> forbidden = List.of("org/apache/http/", "software/amazon/awssdk/http/apache/", "io/netty/",
                "software/amazon/awssdk/http/nio/", "org/duckdb/", "com/amazonaws/services/dynamodbv2/local/",
                "org/elasticmq/", "org/gaul/s3proxy/", "com/warehouseexport/localaws/", "org/junit/",
                // S3 (inline rows of "wait") and Redshift Data (cancel) are the receiver's now
                "software/amazon/awssdk/services/ses/", "software/amazon/awssdk/services/secretsmanager/");
        try (ZipFile zip = new ZipFile(JAR.toFile())) {
            List<String> offending = zip.stream().map(entry -> entry.getName())
                    .filter(name -> forbidden.stream().anyMatch(name::startsWith)).limit(5).toList();
            assertEquals(List.of(), offending);
            assertTrue(zip.getEntry(HANDLER.replace('.', '/') + ".class") != null);
            assertTrue(zip.getEntry("datasets.json") != null, "the built-in catalog");
            System.out.printf("request-receiver.jar: %,d bytes, %,d entries%n", Files.size(JAR), zip.size());
        }
    }

    @Test
    void answersAnExportRequestFromTheJarAlone(LocalAws aws, DynamoDbClient dynamo, SqsClient sqs) throws Throwable {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String tableName = "package-" + suffix;
        ControlTableSchema.createTableIfMissing(dynamo, tableName);
        String queueUrl = sqs.createQueue(q -> q.queueName("package-" + suffix)).queueUrl();

        Map<String, String> env = new HashMap<>(aws.endpoints().asEnvironment());
        env.put("AWS_REGION", aws.region());
        env.put("CONTROL_TABLE", tableName);
        env.put("EXPORT_QUEUE_URL", queueUrl);
        // The default credentials chain of the jar's SDK reads these (JVM-wide, so also for other tests: harmless).
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_KEY);

        JsonNode response;
        try (LambdaJar jar = new LambdaJar(JAR, env)) {
            Object handler = jar.newHandler(HANDLER);
            long start = System.nanoTime();
            response = Json.parse(jar.invokeForJson(handler, APIGatewayProxyRequestEvent.class.getName(),
                    Files.readString(ApiEvents.fixture("api-post-exports.json")),
                    APIGatewayProxyResponseEvent.class.getName()));
            System.out.printf("first invocation from the jar: %d ms%n", (System.nanoTime() - start) / 1_000_000);
        }

        assertEquals(202, response.get("statusCode").asInt(), response.toString());
        String id = Json.parse(response.get("body").asText()).get("requestId").asText();
        ControlTable table = new ControlTable(dynamo, tableName, Duration.ofDays(1));
        assertEquals(RequestState.QUEUED, table.get(id).orElseThrow().state());
        String message = sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(0)).messages().get(0).body();
        assertEquals(id, Json.parse(message).get("requestId").asText());
    }

}
