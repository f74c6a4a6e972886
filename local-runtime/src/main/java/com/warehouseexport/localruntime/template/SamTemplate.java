package com.warehouseexport.localruntime.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A SAM template with every parameter, condition and intrinsic resolved to local values: the functions to run with
 * their event sources, and the resources the local runtime creates in the emulators.
 */
public record SamTemplate(Path templateFile, String stackName, String region, String accountId,
                          Map<String, JsonNode> parameters, List<Function> functions, List<Table> tables,
                          List<Queue> queues, List<Bucket> buckets, List<Api> apis, Map<String, String> outputs,
                          List<UsagePlan> usagePlans, List<Secret> secrets) {

    public Optional<Function> function(String logicalId) {
        return functions.stream().filter(f -> f.logicalId().equals(logicalId)).findFirst();
    }

    public Optional<Queue> queueByArn(String arn) {
        return queues.stream().filter(q -> q.arn().equals(arn)).findFirst();
    }

    public Optional<Queue> queue(String logicalId) {
        return queues.stream().filter(q -> q.logicalId().equals(logicalId)).findFirst();
    }

    public Optional<Table> table(String logicalId) {
        return tables.stream().filter(t -> t.logicalId().equals(logicalId)).findFirst();
    }

    public Optional<Bucket> bucket(String logicalId) {
        return buckets.stream().filter(b -> b.logicalId().equals(logicalId)).findFirst();
    }

    public Optional<Api> api(String logicalId) {
        return apis.stream().filter(a -> a.logicalId().equals(logicalId)).findFirst();
    }

    /** An {@code AWS::Serverless::Function} merged with {@code Globals.Function}. */
    public record Function(String logicalId, String functionName, String arn, String handler, String runtime,
                           Path codeUri, int memorySize, int timeoutSeconds, Map<String, String> environment,
                           List<Event> events, String autoPublishAlias, Integer reservedConcurrency) {
        /** A function without ReservedConcurrentExecutions. */
        public Function(String logicalId, String functionName, String arn, String handler, String runtime,
                        Path codeUri, int memorySize, int timeoutSeconds, Map<String, String> environment,
                        List<Event> events, String autoPublishAlias) {
            this(logicalId, functionName, arn, handler, runtime, codeUri, memorySize, timeoutSeconds, environment,
                events, autoPublishAlias, null);
        }

        /** The ARN Lambda passes as the invoked function ARN: qualified with the alias when there is one. */
        public String invokedArn() {
            return autoPublishAlias == null ? arn : arn + ":" + autoPublishAlias;
        }

        /** Published versions run under an alias; the runtime reports version "1" for them, as after one deploy. */
        public String version() {
            return autoPublishAlias == null ? "$LATEST" : "1";
        }
    }

    /** One entry of a function's {@code Events}. */
    public sealed interface Event permits ApiEvent, SqsEvent, ScheduleEvent, EventBridgeRuleEvent {
        String name();
    }

    /** {@code Type: Api}; authorizer is the event's own {@code Auth.Authorizer} (null: the API's default). */
    public record ApiEvent(String name, String path, String method, String apiLogicalId, String authorizer,
                           MethodOptions options) implements Event {
        public ApiEvent(String name, String path, String method, String apiLogicalId, String authorizer) {
            this(name, path, method, apiLogicalId, authorizer, MethodOptions.NONE);
        }
    }

    /** {@code Type: SQS}; maximumConcurrency null when no ScalingConfig is given. */
    public record SqsEvent(String name, String queueArn, int batchSize, int maximumBatchingWindowSeconds,
                           boolean reportBatchItemFailures, Integer maximumConcurrency, boolean enabled,
                           List<JsonNode> filterPatterns) implements Event {
    }

    /** {@code Type: Schedule}; input is the constant JSON given as {@code Input}, or null. */
    public record ScheduleEvent(String name, String ruleName, String ruleArn, String expression, JsonNode input,
                                boolean enabled) implements Event {
    }

    /** {@code Type: EventBridgeRule} (or the older {@code CloudWatchEvent}). */
    public record EventBridgeRuleEvent(String name, String ruleName, String ruleArn, JsonNode pattern,
                                       String eventBusName, JsonNode input, String inputPath, boolean enabled)
        implements Event {
    }

    /** {@code AWS::DynamoDB::Table}; ttlAttribute is null unless TTL is enabled. */
    public record Table(String logicalId, String tableName, String arn, Map<String, String> attributeTypes,
                        List<KeyElement> keySchema, List<Index> globalSecondaryIndexes,
                        List<Index> localSecondaryIndexes, String ttlAttribute) {
    }

    public record KeyElement(String attributeName, String keyType) {
    }

    public record Index(String indexName, List<KeyElement> keySchema, String projectionType,
                        List<String> nonKeyAttributes) {
    }

    /** {@code AWS::SQS::Queue} with CloudFormation's defaults filled in. */
    public record Queue(String logicalId, String queueName, String url, String arn, int visibilityTimeoutSeconds,
                        int messageRetentionPeriodSeconds, int delaySeconds, int receiveMessageWaitTimeSeconds,
                        RedrivePolicy redrivePolicy, boolean fifo, boolean contentBasedDeduplication) {
    }

    public record RedrivePolicy(String deadLetterTargetArn, int maxReceiveCount) {
        /** The JSON string SQS expects as the {@code RedrivePolicy} attribute. */
        public String toAttributeValue() {
            return "{\"deadLetterTargetArn\":\"" + deadLetterTargetArn + "\",\"maxReceiveCount\":\"" + maxReceiveCount
                + "\"}";
        }
    }

    /**
     * {@code AWS::SecretsManager::Secret}: arn is the partial ARN (no random suffix), which Secrets Manager accepts;
     * the value is secretString, or generated as {@code generateSecretString} says when the secret is created.
     */
    public record Secret(String logicalId, String name, String arn, String secretString,
                         JsonNode generateSecretString) {
    }

    /** {@code AWS::S3::Bucket}. */
    public record Bucket(String logicalId, String bucketName, String arn) {
    }

    /**
     * {@code AWS::Serverless::Api}, or SAM's implicit {@code ServerlessRestApi}; defaultAuthorizer is
     * {@code AWS_IAM} or null.
     */
    public record Api(String logicalId, String restApiId, String stageName, String defaultAuthorizer,
                      List<String> binaryMediaTypes, boolean implicit, ApiSettings settings) {
    }
}
