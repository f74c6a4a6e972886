package com.warehouseexport.localruntime;

import com.warehouseexport.localruntime.template.SamTemplate;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Creates the template's tables, queues and buckets in the emulators, idempotently and never destructively: what
 * exists is kept (a restart with the same data directory finds its data), a queue's changeable attributes are
 * brought in line with the template, and a table whose keys differ from the template is reported, not replaced.
 */
public final class ResourceProvisioner {
    private final DynamoDbClient dynamoDb;
    private final SqsClient sqs;
    private final S3Client s3;
    private final PrintStream log;

    public ResourceProvisioner(DynamoDbClient dynamoDb, SqsClient sqs, S3Client s3, PrintStream log) {
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.s3 = s3;
        this.log = log;
    }

    public void provision(SamTemplate template) {
        template.tables().forEach(this::table);
        // dead-letter queues first: a redrive policy names an existing queue
        List<SamTemplate.Queue> ordered = new ArrayList<>();
        template.queues().stream().filter(q -> q.redrivePolicy() == null).forEach(ordered::add);
        template.queues().stream().filter(q -> q.redrivePolicy() != null).forEach(ordered::add);
        ordered.forEach(this::queue);
        template.buckets().forEach(this::bucket);
    }

    // ---------------------------------------------------------------- DynamoDB

    void table(SamTemplate.Table table) {
        TableDescription existing = null;
        try {
            existing = dynamoDb.describeTable(r -> r.tableName(table.tableName())).table();
        } catch (ResourceNotFoundException e) {
            // not there yet
        }
        if (existing == null) {
            dynamoDb.createTable(createTableRequest(table));
            log.println("created table " + table.tableName());
        } else {
            List<KeySchemaElement> wanted = keys(table.keySchema());
            if (!existing.keySchema().equals(wanted)) {
                log.println("WARNING: table " + table.tableName() + " exists with key schema " + existing.keySchema()
                    + ", the template says " + wanted + "; it is left as it is (delete the data directory to "
                    + "start over)");
            }
        }
        if (table.ttlAttribute() != null) {
            TimeToLiveStatus status = dynamoDb.describeTimeToLive(r -> r.tableName(table.tableName()))
                .timeToLiveDescription().timeToLiveStatus();
            if (status != TimeToLiveStatus.ENABLED && status != TimeToLiveStatus.ENABLING) {
                dynamoDb.updateTimeToLive(r -> r.tableName(table.tableName()).timeToLiveSpecification(t -> t
                    .attributeName(table.ttlAttribute()).enabled(true)));
            }
        }
    }

    static CreateTableRequest createTableRequest(SamTemplate.Table table) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        table.attributeTypes().forEach((name, type) -> attributes.add(AttributeDefinition.builder()
            .attributeName(name).attributeType(type).build()));
        List<GlobalSecondaryIndex> gsis = new ArrayList<>();
        for (SamTemplate.Index index : table.globalSecondaryIndexes()) {
            gsis.add(GlobalSecondaryIndex.builder().indexName(index.indexName()).keySchema(keys(index.keySchema()))
                .projection(projection(index)).build());
        }
        List<LocalSecondaryIndex> lsis = new ArrayList<>();
        for (SamTemplate.Index index : table.localSecondaryIndexes()) {
            lsis.add(LocalSecondaryIndex.builder().indexName(index.indexName()).keySchema(keys(index.keySchema()))
                .projection(projection(index)).build());
        }
        CreateTableRequest.Builder request = CreateTableRequest.builder()
            .tableName(table.tableName())
            .attributeDefinitions(attributes)
            .keySchema(keys(table.keySchema()))
            .billingMode(BillingMode.PAY_PER_REQUEST);
        if (!gsis.isEmpty()) {
            request.globalSecondaryIndexes(gsis);
        }
        if (!lsis.isEmpty()) {
            request.localSecondaryIndexes(lsis);
        }
        return request.build();
    }

    private static Projection projection(SamTemplate.Index index) {
        Projection.Builder projection = Projection.builder().projectionType(index.projectionType());
        if (!index.nonKeyAttributes().isEmpty()) {
            projection.nonKeyAttributes(index.nonKeyAttributes());
        }
        return projection.build();
    }

    private static List<KeySchemaElement> keys(List<SamTemplate.KeyElement> keys) {
        List<KeySchemaElement> elements = new ArrayList<>();
        for (SamTemplate.KeyElement key : keys) {
            elements.add(KeySchemaElement.builder().attributeName(key.attributeName()).keyType(key.keyType()).build());
        }
        return elements;
    }

    // ---------------------------------------------------------------- SQS

    void queue(SamTemplate.Queue queue) {
        Map<QueueAttributeName, String> attributes = queueAttributes(queue);
        String url;
        try {
            url = sqs.getQueueUrl(r -> r.queueName(queue.queueName())).queueUrl();
            // exists: bring what may change in line (FifoQueue cannot change)
            Map<QueueAttributeName, String> changeable = new LinkedHashMap<>(attributes);
            changeable.remove(QueueAttributeName.FIFO_QUEUE);
            sqs.setQueueAttributes(r -> r.queueUrl(queue.url()).attributes(changeable));
        } catch (QueueDoesNotExistException e) {
            url = sqs.createQueue(r -> r.queueName(queue.queueName()).attributes(attributes)).queueUrl();
            log.println("created queue " + queue.queueName());
        }
        if (!url.equals(queue.url())) {
            throw new IllegalStateException("queue " + queue.queueName() + " has URL " + url + ", but the template "
                + "was resolved with " + queue.url());
        }
    }

    static Map<QueueAttributeName, String> queueAttributes(SamTemplate.Queue queue) {
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(queue.visibilityTimeoutSeconds()));
        attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            String.valueOf(queue.messageRetentionPeriodSeconds()));
        attributes.put(QueueAttributeName.DELAY_SECONDS, String.valueOf(queue.delaySeconds()));
        attributes.put(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
            String.valueOf(queue.receiveMessageWaitTimeSeconds()));
        if (queue.redrivePolicy() != null) {
            attributes.put(QueueAttributeName.REDRIVE_POLICY, queue.redrivePolicy().toAttributeValue());
        }
        if (queue.fifo()) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
            attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION,
                String.valueOf(queue.contentBasedDeduplication()));
        }
        return attributes;
    }

    // ---------------------------------------------------------------- S3

    void bucket(SamTemplate.Bucket bucket) {
        try {
            s3.headBucket(r -> r.bucket(bucket.bucketName()));
        } catch (NoSuchBucketException e) {
            s3.createBucket(r -> r.bucket(bucket.bucketName()));
            log.println("created bucket " + bucket.bucketName());
        } catch (AwsServiceException e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(r -> r.bucket(bucket.bucketName()));
            log.println("created bucket " + bucket.bucketName());
        }
    }

    // ---------------------------------------------------------------- Secrets Manager

    /**
     * Creates the template's secrets that do not exist yet, with their SecretString or a value generated as
     * GenerateSecretString says (as CloudFormation does once, at creation: a restart keeps the value, and a value
     * rotated since is kept too). Returns the names created.
     */
    public static List<String> provisionSecrets(SamTemplate template, SecretsManagerClient secrets, PrintStream log) {
        List<String> created = new ArrayList<>();
        for (SamTemplate.Secret secret : template.secrets()) {
            try {
                secrets.describeSecret(r -> r.secretId(secret.name()));
                continue;
            } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException e) {
                // not there yet
            }
            String value = secret.secretString() != null ? secret.secretString()
                : generatedValue(secret.generateSecretString());
            secrets.createSecret(r -> r.name(secret.name()).secretString(value));
            log.println("created secret " + secret.name());
            created.add(secret.name());
        }
        return created;
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /** GenerateSecretString: a random password, or a JSON template with the password under GenerateStringKey. */
    static String generatedValue(JsonNode spec) {
        if (spec == null) {
            return "";
        }
        StringBuilder alphabet = new StringBuilder();
        if (!spec.path("ExcludeUppercase").asBoolean(false)) {
            alphabet.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        }
        if (!spec.path("ExcludeLowercase").asBoolean(false)) {
            alphabet.append("abcdefghijklmnopqrstuvwxyz");
        }
        if (!spec.path("ExcludeNumbers").asBoolean(false)) {
            alphabet.append("0123456789");
        }
        if (!spec.path("ExcludePunctuation").asBoolean(false)) {
            alphabet.append(PUNCTUATION);
        }
        if (spec.path("IncludeSpace").asBoolean(false)) {
            alphabet.append(' ');
        }
        String excluded = spec.path("ExcludeCharacters").asText("");
        String chars = alphabet.chars().filter(c -> excluded.indexOf(c) < 0)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (chars.isEmpty()) {
            throw new IllegalArgumentException("GenerateSecretString excludes every character");
        }
        int length = spec.path("PasswordLength").asInt(32);
        StringBuilder password = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            password.append(chars.charAt(RANDOM.nextInt(chars.length())));
        }
        String key = spec.path("GenerateStringKey").asText(null);
        if (key == null) {
            return password.toString();
        }
        ObjectMapper json = new ObjectMapper();
        try {
            ObjectNode value = (ObjectNode) json.readTree(spec.path("SecretStringTemplate").asText("{}"));
            value.put(key, password.toString());
            return json.writeValueAsString(value);
        } catch (java.io.IOException | ClassCastException e) {
            throw new IllegalArgumentException("SecretStringTemplate must be a JSON object", e);
        }
    }

    // ---------------------------------------------------------------- SES

    /**
     * Verifies every SES sender the functions are configured with (variables named {@code SOURCE_EMAIL}), as an
     * operator does once per account; returns the addresses verified.
     */
    public static Set<String> verifySenders(SamTemplate template, SesClient ses, PrintStream log) {
        Set<String> senders = new LinkedHashSet<>();
        for (SamTemplate.Function function : template.functions()) {
            String sender = function.environment().get("SOURCE_EMAIL");
            if (sender != null && !sender.isBlank()) {
                senders.add(sender);
            }
        }
        Set<String> verified = new LinkedHashSet<>();
        for (String sender : senders) {
            try {
                ses.verifyEmailIdentity(r -> r.emailAddress(sender));
                verified.add(sender);
            } catch (RuntimeException e) {
                log.println("WARNING: could not verify SES sender " + sender + ": " + e.getMessage());
            }
        }
        return verified;
    }
}
