package com.warehouseexport.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The runtime as people run it (LocalRuntimeMain in its own JVM, with a data directory): kill -9 while messages
 * wait on the queue, restart with the same data directory, and nothing is lost: the table and its item are
 * still there, and the messages are processed by the restarted runtime.
 */
class LocalRuntimeKillTest {
    private static final String STACK = "kill-test";

    /** A child JVM running LocalRuntimeMain, its output going to a file. */
    private static final class Child {
        final Process process;
        final Path log;

        Child(Path dataDir, Path recordDir, boolean workEnabled, Path log) throws Exception {
            this.log = log;
            Path template = Path.of(LocalRuntimeKillTest.class.getResource("/templates/runtime.yaml").toURI());
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-cp", System.getProperty("java.class.path"), LocalRuntimeMain.class.getName(),
                "--template", template.toString(), "--data-dir", dataDir.toString(), "--port", "0",
                "--inventory-rows", "100", "--stack-name", STACK, "--parameter-overrides",
                "FunctionJar=" + TestFunctionJar.get(), "RecordDir=" + recordDir, "WorkEnabled=" + workEnabled)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }

        List<String> output() {
            try {
                return Files.exists(log) ? Files.readAllLines(log) : List.of();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void awaitReady() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                if (output().stream().anyMatch(l -> l.contains("local runtime ready"))) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("runtime exited: " + String.join("\n", output()));
                }
                Thread.sleep(200);
            }
            throw new AssertionError("runtime not ready: " + String.join("\n", output()));
        }

        URI endpoint(String variable) {
            return output().stream().map(String::trim).filter(l -> l.startsWith(variable + "=")).findFirst()
                .map(l -> URI.create(l.substring(variable.length() + 1))).orElseThrow();
        }
    }

    private static SqsClient sqs(URI endpoint) {
        return SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("LOCALACCESSKEY", "x")))
            .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static DynamoDbClient dynamo(URI endpoint) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("LOCALACCESSKEY", "x")))
            .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Test
    void killMinusNineThenRestartLosesNothing(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        Path records = dir.resolve("records");
        Files.createDirectories(records);

        Child first = new Child(dataDir, records, false, dir.resolve("first.log"));
        try {
            first.awaitReady();
            try (SqsClient sqs = sqs(first.endpoint("AWS_ENDPOINT_URL_SQS"));
                 DynamoDbClient dynamo = dynamo(first.endpoint("AWS_ENDPOINT_URL_DYNAMODB"))) {
                String queueUrl = sqs.getQueueUrl(r -> r.queueName(STACK + "-WorkQueue")).queueUrl();
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("pending-" + n));
                }
                dynamo.putItem(r -> r.tableName(STACK + "-Items").item(Map.of("pk",
                    AttributeValue.fromS("kept"))));
            }
        } finally {
            first.process.destroyForcibly(); // SIGKILL
            first.process.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.notExists(records.resolve("worker.txt")), "the mapping was disabled in the first run");

        Child second = new Child(dataDir, records, true, dir.resolve("second.log"));
        try {
            second.awaitReady();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<String> processed = List.of();
            while (System.nanoTime() < deadline) {
                Path file = records.resolve("worker.txt");
                processed = Files.exists(file) ? Files.readAllLines(file) : List.of();
                if (processed.size() >= 3) {
                    break;
                }
                Thread.sleep(200);
            }
            assertEquals(List.of("pending-1", "pending-2", "pending-3"),
                processed.stream().map(l -> l.split("\\|")[0]).sorted().toList(),
                "the messages sent before the kill are processed after the restart");
            try (DynamoDbClient dynamo = dynamo(second.endpoint("AWS_ENDPOINT_URL_DYNAMODB"))) {
                assertTrue(dynamo.getItem(r -> r.tableName(STACK + "-Items").key(Map.of("pk",
                    AttributeValue.fromS("kept")))).hasItem(), "the item written before the kill");
            }
            assertTrue(second.output().stream().noneMatch(l -> l.startsWith("created table")),
                "nothing re-created: " + second.output());
        } finally {
            long stopping = System.nanoTime();
            second.process.destroy(); // SIGTERM: the same shutdown hook as Ctrl-C
            boolean exited = second.process.waitFor(30, TimeUnit.SECONDS);
            System.out.println("restarted runtime stopped on SIGTERM in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping) + " ms (exited: " + exited
                + (exited ? ", exit value " + second.process.exitValue() : "") + ")");
            second.process.destroyForcibly();
        }
        List<String> output = second.output();
        assertTrue(output.stream().anyMatch(l -> l.startsWith("stopped in")), "clean stop: "
            + output.subList(Math.max(0, output.size() - 10), output.size()));
    }
}
