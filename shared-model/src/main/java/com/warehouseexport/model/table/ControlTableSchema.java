package com.warehouseexport.model.table;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The control table's shape — keys, the two GSIs, TTL — for tests and the local runtime (template.yaml declares
 * the same for AWS): {@code pk}/{@code sk} strings; GSI {@code byOwner} ({@code owner}/{@code createdAt}) and
 * sparse GSI {@code inFlight} ({@code inFlight}/{@code updatedAt}), both projecting all attributes;
 * TTL attribute {@code expiresAt}; on-demand billing.
 */
public final class ControlTableSchema {
    public static final String PARTITION_KEY = RequestItems.PK;
    public static final String SORT_KEY = RequestItems.SK;
    public static final String BY_OWNER_INDEX = "byOwner";
    public static final String IN_FLIGHT_INDEX = "inFlight";
    public static final String TTL_ATTRIBUTE = RequestItems.EXPIRES_AT;

    private ControlTableSchema() {
    }

    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        attribute(RequestItems.PK),
                        attribute(RequestItems.SK),
                        attribute(RequestItems.OWNER),
                        attribute(RequestItems.CREATED_AT),
                        attribute(RequestItems.IN_FLIGHT),
                        attribute(RequestItems.UPDATED_AT))
                .keySchema(hash(RequestItems.PK), range(RequestItems.SK))
                .globalSecondaryIndexes(
                        index(BY_OWNER_INDEX, RequestItems.OWNER, RequestItems.CREATED_AT),
                        index(IN_FLIGHT_INDEX, RequestItems.IN_FLIGHT, RequestItems.UPDATED_AT))
                .build();
    }

    /**
     * Creates the table (waiting until it is ACTIVE) and enables TTL on {@code expiresAt}, unless a table of
     * that name exists. Returns {@code true} when it created the table.
     */
    public static boolean createTableIfMissing(DynamoDbClient dynamo, String tableName) {
        if (exists(dynamo, tableName)) {
            return false;
        }
        try {
            dynamo.createTable(createTableRequest(tableName));
        } catch (ResourceInUseException e) {
            return false; // created concurrently
        }
        waitUntilActive(dynamo, tableName);
        dynamo.updateTimeToLive(r -> r.tableName(tableName)
                .timeToLiveSpecification(t -> t.attributeName(TTL_ATTRIBUTE).enabled(true)));
        return true;
    }

    private static boolean exists(DynamoDbClient dynamo, String tableName) {
        try {
            dynamo.describeTable(r -> r.tableName(tableName));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    private static void waitUntilActive(DynamoDbClient dynamo, String tableName) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            DescribeTableResponse table = dynamo.describeTable(r -> r.tableName(tableName));
            boolean indexesActive = table.table().globalSecondaryIndexes().stream()
                    .allMatch(i -> i.indexStatusAsString().equals("ACTIVE"));
            if (table.table().tableStatus() == TableStatus.ACTIVE && indexesActive) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Table " + tableName + " did not become ACTIVE");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted waiting for table " + tableName, e);
            }
        }
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }

    private static GlobalSecondaryIndex index(String name, String hashKey, String rangeKey) {
        return GlobalSecondaryIndex.builder()
                .indexName(name)
                .keySchema(hash(hashKey), range(rangeKey))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }
}
