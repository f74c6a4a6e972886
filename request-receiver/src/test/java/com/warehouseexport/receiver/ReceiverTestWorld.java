package com.warehouseexport.receiver;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.model.testing.ApiEvents;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A fresh control table and queue on local AWS, the receiver over them, and ways to look inside both. */
final class ReceiverTestWorld {
    static final String PARTNER_A = "arn:aws:iam::000000000000:user/partner-a";
    static final String PARTNER_B = "arn:aws:iam::000000000000:user/partner-b";

    final DynamoDbClient dynamo;
    final SqsClient sqs;
    final String tableName;
    final String queueUrl;
    final ControlTable table;
    final RequestReceiverHandler handler;

    ReceiverTestWorld(DynamoDbClient dynamo, SqsClient sqs) {
        this.dynamo = dynamo;
        this.sqs = sqs;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        tableName = "receiver-" + suffix;
        ControlTableSchema.createTableIfMissing(dynamo, tableName);
        queueUrl = sqs.createQueue(q -> q.queueName("exports-" + suffix)).queueUrl();
        table = new ControlTable(dynamo, tableName, Duration.ofDays(30));
        handler = handlerFor(queueUrl);
    }

    RequestReceiverHandler handlerFor(String exportQueueUrl) {
        return handlerFor(exportQueueUrl, Clock.systemUTC());
    }

    RequestReceiverHandler handlerFor(String exportQueueUrl, Clock clock) {
        return new RequestReceiverHandler(
                new ExportSubmissionService(DatasetCatalog.load((String) null), table, sqs, exportQueueUrl, clock));
    }

    /** POST /exports (or /product) from this caller with this body and extra headers (both header maps). */
    static APIGatewayProxyRequestEvent post(String resource, String owner, String body, Map<String, String> headers) {
        APIGatewayProxyRequestEvent event = ApiEvents.read(resource.equals("/product")
                ? "api-post-product.json" : "api-post-exports.json");
        event.getRequestContext().getIdentity().setUserArn(owner);
        event.setBody(body);
        Map<String, String> single = new HashMap<>(event.getHeaders());
        Map<String, List<String>> multi = new HashMap<>(event.getMultiValueHeaders());
        headers.forEach((name, value) -> {
            single.keySet().removeIf(name::equalsIgnoreCase);
            multi.keySet().removeIf(name::equalsIgnoreCase);
            if (value != null) {
                single.put(name, value);
                multi.put(name, List.of(value));
            }
        });
        event.setHeaders(single);
        event.setMultiValueHeaders(multi);
        return event;
    }

    APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent event) {
        return handler.handleRequest(event, null);
    }

    List<Map<String, AttributeValue>> items() {
        return dynamo.scan(s -> s.tableName(tableName).consistentRead(true)).items();
    }

    long requestItems() {
        return items().stream().filter(item -> item.get("sk").s().equals("REQUEST")).count();
    }

    /** Every message on the queue (received and left invisible, so each is counted once). */
    List<Message> drainQueue() {
        List<Message> all = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10)
                    .waitTimeSeconds(0).visibilityTimeout(300)).messages();
            if (batch.isEmpty()) {
                return all;
            }
            all.addAll(batch);
        }
    }
}
