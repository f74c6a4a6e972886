package com.warehouseexport.localaws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.junit.LocalAwsTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@LocalAwsTest
class EmulatorsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void dynamoDbConditionalWritesAndIndexQueries(DynamoDbClient dynamo) {
        dynamo.createTable(t -> t.tableName("emulators-test")
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(attr("pk"), attr("owner"), attr("createdAt"))
            .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
            .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byOwner")
                .keySchema(KeySchemaElement.builder().attributeName("owner").keyType(KeyType.HASH).build(),
                    KeySchemaElement.builder().attributeName("createdAt").keyType(KeyType.RANGE).build())
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));

        dynamo.putItem(p -> p.tableName("emulators-test").item(item("r1", "alice", "2026-01-01", "QUEUED"))
            .conditionExpression("attribute_not_exists(pk)"));
        dynamo.putItem(p -> p.tableName("emulators-test").item(item("r2", "alice", "2026-01-02", "QUEUED")));
        dynamo.putItem(p -> p.tableName("emulators-test").item(item("r3", "bob", "2026-01-03", "QUEUED")));

        assertThrows(ConditionalCheckFailedException.class, () -> dynamo.putItem(p -> p.tableName("emulators-test")
            .item(item("r1", "mallory", "2026-01-04", "QUEUED")).conditionExpression("attribute_not_exists(pk)")));
        assertThrows(ConditionalCheckFailedException.class, () -> dynamo.updateItem(u -> u.tableName("emulators-test")
            .key(Map.of("pk", s("r1"))).updateExpression("SET #s = :new").conditionExpression("#s = :expected")
            .expressionAttributeNames(Map.of("#s", "state"))
            .expressionAttributeValues(Map.of(":new", s("RUNNING"), ":expected", s("SUBMITTED")))));

        QueryResponse alice = dynamo.query(q -> q.tableName("emulators-test").indexName("byOwner")
            .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "owner"))
            .expressionAttributeValues(Map.of(":o", s("alice"))).scanIndexForward(false));
        assertEquals(List.of("r2", "r1"), alice.items().stream().map(i -> i.get("pk").s()).toList());
        assertEquals("alice", dynamo.getItem(g -> g.tableName("emulators-test").key(Map.of("pk", s("r1"))))
            .item().get("owner").s());
    }

    @Test
    void sqsSendReceiveDeleteAndRedriveToDeadLetterQueue(SqsClient sqs) {
        String dlqUrl = sqs.createQueue(c -> c.queueName("emulators-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(g -> g.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes().get(QueueAttributeName.QUEUE_ARN);
        String queueUrl = sqs.createQueue(c -> c.queueName("emulators-main").attributes(Map.of(
            QueueAttributeName.VISIBILITY_TIMEOUT, "1",
            QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}")))
            .queueUrl();
        assertTrue(queueUrl.startsWith("http://127.0.0.1:"), queueUrl);

        sqs.sendMessage(s -> s.queueUrl(queueUrl).messageBody("{\"requestId\":\"ok\"}"));
        Message ok = receiveOne(sqs, queueUrl);
        sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(ok.receiptHandle()));

        sqs.sendMessage(s -> s.queueUrl(queueUrl).messageBody("poison"));
        assertEquals("poison", receiveOne(sqs, queueUrl).body());
        assertEquals("poison", receiveOne(sqs, queueUrl).body());
        // A third receive after maxReceiveCount moves it to the dead-letter queue instead.
        assertTrue(sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(2)).messages().isEmpty());
        assertEquals("poison", receiveOne(sqs, dlqUrl).body());
    }

    private static Message receiveOne(SqsClient sqs, String queueUrl) {
        for (int attempt = 0; attempt < 10; attempt++) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(2)).messages();
            if (!messages.isEmpty()) {
                return messages.get(0);
            }
        }
        throw new AssertionError("no message on " + queueUrl);
    }

    @Test
    void s3PresignedUrlsAreEnforced(S3Client s3, S3Presigner presigner) throws Exception {
        s3.createBucket(b -> b.bucket("emulators-bucket"));
        s3.putObject(p -> p.bucket("emulators-bucket").key("a/b.txt"), RequestBody.fromString("hello"));

        URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
            .getObjectRequest(g -> g.bucket("emulators-bucket").key("a/b.txt"))).url().toURI();
        HttpResponse<String> ok = get(url);
        assertEquals(200, ok.statusCode());
        assertEquals("hello", ok.body());

        String tampered = url.toString().replaceAll("X-Amz-Signature=([0-9a-f])", "X-Amz-Signature=0$1")
            .replaceAll("(X-Amz-Signature=[0-9a-f]{64})[0-9a-f]", "$1");
        assertFalse(tampered.equals(url.toString()));
        assertEquals(403, get(URI.create(tampered)).statusCode());
        assertEquals(403, get(URI.create(url.toString().replace("a/b.txt", "a/other.txt"))).statusCode());

        URI shortLived = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofSeconds(1))
            .getObjectRequest(g -> g.bucket("emulators-bucket").key("a/b.txt"))).url().toURI();
        Thread.sleep(2_100);
        HttpResponse<String> expired = get(shortLived);
        assertEquals(403, expired.statusCode());
        assertTrue(expired.body().contains("AccessDenied"), expired.body());
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static Map<String, AttributeValue> item(String pk, String owner, String createdAt, String state) {
        return Map.of("pk", s(pk), "owner", s(owner), "createdAt", s(createdAt), "state", s(state));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
