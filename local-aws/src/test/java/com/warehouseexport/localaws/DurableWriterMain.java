package com.warehouseexport.localaws;

import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Started as a separate JVM by {@link DurableStateTest}: writes to every service, says so, and waits to be killed. */
public final class DurableWriterMain {
    public static void main(String[] args) throws Exception {
        LocalAws aws = LocalAws.builder().dataDir(Path.of(args[0])).start();
        LocalAwsClients clients = aws.clients();
        clients.dynamoDb().createTable(t -> t.tableName("durable").billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                .attributeType(ScalarAttributeType.S).build())
            .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
        clients.dynamoDb().putItem(p -> p.tableName("durable")
            .item(Map.of("pk", AttributeValue.fromS("r1"), "state", AttributeValue.fromS("QUEUED"))));
        String queueUrl = clients.sqs().createQueue(c -> c.queueName("durable-queue")).queueUrl();
        clients.sqs().sendMessage(s -> s.queueUrl(queueUrl).messageBody("survives"));
        clients.s3().createBucket(b -> b.bucket("durable-bucket"));
        clients.s3().putObject(p -> p.bucket("durable-bucket").key("k"), RequestBody.fromString("kept"));
        // ElasticMQ hands queue and message events to its persistence actor asynchronously: what was acknowledged
        // in the last moments before a kill -9 may be missing. Let that window pass; README states it.
        Thread.sleep(1_000);
        System.out.println("WRITTEN");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
