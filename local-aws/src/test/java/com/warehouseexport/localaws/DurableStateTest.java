package com.warehouseexport.localaws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

/** With a data directory, state written before a kill -9 is there after a restart. */
class DurableStateTest {

    @Test
    void everythingSurvivesKillDashNine(@TempDir Path dataDir) throws Exception {
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), DurableWriterMain.class.getName(), dataDir.toString())
            .redirectErrorStream(true)
            .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
            StandardCharsets.UTF_8))) {
            String line;
            boolean written = false;
            while (!written && (line = out.readLine()) != null) {
                written = line.contains("WRITTEN");
            }
            assertTrue(written, "writer process ended before writing");
        } finally {
            writer.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
        }

        String before = Files.readString(dataDir.resolve("ports.properties"));
        try (LocalAws aws = LocalAws.builder().dataDir(dataDir).start()) {
            LocalAwsClients clients = aws.clients();
            // Presigned links handed out before the restart name the S3 port: it is kept when free.
            assertTrue(before.contains("s3=" + aws.endpoints().s3().getPort()), before);
            Map<String, AttributeValue> item = clients.dynamoDb()
                .getItem(g -> g.tableName("durable").key(Map.of("pk", AttributeValue.fromS("r1")))).item();
            assertEquals("QUEUED", item.get("state").s());

            String queueUrl = clients.sqs().getQueueUrl(g -> g.queueName("durable-queue")).queueUrl();
            List<Message> messages = clients.sqs().receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(5))
                .messages();
            assertEquals(1, messages.size());
            assertEquals("survives", messages.get(0).body());

            assertEquals("kept", clients.s3().getObjectAsBytes(g -> g.bucket("durable-bucket").key("k"))
                .asUtf8String());
        }
    }
}
