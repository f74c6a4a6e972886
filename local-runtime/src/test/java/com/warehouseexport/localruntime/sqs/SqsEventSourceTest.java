package com.warehouseexport.localruntime.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localruntime.ResourceProvisioner;
import com.warehouseexport.localruntime.TestFunctionJar;
import com.warehouseexport.localruntime.lambda.LambdaFunction;
import com.warehouseexport.localruntime.template.SamTemplate;
import com.warehouseexport.localruntime.template.TemplateOptions;
import com.warehouseexport.localruntime.template.TemplateReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@LocalAwsTest
class SqsEventSourceTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private record Running(SamTemplate template, LambdaFunction function, SqsEventSource source, Path recordFile)
        implements AutoCloseable {
        @Override
        public void close() {
            source.close();
            function.close();
        }

        SamTemplate.Queue queue() {
            return template.queue("WorkQueue").orElseThrow();
        }

        SamTemplate.Queue deadLetters() {
            return template.queue("WorkDeadLetters").orElseThrow();
        }

        List<String> records() throws Exception {
            return Files.exists(recordFile) ? Files.readAllLines(recordFile) : List.of();
        }
    }

    private static Running start(LocalAws aws, Path dir, String reportFailures) throws Exception {
        Path fixture = Path.of(SqsEventSourceTest.class.getResource("/templates/sqs.yaml").toURI());
        Path records = dir.resolve("records.txt");
        TemplateOptions options = new TemplateOptions("sqs-" + UUID.randomUUID().toString().substring(0, 8),
            "us-east-1", "000000000000", Map.of("FunctionJar", TestFunctionJar.get().toString(),
            "RecordFile", records.toString(), "ReportFailures", reportFailures),
            name -> aws.endpoints().sqs() + "/000000000000/" + name);
        SamTemplate template = new TemplateReader().read(fixture, options);
        SqsClient sqs = aws.clients().sqs();
        new ResourceProvisioner(aws.clients().dynamoDb(), sqs, aws.clients().s3(), System.out).provision(template);
        SamTemplate.Function definition = template.function("Worker").orElseThrow();
        LambdaFunction function = new LambdaFunction(definition, Map.of("AWS_REGION", "us-east-1"), System.out);
        SamTemplate.SqsEvent mapping = (SamTemplate.SqsEvent) definition.events().get(0);
        SqsEventSource source = new SqsEventSource("Worker.Work", mapping,
            template.queueByArn(mapping.queueArn()).orElseThrow(), function, sqs, "us-east-1", 1, System.out);
        source.start();
        return new Running(template, function, source, records);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static List<Message> drain(SqsClient sqs, String queueUrl) {
        List<Message> all = new ArrayList<>();
        List<Message> received;
        do {
            received = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
            all.addAll(received);
        } while (!received.isEmpty());
        return all;
    }

    private static int visibleAndInFlight(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
            + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Test
    void queuesAreCreatedWithTheTemplatesAttributes(LocalAws aws, @TempDir Path dir) throws Exception {
        try (Running running = start(aws, dir, "yes")) {
            Map<QueueAttributeName, String> attributes = aws.clients().sqs().getQueueAttributes(r -> r
                .queueUrl(running.queue().url()).attributeNames(QueueAttributeName.ALL)).attributes();
            assertEquals("2", attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
            assertTrue(attributes.get(QueueAttributeName.REDRIVE_POLICY).contains(running.deadLetters().arn()),
                attributes.toString());
            // provisioning again changes nothing and fails on nothing
            new ResourceProvisioner(aws.clients().dynamoDb(), aws.clients().sqs(), aws.clients().s3(), System.out)
                .provision(running.template());
        }
    }

    @Test
    void reportedFailuresStayAndGoToTheDeadLetterQueueTheRestIsDeleted(LocalAws aws, @TempDir Path dir)
        throws Exception {
        SqsClient sqs = aws.clients().sqs();
        try (Running running = start(aws, dir, "yes")) {
            String url = running.queue().url();
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("ok-1").messageAttributes(Map.of("kind",
                MessageAttributeValue.builder().dataType("String").stringValue("export").build())));
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("ok-2"));
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("fail-1"));

            await("fail-1 in the dead-letter queue", () -> {
                try {
                    return running.records().stream().filter(l -> l.startsWith("fail-1|")).count() >= 2;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Message> dead = new ArrayList<>();
            await("fail-1 moved to the DLQ", () -> {
                dead.addAll(drain(sqs, running.deadLetters().url()));
                return !dead.isEmpty();
            });
            assertEquals(List.of("fail-1"), dead.stream().map(Message::body).toList());
            assertEquals(0, visibleAndInFlight(sqs, url), "ok messages deleted, the failed one moved");

            List<String> records = running.records();
            System.out.println("records: " + records);
            String ok1 = records.stream().filter(l -> l.startsWith("ok-1|")).findFirst().orElseThrow();
            String[] f = ok1.split("\\|");
            assertEquals("1", f[2], "ApproximateReceiveCount");
            assertEquals("aws:sqs", f[3]);
            assertEquals(running.queue().arn(), f[4]);
            assertEquals("us-east-1", f[5]);
            assertEquals(32, f[6].length(), "md5OfBody");
            assertEquals("export", f[7], "message attribute");
            assertEquals(1, records.stream().filter(l -> l.startsWith("ok-1|")).count(), "delivered once");
            List<String> failCounts = records.stream().filter(l -> l.startsWith("fail-1|"))
                .map(l -> l.split("\\|")[2]).toList();
            assertEquals(List.of("1", "2"), failCounts, "redelivered after the visibility timeout, then redriven");
        }
    }

    @Test
    void aThrownErrorLeavesTheWholeBatch(LocalAws aws, @TempDir Path dir) throws Exception {
        SqsClient sqs = aws.clients().sqs();
        try (Running running = start(aws, dir, "yes")) {
            String url = running.queue().url();
            sqs.sendMessageBatch(r -> r.queueUrl(url).entries(
                e -> e.id("1").messageBody("good"), e -> e.id("2").messageBody("throw")));
            List<Message> dead = new ArrayList<>();
            await("both messages in the DLQ", () -> {
                dead.addAll(drain(sqs, running.deadLetters().url()));
                return dead.size() >= 2;
            });
            assertEquals(List.of("good", "throw"), dead.stream().map(Message::body).sorted().toList(),
                "the good message was not deleted either: the batch failed as a whole");
        }
    }

    @Test
    void withoutReportBatchItemFailuresASuccessDeletesEverything(LocalAws aws, @TempDir Path dir) throws Exception {
        SqsClient sqs = aws.clients().sqs();
        try (Running running = start(aws, dir, "no")) {
            String url = running.queue().url();
            sqs.sendMessage(r -> r.queueUrl(url).messageBody("fail-but-not-reported"));
            await("the message processed", () -> {
                try {
                    return !running.records().isEmpty();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the message deleted", () -> visibleAndInFlight(sqs, url) == 0);
            Thread.sleep(2500); // past the visibility timeout: nothing comes back
            assertEquals(1, running.records().size());
        }
    }

    @Test
    void batchesAreGatheredUpToBatchSize(LocalAws aws, @TempDir Path dir) throws Exception {
        SqsClient sqs = aws.clients().sqs();
        try (Running running = start(aws, dir, "yes")) {
            String url = running.queue().url();
            for (int i = 0; i < 12; i++) {
                int n = i;
                sqs.sendMessage(r -> r.queueUrl(url).messageBody("m-" + n));
            }
            await("all twelve processed", () -> {
                try {
                    return running.records().size() >= 12;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Integer> sizes = running.records().stream().map(l -> Integer.parseInt(l.split("\\|")[8])).toList();
            System.out.println("batch sizes seen per message: " + sizes);
            assertTrue(sizes.stream().allMatch(s -> s <= 5), "never more than BatchSize: " + sizes);
        }
    }
}
