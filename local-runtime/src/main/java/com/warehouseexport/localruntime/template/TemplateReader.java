package com.warehouseexport.localruntime.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localruntime.template.SamTemplate.Api;
import com.warehouseexport.localruntime.template.SamTemplate.ApiEvent;
import com.warehouseexport.localruntime.template.SamTemplate.Bucket;
import com.warehouseexport.localruntime.template.SamTemplate.Event;
import com.warehouseexport.localruntime.template.SamTemplate.EventBridgeRuleEvent;
import com.warehouseexport.localruntime.template.SamTemplate.Function;
import com.warehouseexport.localruntime.template.SamTemplate.Index;
import com.warehouseexport.localruntime.template.SamTemplate.KeyElement;
import com.warehouseexport.localruntime.template.SamTemplate.Queue;
import com.warehouseexport.localruntime.template.SamTemplate.RedrivePolicy;
import com.warehouseexport.localruntime.template.SamTemplate.ScheduleEvent;
import com.warehouseexport.localruntime.template.SamTemplate.Secret;
import com.warehouseexport.localruntime.template.SamTemplate.SqsEvent;
import com.warehouseexport.localruntime.template.SamTemplate.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a SAM template into a {@link SamTemplate}: {@code Globals.Function} merged into each function (and
 * {@code Globals.Api} into each API) with SAM's rules, SAM's implicit {@code ServerlessRestApi} added when an Api
 * event names no RestApiId, resources whose Condition is false left out, and every value evaluated.
 */
public final class TemplateReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IMPLICIT_API = "ServerlessRestApi";

    private final List<String> warnings = new ArrayList<>();

    /** A template read, with the warnings about what the local runtime leaves out. */
    public record Result(SamTemplate template, List<String> warnings) {
    }

    /** Warnings collected while reading (unsupported properties, ignored overrides, ...). */
    public List<String> warnings() {
        return warnings;
    }

    public SamTemplate read(Path templateFile, TemplateOptions options) {
        String text;
        try {
            text = Files.readString(templateFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + templateFile, e);
        }
        return read(CfnYaml.parse(text), templateFile.toAbsolutePath(), options);
    }

    SamTemplate read(JsonNode template, Path templateFile, TemplateOptions options) {
        JsonNode globals = template.path("Globals");
        Map<String, JsonNode> resources = new LinkedHashMap<>();
        template.path("Resources").fields().forEachRemaining(r -> resources.put(r.getKey(), r.getValue()));
        addImplicitResources(resources, globals);

        TemplateEvaluator evaluator = new TemplateEvaluator(template, resources, options, warnings);
        checkRules(template.path("Rules"), evaluator);
        Path baseDirectory = templateFile.getParent();

        List<Function> functions = new ArrayList<>();
        List<Table> tables = new ArrayList<>();
        List<Queue> queues = new ArrayList<>();
        List<Bucket> buckets = new ArrayList<>();
        List<Api> apis = new ArrayList<>();
        List<Secret> secrets = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : resources.entrySet()) {
            String logicalId = entry.getKey();
            JsonNode resource = entry.getValue();
            if (!evaluator.isIncluded(resource)) {
                continue;
            }
            String type = resource.path("Type").asText();
            try {
                switch (type) {
                    case "AWS::Serverless::Api" -> apis.add(api(logicalId, resource, globals.path("Api"), evaluator));
                    case "AWS::DynamoDB::Table" -> tables.add(table(logicalId, resource, evaluator));
                    case "AWS::SQS::Queue" -> queues.add(queue(logicalId, resource, evaluator));
                    case "AWS::S3::Bucket" -> buckets.add(bucket(logicalId, evaluator));
                    case "AWS::SecretsManager::Secret" -> secrets.add(secret(logicalId, resource, evaluator));
                    default -> {
                    }
                }
            } catch (TemplateException e) {
                throw new TemplateException("Resources." + logicalId + ": " + e.getMessage());
            }
        }
        for (Map.Entry<String, JsonNode> entry : resources.entrySet()) {
            JsonNode resource = entry.getValue();
            if (resource.path("Type").asText().equals("AWS::Serverless::Function") && evaluator.isIncluded(resource)) {
                try {
                    functions.add(function(entry.getKey(), resource, globals.path("Function"), evaluator,
                        baseDirectory, apis));
                } catch (TemplateException e) {
                    throw new TemplateException("Resources." + entry.getKey() + ": " + e.getMessage());
                }
            }
        }
        List<UsagePlan> usagePlans = new ApiGatewayReader(warnings).usagePlans(resources, evaluator);
        Map<String, String> outputs = new LinkedHashMap<>();
        template.path("Outputs").fields().forEachRemaining(output -> {
            if (!evaluator.isIncluded(output.getValue())) {
                return;
            }
            try {
                outputs.put(output.getKey(),
                    evaluator.localApiUrls(evaluator.evaluateText(output.getValue().path("Value"))));
            } catch (TemplateException e) {
                outputs.put(output.getKey(), "(not available locally: " + e.getMessage() + ")");
            }
        });
        return new SamTemplate(templateFile, options.stackName(), options.region(), options.accountId(),
            Map.copyOf(evaluator.parameters()), List.copyOf(functions), List.copyOf(tables), List.copyOf(queues),
            List.copyOf(buckets), List.copyOf(apis), outputs, usagePlans, List.copyOf(secrets));
    }

    /** CloudFormation's Rules: every assertion of a rule whose RuleCondition holds must be true. */
    private static void checkRules(JsonNode rules, TemplateEvaluator evaluator) {
        rules.fields().forEachRemaining(rule -> {
            JsonNode definition = rule.getValue();
            if (definition.has("RuleCondition") && !evaluator.conditionValue(definition.get("RuleCondition"))) {
                return;
            }
            for (JsonNode assertion : iterable(definition.path("Assertions"))) {
                if (!evaluator.conditionValue(assertion.path("Assert"))) {
                    throw new TemplateException("Template rule " + rule.getKey() + " failed: "
                        + assertion.path("AssertDescription").asText("assertion is false"));
                }
            }
        });
    }

    // ---------------------------------------------------------------- SAM's implicit resources

    private static void addImplicitResources(Map<String, JsonNode> resources, JsonNode globals) {
        boolean needsImplicitApi = false;
        Map<String, JsonNode> implicit = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : resources.entrySet()) {
            JsonNode resource = entry.getValue();
            if (!resource.path("Type").asText().equals("AWS::Serverless::Function")) {
                continue;
            }
            if (!resource.path("Properties").has("Role")) {
                implicit.put(entry.getKey() + "Role", JSON.createObjectNode().put("Type", "AWS::IAM::Role"));
            }
            for (JsonNode event : iterable(resource.path("Properties").path("Events"))) {
                if (event.path("Type").asText().equals("Api") && !event.path("Properties").has("RestApiId")) {
                    needsImplicitApi = true;
                }
            }
        }
        if (needsImplicitApi && !resources.containsKey(IMPLICIT_API)) {
            ObjectNode api = JSON.createObjectNode().put("Type", "AWS::Serverless::Api");
            api.putObject("Properties").put("StageName", "Prod");
            implicit.put(IMPLICIT_API, api);
        }
        for (Map.Entry<String, JsonNode> entry : new ArrayList<>(resources.entrySet())) {
            if (entry.getValue().path("Type").asText().equals("AWS::Serverless::Api")) {
                addStage(implicit, entry.getKey(), entry.getValue(), globals);
            }
        }
        if (implicit.containsKey(IMPLICIT_API)) {
            addStage(implicit, IMPLICIT_API, implicit.get(IMPLICIT_API), globals);
        }
        implicit.forEach(resources::putIfAbsent);
    }

    /** SAM names an API's stage resource {@code <Api><StageName>Stage}; Ref of it is the stage name. */
    private static void addStage(Map<String, JsonNode> implicit, String apiId, JsonNode api, JsonNode globals) {
        JsonNode stageName = api.path("Properties").has("StageName")
            ? api.path("Properties").get("StageName") : globals.path("Api").path("StageName");
        if (stageName.isTextual()) {
            ObjectNode stage = JSON.createObjectNode().put("Type", "AWS::ApiGateway::Stage");
            stage.putObject("Properties").put("StageName", stageName.asText());
            if (api.has("Condition")) {
                stage.set("Condition", api.get("Condition"));
            }
            implicit.put(apiId + stageName.asText() + "Stage", stage);
        }
    }

    // ---------------------------------------------------------------- Globals

    /** SAM's Globals rules: maps merge key by key, lists concatenate (globals first), everything else overrides. */
    static JsonNode mergeGlobals(JsonNode global, JsonNode local) {
        if (global == null || global.isMissingNode()) {
            return local;
        }
        if (local == null || local.isMissingNode()) {
            return global.deepCopy();
        }
        if (global.isObject() && local.isObject() && !isIntrinsic(global) && !isIntrinsic(local)) {
            ObjectNode merged = global.deepCopy();
            local.fields().forEachRemaining(f -> merged.set(f.getKey(), mergeGlobals(global.get(f.getKey()),
                f.getValue())));
            return merged;
        }
        if (global.isArray() && local.isArray()) {
            ArrayNode merged = global.deepCopy();
            merged.addAll((ArrayNode) local.deepCopy());
            return merged;
        }
        return local;
    }

    private static boolean isIntrinsic(JsonNode node) {
        if (node.size() != 1) {
            return false;
        }
        String key = node.fieldNames().next();
        return key.equals("Ref") || key.startsWith("Fn::");
    }

    // ---------------------------------------------------------------- resources

    private Function function(String logicalId, JsonNode resource, JsonNode globalFunction,
                              TemplateEvaluator evaluator, Path baseDirectory, List<Api> apis) {
        JsonNode raw = mergeGlobals(globalFunction, resource.path("Properties"));
        if (raw.has("InlineCode")) {
            throw new TemplateException("InlineCode is not supported by the local runtime; use CodeUri with a jar");
        }
        if ("Image".equals(evaluator.evaluateText(raw.get("PackageType")))) {
            throw new TemplateException("PackageType Image is not supported by the local runtime");
        }
        if (raw.has("Layers")) {
            warnings.add(logicalId + ": Layers are ignored by the local runtime");
        }
        String functionName = evaluator.ref(logicalId).asText();
        String arn = evaluator.getAtt(logicalId, "Arn").asText();
        String handler = required(evaluator.evaluateText(raw.get("Handler")), "Handler");
        String runtime = evaluator.evaluateText(raw.get("Runtime"));
        JsonNode codeUriNode = evaluator.evaluate(raw.get("CodeUri"));
        if (!codeUriNode.isTextual()) {
            throw new TemplateException("CodeUri must be a local path to the function's jar, got " + codeUriNode);
        }
        Path codeUri = baseDirectory.resolve(codeUriNode.asText()).normalize();
        int memorySize = intValue(evaluator, raw.get("MemorySize"), 128);
        int timeout = intValue(evaluator, raw.get("Timeout"), 3);
        Map<String, String> environment = new LinkedHashMap<>();
        JsonNode variables = evaluator.evaluate(raw.path("Environment").path("Variables"));
        variables.fields().forEachRemaining(v -> {
            if (v.getValue().isContainerNode()) {
                throw new TemplateException("Environment variable " + v.getKey() + " must be a string, got "
                    + v.getValue());
            }
            environment.put(v.getKey(), evaluator.localApiUrls(TemplateEvaluator.scalarText(v.getValue())));
        });
        String alias = evaluator.evaluateText(raw.get("AutoPublishAlias"));
        // execution environments the local runtime may create for the function (none given: its default pool)
        int reservedOrMinusOne = intValue(evaluator, raw.get("ReservedConcurrentExecutions"), -1);
        Integer reserved = reservedOrMinusOne < 0 ? null : reservedOrMinusOne;

        List<Event> events = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = raw.path("Events").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Event event = event(logicalId, functionName, entry.getKey(), entry.getValue(), evaluator, apis);
            if (event != null) {
                events.add(event);
            }
        }
        return new Function(logicalId, functionName, arn, handler, runtime, codeUri, memorySize, timeout,
            Collections.unmodifiableMap(environment), List.copyOf(events), alias, reserved);
    }

    private Event event(String functionId, String functionName, String name, JsonNode definition,
                        TemplateEvaluator evaluator, List<Api> apis) {
        String type = definition.path("Type").asText();
        JsonNode rawProperties = definition.path("Properties");
        switch (type) {
            case "Api": {
                JsonNode properties = evaluator.evaluate(rawProperties);
                String apiId = apiLogicalId(rawProperties.get("RestApiId"), evaluator, apis);
                String path = required(text(properties, "Path"), "Events." + name + ".Properties.Path");
                String method = required(text(properties, "Method"), "Events." + name + ".Properties.Method")
                    .toUpperCase(Locale.ROOT);
                String authorizer = text(properties.path("Auth"), "Authorizer");
                MethodOptions options = new ApiGatewayReader(warnings).methodOptions(functionId + "." + name,
                    properties);
                if (Boolean.FALSE.equals(options.apiKeyRequired()) && apis.stream().noneMatch(a ->
                    a.logicalId().equals(apiId) && a.settings().apiKeyRequired())) {
                    // SAM's transform refuses this (so an API whose key switch is a parameter cannot have a
                    // route that opts out: put such routes on another API)
                    throw new TemplateException("Event with id [" + name + "] is invalid. Unable to set "
                        + "ApiKeyRequired [False] on API method [" + method.toLowerCase(Locale.ROOT) + "] for path ["
                        + path + "] because the related API does not specify any ApiKeyRequired.");
                }
                return new ApiEvent(name, path, method, apiId, authorizer, options);
            }
            case "SQS": {
                JsonNode properties = evaluator.evaluate(rawProperties);
                String queueArn = required(text(properties, "Queue"), "Events." + name + ".Properties.Queue");
                boolean reportFailures = false;
                for (JsonNode responseType : iterable(properties.path("FunctionResponseTypes"))) {
                    reportFailures |= responseType.asText().equals("ReportBatchItemFailures");
                }
                Integer maximumConcurrency = properties.path("ScalingConfig").has("MaximumConcurrency")
                    ? Integer.valueOf(properties.path("ScalingConfig").get("MaximumConcurrency").asInt()) : null;
                List<JsonNode> filters = new ArrayList<>();
                for (JsonNode filter : iterable(properties.path("FilterCriteria").path("Filters"))) {
                    filters.add(parseJson(filter.path("Pattern").asText(), "FilterCriteria pattern"));
                }
                return new SqsEvent(name, queueArn, properties.path("BatchSize").asInt(10),
                    properties.path("MaximumBatchingWindowInSeconds").asInt(0), reportFailures, maximumConcurrency,
                    enabled(properties), List.copyOf(filters));
            }
            case "Schedule": {
                JsonNode properties = evaluator.evaluate(rawProperties);
                String ruleName = text(properties, "Name");
                if (ruleName == null) {
                    ruleName = evaluator.defaultName(functionId + name);
                }
                JsonNode input = properties.has("Input") ? parseJson(properties.get("Input").asText(), "Input") : null;
                return new ScheduleEvent(name, ruleName, ruleArn(evaluator, ruleName),
                    required(text(properties, "Schedule"), "Events." + name + ".Properties.Schedule"), input,
                    enabled(properties));
            }
            case "EventBridgeRule":
            case "CloudWatchEvent": {
                JsonNode properties = evaluator.evaluate(rawProperties);
                String ruleName = text(properties, "RuleName");
                if (ruleName == null) {
                    ruleName = evaluator.defaultName(functionId + name);
                }
                if (properties.has("InputTransformer")) {
                    warnings.add(functionId + "." + name + ": InputTransformer is not supported locally; the full "
                        + "event is delivered");
                }
                JsonNode input = properties.has("Input") ? parseJson(properties.get("Input").asText(), "Input") : null;
                return new EventBridgeRuleEvent(name, ruleName, ruleArn(evaluator, ruleName),
                    properties.path("Pattern").deepCopy(), properties.path("EventBusName").asText("default"), input,
                    text(properties, "InputPath"), enabled(properties));
            }
            default:
                warnings.add(functionName + ": event " + name + " of type " + type + " is not run locally");
                return null;
        }
    }

    private static String ruleArn(TemplateEvaluator evaluator, String ruleName) {
        return "arn:aws:events:" + evaluator.ref("AWS::Region").asText() + ":" + evaluator.ref("AWS::AccountId")
            .asText() + ":rule/" + ruleName;
    }

    /** Enabled (boolean) or State (ENABLED/DISABLED), both optional. */
    private static boolean enabled(JsonNode properties) {
        if (properties.has("Enabled") && !properties.get("Enabled").asBoolean(true)
            && !properties.get("Enabled").asText().equalsIgnoreCase("true")) {
            return false;
        }
        return !properties.path("State").asText("ENABLED").equalsIgnoreCase("DISABLED");
    }

    private static String apiLogicalId(JsonNode restApiId, TemplateEvaluator evaluator, List<Api> apis) {
        if (restApiId == null) {
            return IMPLICIT_API;
        }
        if (restApiId.isObject() && restApiId.has("Ref") && restApiId.get("Ref").isTextual()) {
            String ref = restApiId.get("Ref").asText();
            if (apis.stream().anyMatch(a -> a.logicalId().equals(ref))) {
                return ref;
            }
        }
        String id = evaluator.evaluateText(restApiId);
        return apis.stream().filter(a -> a.restApiId().equals(id)).map(Api::logicalId).findFirst()
            .orElseThrow(() -> new TemplateException("RestApiId " + restApiId + " is not an AWS::Serverless::Api "
                + "of this template"));
    }

    private Api api(String logicalId, JsonNode resource, JsonNode globalApi, TemplateEvaluator evaluator) {
        JsonNode properties = evaluator.evaluate(mergeGlobals(globalApi, resource.path("Properties")));
        String authorizer = text(properties.path("Auth"), "DefaultAuthorizer");
        if (authorizer != null && !authorizer.equals("AWS_IAM") && !authorizer.equals("NONE")) {
            warnings.add(logicalId + ": authorizer " + authorizer + " is not emulated; only AWS_IAM is");
        }
        List<String> binaryMediaTypes = new ArrayList<>();
        for (JsonNode type : iterable(properties.path("BinaryMediaTypes"))) {
            binaryMediaTypes.add(type.asText().replace("~1", "/"));
        }
        return new Api(logicalId, evaluator.ref(logicalId).asText(), properties.path("StageName").asText("Prod"),
            "NONE".equals(authorizer) ? null : authorizer, List.copyOf(binaryMediaTypes),
            logicalId.equals(IMPLICIT_API), new ApiGatewayReader(warnings).settings(logicalId, properties));
    }

    private Table table(String logicalId, JsonNode resource, TemplateEvaluator evaluator) {
        JsonNode properties = evaluator.evaluate(resource.path("Properties"));
        Map<String, String> attributeTypes = new LinkedHashMap<>();
        for (JsonNode attribute : iterable(properties.path("AttributeDefinitions"))) {
            attributeTypes.put(attribute.path("AttributeName").asText(), attribute.path("AttributeType").asText());
        }
        List<Index> gsis = new ArrayList<>();
        for (JsonNode index : iterable(properties.path("GlobalSecondaryIndexes"))) {
            gsis.add(index(index));
        }
        List<Index> lsis = new ArrayList<>();
        for (JsonNode index : iterable(properties.path("LocalSecondaryIndexes"))) {
            lsis.add(index(index));
        }
        JsonNode ttl = properties.path("TimeToLiveSpecification");
        String ttlAttribute = ttl.path("Enabled").asBoolean(false) || ttl.path("Enabled").asText().equals("true")
            ? ttl.path("AttributeName").asText() : null;
        String name = evaluator.ref(logicalId).asText();
        return new Table(logicalId, name, evaluator.getAtt(logicalId, "Arn").asText(),
            Collections.unmodifiableMap(attributeTypes),
            keys(properties.path("KeySchema")), List.copyOf(gsis), List.copyOf(lsis), ttlAttribute);
    }

    private static Index index(JsonNode index) {
        List<String> nonKey = new ArrayList<>();
        for (JsonNode attribute : iterable(index.path("Projection").path("NonKeyAttributes"))) {
            nonKey.add(attribute.asText());
        }
        return new Index(index.path("IndexName").asText(), keys(index.path("KeySchema")),
            index.path("Projection").path("ProjectionType").asText("ALL"), List.copyOf(nonKey));
    }

    private static List<KeyElement> keys(JsonNode keySchema) {
        List<KeyElement> keys = new ArrayList<>();
        for (JsonNode key : iterable(keySchema)) {
            keys.add(new KeyElement(key.path("AttributeName").asText(), key.path("KeyType").asText()));
        }
        return List.copyOf(keys);
    }

    private Queue queue(String logicalId, JsonNode resource, TemplateEvaluator evaluator) {
        JsonNode properties = evaluator.evaluate(resource.path("Properties"));
        JsonNode redrive = properties.path("RedrivePolicy");
        if (redrive.isTextual()) {
            redrive = parseJson(redrive.asText(), "RedrivePolicy");
        }
        RedrivePolicy redrivePolicy = redrive.isObject()
            ? new RedrivePolicy(redrive.path("deadLetterTargetArn").asText(), redrive.path("maxReceiveCount").asInt())
            : null;
        return new Queue(logicalId, evaluator.getAtt(logicalId, "QueueName").asText(),
            evaluator.ref(logicalId).asText(), evaluator.getAtt(logicalId, "Arn").asText(),
            properties.path("VisibilityTimeout").asInt(30), properties.path("MessageRetentionPeriod").asInt(345600),
            properties.path("DelaySeconds").asInt(0), properties.path("ReceiveMessageWaitTimeSeconds").asInt(0),
            redrivePolicy, properties.path("FifoQueue").asBoolean(false)
                || properties.path("FifoQueue").asText().equals("true"),
            properties.path("ContentBasedDeduplication").asBoolean(false)
                || properties.path("ContentBasedDeduplication").asText().equals("true"));
    }

    private static Bucket bucket(String logicalId, TemplateEvaluator evaluator) {
        return new Bucket(logicalId, evaluator.ref(logicalId).asText(), evaluator.getAtt(logicalId, "Arn").asText());
    }

    /** A secret's initial value: its SecretString, or what GenerateSecretString describes (generated later). */
    private static Secret secret(String logicalId, JsonNode resource, TemplateEvaluator evaluator) {
        JsonNode properties = resource.path("Properties");
        String name = evaluator.secretName(logicalId, properties);
        String secretString = evaluator.evaluateText(properties.get("SecretString"));
        JsonNode generate = properties.has("GenerateSecretString")
            ? evaluator.evaluate(properties.get("GenerateSecretString")) : null;
        if (secretString != null && generate != null) {
            throw new TemplateException("SecretString and GenerateSecretString cannot both be set");
        }
        return new Secret(logicalId, name, evaluator.ref(logicalId).asText(), secretString, generate);
    }

    // ---------------------------------------------------------------- helpers

    private static int intValue(TemplateEvaluator evaluator, JsonNode node, int fallback) {
        String text = evaluator.evaluateText(node);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new TemplateException("expected a whole number, got " + text);
        }
    }

    private static String text(JsonNode properties, String name) {
        JsonNode value = properties.get(name);
        return value == null || value.isNull() || value.isContainerNode() ? null : TemplateEvaluator.scalarText(value);
    }

    private static String required(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new TemplateException(what + " is required");
        }
        return value;
    }

    private static JsonNode parseJson(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new TemplateException(what + " is not valid JSON: " + text);
        }
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node.isContainerNode() ? node : JsonNodeFactory.instance.arrayNode();
    }
}
