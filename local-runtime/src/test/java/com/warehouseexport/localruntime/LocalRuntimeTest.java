package com.warehouseexport.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localruntime.apigateway.Principals;
import com.warehouseexport.localruntime.template.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The whole runtime on a small template: provisioning, functions, every kind of event source. */
@LocalAwsTest
class LocalRuntimeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalRuntime.Settings settings(Path dir, Map<String, String> extra) throws Exception {
        Path template = Path.of(LocalRuntimeTest.class.getResource("/templates/runtime.yaml").toURI());
        Map<String, String> parameters = new java.util.HashMap<>(Map.of("FunctionJar",
            TestFunctionJar.get().toString(), "RecordDir", dir.toString()));
        parameters.putAll(extra);
        return new LocalRuntime.Settings(template, "rt-" + UUID.randomUUID().toString().substring(0, 8), 0,
            parameters, Duration.ofMillis(300), Principals.defaults(), null);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void runsTheTemplateWithEveryEventSource(LocalAws aws, @TempDir Path dir) throws Exception {
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
        try (LocalRuntime runtime = LocalRuntime.start(settings(dir, Map.of()), aws, List::of, log)) {
            SamTemplate template = runtime.template();

            // resources exist
            String table = template.table("Items").orElseThrow().tableName();
            assertEquals(TimeToLiveStatus.ENABLED, aws.clients().dynamoDb().describeTimeToLive(r -> r.tableName(table))
                .timeToLiveDescription().timeToLiveStatus());
            aws.clients().s3().headBucket(r -> r.bucket(template.bucket("Files").orElseThrow().bucketName()));

            // a function sees its own environment plus the local endpoints
            JsonNode echo = JSON.readTree(runtime.functions().get("Echo").invoke("{}".getBytes(StandardCharsets.UTF_8))
                .payload());
            assertEquals("bucket " + template.bucket("Files").orElseThrow().bucketName(), echo.get("greeting").asText());
            assertEquals(aws.endpoints().dynamoDb().toString(), echo.get("dynamodbEndpoint").asText());
            assertEquals("us-east-1", echo.get("region").asText());
            assertEquals(LocalAws.ACCESS_KEY, System.getProperty("aws.accessKeyId"));

            // SQS mapping
            String queueUrl = template.queue("WorkQueue").orElseThrow().url();
            aws.clients().sqs().sendMessage(r -> r.queueUrl(queueUrl).messageBody("hello"));
            await("the worker got the message", () -> lines(dir.resolve("worker.txt")).stream()
                .anyMatch(l -> l.startsWith("hello|")));

            // the schedule, sped up by pollEvery
            await("two scheduled events", () -> lines(dir.resolve("poller.txt")).stream()
                .filter(l -> l.contains("Scheduled Event")).count() >= 2);
            JsonNode scheduled = JSON.readTree(lines(dir.resolve("poller.txt")).get(0));
            assertEquals("aws.events", scheduled.get("source").asText());
            assertEquals("Scheduled Event", scheduled.get("detail-type").asText());
            assertEquals("arn:aws:events:us-east-1:000000000000:rule/" + template.stackName() + "-PollerSweep",
                scheduled.get("resources").get(0).asText());
            assertEquals("{}", scheduled.get("detail").toString());

            // the EventBridge rule: the matching event arrives, the other does not
            aws.eventBus().publish("aws.redshift-data", "Redshift Data Statement Status Change", List.of(),
                JSON.readTree("{\"statementName\":\"other-1\",\"state\":\"FINISHED\"}"));
            aws.eventBus().publish("aws.redshift-data", "Redshift Data Statement Status Change", List.of(),
                JSON.readTree("{\"statementName\":\"export-r42\",\"state\":\"FINISHED\"}"));
            await("the status change event", () -> lines(dir.resolve("poller.txt")).stream()
                .anyMatch(l -> l.contains("export-r42")));
            assertFalse(lines(dir.resolve("poller.txt")).stream().anyMatch(l -> l.contains("other-1")));
            JsonNode delivered = JSON.readTree(lines(dir.resolve("poller.txt")).stream()
                .filter(l -> l.contains("export-r42")).findFirst().orElseThrow());
            assertEquals("Redshift Data Statement Status Change", delivered.get("detail-type").asText());
            assertEquals("000000000000", delivered.get("account").asText());

            // the API, signed by curl; also under the stage name
            assertEquals(1, runtime.routes().size());
            assertTrue(runtime.routes().get(0).iamAuth());
            for (String path : List.of("/items/i-7", "/v1/items/i-7")) {
                Process curl = new ProcessBuilder("curl", "-s", "--aws-sigv4", "aws:amz:us-east-1:execute-api",
                    "--user", "AKIDPARTNERB:partner-b-secret", runtime.apiEndpoint() + path).start();
                String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
                assertTrue(body.contains("pathParameters={id=i-7}"), body);
                assertTrue(body.contains("id.userArn=arn:aws:iam::000000000000:user/partner-b"), body);
                assertTrue(body.contains("rc.stage=v1"), body);
            }
        }
        String logged = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("created table rt-"), logged);
    }

    @Test
    void aQueueVisibilityTimeoutShorterThanTheFunctionTimeoutIsRefusedAsLambdaDoes() throws Exception {
        String yaml = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 10\n"
            + "  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: f.jar\n      Handler: a.B\n"
            + "      Timeout: 60\n      Events:\n        E:\n          Type: SQS\n          Properties:\n"
            + "            Queue: !GetAtt Q.Arn\n";
        Path file = Files.createTempFile("visibility", ".yaml");
        Files.writeString(file, yaml);
        SamTemplate template = new com.warehouseexport.localruntime.template.TemplateReader().read(file,
            com.warehouseexport.localruntime.template.TemplateOptions.defaults(Map.of()));
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> LocalRuntime.checkEventSourceMappings(template));
        assertEquals("Invalid request provided: Queue visibility timeout: 10 seconds is less than Function timeout: "
            + "60 seconds", e.getMessage());
        Files.delete(file);
    }
}
