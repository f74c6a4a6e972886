package com.warehouseexport.localruntime.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Resolves a template's parameters, conditions and intrinsic functions the way CloudFormation does, with local
 * physical names: a resource without an explicit name is called {@code <stack>-<LogicalId>} (deterministic, so a
 * restart finds what the last run created).
 */
final class TemplateEvaluator {
    /** What {@code Ref AWS::NoValue} evaluates to: the enclosing property or list item disappears. */
    static final JsonNode NO_VALUE = MissingNode.getInstance();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final TemplateOptions options;
    private final Map<String, JsonNode> parameters = new LinkedHashMap<>();
    private final JsonNode conditionDefinitions;
    private final Map<String, Boolean> conditions = new HashMap<>();
    private final Set<String> conditionsInProgress = new HashSet<>();
    private final JsonNode mappings;
    private final Map<String, JsonNode> resources;
    private final Map<String, PhysicalResource> physical = new HashMap<>();
    private final Set<String> physicalInProgress = new HashSet<>();
    private final List<String> warnings;

    /** resources: logical id → resource definition, including SAM's implicit resources. */
    TemplateEvaluator(JsonNode template, Map<String, JsonNode> resources, TemplateOptions options,
                      List<String> warnings) {
        this.options = options;
        this.resources = resources;
        this.warnings = warnings;
        this.conditionDefinitions = template.path("Conditions");
        this.mappings = template.path("Mappings");
        resolveParameters(template.path("Parameters"));
    }

    Map<String, JsonNode> parameters() {
        return parameters;
    }

    // ---------------------------------------------------------------- parameters

    private void resolveParameters(JsonNode definitions) {
        for (String name : options.parameterOverrides().keySet()) {
            if (!definitions.has(name)) {
                warnings.add("parameter override " + name + " is not a parameter of the template; ignored");
            }
        }
        List<String> missing = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = definitions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            JsonNode definition = entry.getValue();
            String type = definition.path("Type").asText("String");
            String value = options.parameterOverrides().get(name);
            if (value == null && definition.has("Default")) {
                value = scalarText(definition.get("Default"));
            }
            if (value == null) {
                missing.add(name);
                continue;
            }
            if (type.startsWith("AWS::SSM::Parameter::Value") && !options.parameterOverrides().containsKey(name)) {
                throw new TemplateException("Parameter " + name + " is read from SSM Parameter Store on AWS; locally "
                    + "give its value with --parameter-overrides " + name + "=...");
            }
            validateParameter(name, definition, type, value);
            if (type.equals("CommaDelimitedList") || type.startsWith("List<")) {
                ArrayNode list = NODES.arrayNode();
                if (!value.isEmpty()) {
                    for (String item : value.split(",", -1)) {
                        list.add(item.trim());
                    }
                }
                parameters.put(name, list);
            } else {
                parameters.put(name, TextNode.valueOf(value));
            }
        }
        if (!missing.isEmpty()) {
            throw new TemplateException("Parameters: " + missing + " must have values");
        }
    }

    private static void validateParameter(String name, JsonNode definition, String type, String value) {
        JsonNode allowed = definition.path("AllowedValues");
        if (allowed.isArray() && allowed.size() > 0) {
            boolean ok = false;
            for (JsonNode candidate : allowed) {
                ok |= scalarText(candidate).equals(value);
            }
            if (!ok) {
                throw new TemplateException("Parameter '" + name + "' must be one of AllowedValues");
            }
        }
        if (definition.has("AllowedPattern") && !Pattern.matches(definition.get("AllowedPattern").asText(), value)) {
            throw new TemplateException("Parameter '" + name + "' must match pattern "
                + definition.get("AllowedPattern").asText());
        }
        if (definition.has("MinLength") && value.length() < definition.get("MinLength").asInt()) {
            throw new TemplateException("Parameter '" + name + "' must contain at least "
                + definition.get("MinLength").asInt() + " characters");
        }
        if (definition.has("MaxLength") && value.length() > definition.get("MaxLength").asInt()) {
            throw new TemplateException("Parameter '" + name + "' must contain at most "
                + definition.get("MaxLength").asInt() + " characters");
        }
        if (type.equals("Number")) {
            double number;
            try {
                number = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new TemplateException("Parameter '" + name + "' must be a number");
            }
            if (definition.has("MinValue") && number < definition.get("MinValue").asDouble()) {
                throw new TemplateException("Parameter '" + name + "' must be a number not less than "
                    + scalarText(definition.get("MinValue")));
            }
            if (definition.has("MaxValue") && number > definition.get("MaxValue").asDouble()) {
                throw new TemplateException("Parameter '" + name + "' must be a number not greater than "
                    + scalarText(definition.get("MaxValue")));
            }
        }
    }

    // ---------------------------------------------------------------- conditions

    boolean condition(String name) {
        Boolean known = conditions.get(name);
        if (known != null) {
            return known;
        }
        if (!conditionDefinitions.has(name)) {
            throw new TemplateException("Template format error: Unresolved condition dependency " + name);
        }
        if (!conditionsInProgress.add(name)) {
            throw new TemplateException("Template format error: circular condition dependency at " + name);
        }
        boolean value = conditionValue(conditionDefinitions.get(name));
        conditionsInProgress.remove(name);
        conditions.put(name, value);
        return value;
    }

    boolean conditionValue(JsonNode node) {
        if (node.isObject() && node.size() == 1 && node.has("Condition") && node.get("Condition").isTextual()) {
            return condition(node.get("Condition").asText());
        }
        JsonNode value = evaluate(node);
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isTextual() && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(value.asText());
        }
        throw new TemplateException("Template format error: a condition must evaluate to true or false, got " + value);
    }

    /** True unless the resource has a {@code Condition} that is false. */
    boolean isIncluded(JsonNode resource) {
        JsonNode condition = resource.get("Condition");
        return condition == null || condition(condition.asText());
    }

    // ---------------------------------------------------------------- intrinsics

    /** Evaluates every intrinsic function in node; properties and list items that are AWS::NoValue disappear. */
    JsonNode evaluate(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return NO_VALUE;
        }
        if (node.isObject()) {
            if (node.size() == 1) {
                String key = node.fieldNames().next();
                if (key.equals("Ref") || key.startsWith("Fn::")) {
                    return intrinsic(key, node.get(key));
                }
            }
            ObjectNode result = NODES.objectNode();
            node.fields().forEachRemaining(field -> {
                JsonNode value = evaluate(field.getValue());
                if (!value.isMissingNode()) {
                    result.set(field.getKey(), value);
                }
            });
            return result;
        }
        if (node.isArray()) {
            ArrayNode result = NODES.arrayNode();
            for (JsonNode item : node) {
                JsonNode value = evaluate(item);
                if (!value.isMissingNode()) {
                    result.add(value);
                }
            }
            return result;
        }
        return node;
    }

    /** Evaluates node and returns it as text (numbers and booleans as CloudFormation prints them), null if absent. */
    String evaluateText(JsonNode node) {
        JsonNode value = evaluate(node);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isContainerNode()) {
            throw new TemplateException("expected a string value, got " + value);
        }
        return scalarText(value);
    }

    private JsonNode intrinsic(String function, JsonNode argument) {
        switch (function) {
            case "Ref":
                return ref(evaluateText(argument));
            case "Fn::GetAtt": {
                JsonNode args = argument.isTextual()
                    ? splitGetAtt(argument.asText()) : evaluate(argument);
                if (!args.isArray() || args.size() != 2) {
                    throw new TemplateException("Template error: every Fn::GetAtt object requires two non-empty "
                        + "parameters");
                }
                return getAtt(args.get(0).asText(), args.get(1).asText());
            }
            case "Fn::Sub":
                return TextNode.valueOf(sub(argument));
            case "Fn::Join": {
                JsonNode args = requireArray(function, argument, 2);
                String delimiter = evaluateText(args.get(0));
                JsonNode items = evaluate(args.get(1));
                List<String> parts = new ArrayList<>();
                for (JsonNode item : requireList(function, items)) {
                    parts.add(scalarText(item));
                }
                return TextNode.valueOf(String.join(delimiter, parts));
            }
            case "Fn::Select": {
                JsonNode args = requireArray(function, argument, 2);
                int index = Integer.parseInt(evaluateText(args.get(0)));
                JsonNode list = requireList(function, evaluate(args.get(1)));
                if (index < 0 || index >= list.size()) {
                    throw new TemplateException("Template error: Fn::Select cannot select nonexistent value at "
                        + "index " + index);
                }
                return list.get(index);
            }
            case "Fn::Split": {
                JsonNode args = requireArray(function, argument, 2);
                String delimiter = evaluateText(args.get(0));
                String source = evaluateText(args.get(1));
                ArrayNode parts = NODES.arrayNode();
                for (String part : source.split(Pattern.quote(delimiter), -1)) {
                    parts.add(part);
                }
                return parts;
            }
            case "Fn::If": {
                JsonNode args = requireArray(function, argument, 3);
                return evaluate(condition(args.get(0).asText()) ? args.get(1) : args.get(2));
            }
            case "Fn::Equals": {
                JsonNode args = requireArray(function, argument, 2);
                return BooleanNode.valueOf(comparable(evaluate(args.get(0))).equals(comparable(evaluate(args.get(1)))));
            }
            case "Fn::Not": {
                JsonNode args = requireArray(function, argument, 1);
                return BooleanNode.valueOf(!conditionValue(args.get(0)));
            }
            case "Fn::And":
            case "Fn::Or": {
                if (!argument.isArray() || argument.size() < 2 || argument.size() > 10) {
                    throw new TemplateException("Template error: " + function + " takes 2 to 10 conditions");
                }
                boolean and = function.equals("Fn::And");
                boolean result = and;
                for (JsonNode item : argument) {
                    result = and ? result && conditionValue(item) : result || conditionValue(item);
                }
                return BooleanNode.valueOf(result);
            }
            case "Fn::FindInMap": {
                JsonNode args = requireArray(function, argument, 3);
                String map = evaluateText(args.get(0));
                String top = evaluateText(args.get(1));
                String second = evaluateText(args.get(2));
                JsonNode value = mappings.path(map).path(top).path(second);
                if (value.isMissingNode()) {
                    throw new TemplateException("Template error: Unable to get mapping for " + map + "::" + top
                        + "::" + second);
                }
                return evaluate(value);
            }
            case "Fn::Base64":
                return TextNode.valueOf(Base64.getEncoder().encodeToString(
                    evaluateText(argument).getBytes(StandardCharsets.UTF_8)));
            case "Fn::GetAZs": {
                ArrayNode zones = NODES.arrayNode();
                for (String suffix : List.of("a", "b", "c")) {
                    zones.add(options.region() + suffix);
                }
                return zones;
            }
            case "Fn::Length":
                return IntNode.valueOf(requireList(function, evaluate(argument)).size());
            case "Fn::ToJsonString":
                try {
                    return TextNode.valueOf(JSON.writeValueAsString(evaluate(argument)));
                } catch (Exception e) {
                    throw new TemplateException("Fn::ToJsonString failed: " + e.getMessage());
                }
            default:
                throw new TemplateException(function + " is not supported by the local runtime");
        }
    }

    private static JsonNode splitGetAtt(String dotted) {
        ArrayNode args = NODES.arrayNode();
        int dot = dotted.indexOf('.');
        if (dot > 0) {
            args.add(dotted.substring(0, dot)).add(dotted.substring(dot + 1));
        } else {
            args.add(dotted);
        }
        return args;
    }

    private static JsonNode requireArray(String function, JsonNode argument, int size) {
        if (!argument.isArray() || argument.size() != size) {
            throw new TemplateException("Template error: " + function + " needs a list of " + size + " arguments, "
                + "got " + argument);
        }
        return argument;
    }

    private static JsonNode requireList(String function, JsonNode value) {
        if (!value.isArray()) {
            throw new TemplateException("Template error: " + function + " needs a list, got " + value);
        }
        return value;
    }

    private static String comparable(JsonNode value) {
        return value.isValueNode() ? scalarText(value) : value.toString();
    }

    /** Fn::Sub in both forms: "text ${Name} ${Res.Attr} ${!Literal}" or [text, {Name: value}]. */
    private String sub(JsonNode argument) {
        String text;
        Map<String, String> variables = new HashMap<>();
        if (argument.isArray()) {
            requireArray("Fn::Sub", argument, 2);
            text = argument.get(0).asText();
            argument.get(1).fields().forEachRemaining(f -> variables.put(f.getKey(), evaluateText(f.getValue())));
        } else {
            text = argument.asText();
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            int end = text.indexOf('}', start);
            if (end < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, start);
            String name = text.substring(start + 2, end);
            if (name.startsWith("!")) {
                out.append("${").append(name.substring(1)).append('}');
            } else {
                name = name.trim();
                if (variables.containsKey(name)) {
                    out.append(variables.get(name));
                } else if (name.contains(".") && !name.startsWith("AWS::")) {
                    int dot = name.indexOf('.');
                    out.append(scalarText(getAtt(name.substring(0, dot), name.substring(dot + 1))));
                } else {
                    JsonNode value = ref(name);
                    if (value.isContainerNode()) {
                        throw new TemplateException("Template error: variable " + name + " in Fn::Sub expression "
                            + "does not resolve to a string");
                    }
                    out.append(scalarText(value));
                }
            }
            i = end + 1;
        }
        return out.toString();
    }

    JsonNode ref(String name) {
        JsonNode parameter = parameters.get(name);
        if (parameter != null) {
            return parameter;
        }
        switch (name) {
            case "AWS::Region":
                return TextNode.valueOf(options.region());
            case "AWS::AccountId":
                return TextNode.valueOf(options.accountId());
            case "AWS::StackName":
                return TextNode.valueOf(options.stackName());
            case "AWS::StackId":
                return TextNode.valueOf("arn:aws:cloudformation:" + options.region() + ":" + options.accountId()
                    + ":stack/" + options.stackName() + "/"
                    + UUID.nameUUIDFromBytes(options.stackName().getBytes(StandardCharsets.UTF_8)));
            case "AWS::Partition":
                return TextNode.valueOf("aws");
            case "AWS::URLSuffix":
                return TextNode.valueOf("amazonaws.com");
            case "AWS::NoValue":
                return NO_VALUE;
            case "AWS::NotificationARNs":
                return NODES.arrayNode();
            default:
                if (name.endsWith(".Stage") && !resources.containsKey(name)) {
                    return TextNode.valueOf(samApiStage(name.substring(0, name.length() - ".Stage".length())));
                }
                return TextNode.valueOf(physical(name).ref());
        }
    }

    /** SAM's {@code Ref: MyApi.Stage}: the stage name of that API's implicit stage resource. */
    private String samApiStage(String apiLogicalId) {
        for (Map.Entry<String, JsonNode> resource : resources.entrySet()) {
            if (resource.getKey().startsWith(apiLogicalId) && resource.getKey().endsWith("Stage")
                && resource.getValue().path("Type").asText().equals("AWS::ApiGateway::Stage")) {
                return physical(resource.getKey()).ref();
            }
        }
        throw new TemplateException("Template format error: Unresolved resource dependencies [" + apiLogicalId
            + ".Stage] in the Resources block of the template");
    }

    JsonNode getAtt(String logicalId, String attribute) {
        PhysicalResource resource = physical(logicalId);
        JsonNode value = resource.attributes().get(attribute);
        if (value == null) {
            if (resource.lenient()) {
                warnings.add("Fn::GetAtt " + logicalId + "." + attribute + " has no local value; using a "
                    + "placeholder");
                return TextNode.valueOf(resource.ref() + "." + attribute);
            }
            throw new TemplateException("Template error: resource " + logicalId + " does not support attribute "
                + "type " + attribute + " in Fn::GetAtt");
        }
        return value;
    }

    // ---------------------------------------------------------------- physical ids

    /** Ref value and Fn::GetAtt attributes of a resource; lenient for types the runtime does not create. */
    record PhysicalResource(String ref, Map<String, JsonNode> attributes, boolean lenient) {
    }

    PhysicalResource physical(String logicalId) {
        PhysicalResource known = physical.get(logicalId);
        if (known != null) {
            return known;
        }
        JsonNode resource = resources.get(logicalId);
        if (resource == null || !isIncluded(resource)) {
            throw new TemplateException("Template format error: Unresolved resource dependencies [" + logicalId
                + "] in the Resources block of the template");
        }
        if (!physicalInProgress.add(logicalId)) {
            throw new TemplateException("Circular dependency between resources: " + logicalId);
        }
        PhysicalResource value = describe(logicalId, resource.path("Type").asText(), resource.path("Properties"));
        physicalInProgress.remove(logicalId);
        physical.put(logicalId, value);
        return value;
    }

    String defaultName(String logicalId) {
        return options.stackName() + "-" + logicalId;
    }

    private String nameOr(JsonNode properties, String property, String fallback) {
        String name = evaluateText(properties.get(property));
        return name == null ? fallback : name;
    }

    private PhysicalResource describe(String logicalId, String type, JsonNode properties) {
        String region = options.region();
        String account = options.accountId();
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        switch (type) {
            case "AWS::DynamoDB::Table": {
                String name = nameOr(properties, "TableName", defaultName(logicalId));
                String arn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
                attributes.put("Arn", TextNode.valueOf(arn));
                attributes.put("StreamArn", TextNode.valueOf(arn + "/stream/1970-01-01T00:00:00.000"));
                return new PhysicalResource(name, attributes, false);
            }
            case "AWS::SQS::Queue": {
                String name = queueName(logicalId, properties);
                String url = options.queueUrlForName().apply(name);
                attributes.put("Arn", TextNode.valueOf("arn:aws:sqs:" + region + ":" + account + ":" + name));
                attributes.put("QueueName", TextNode.valueOf(name));
                attributes.put("QueueUrl", TextNode.valueOf(url));
                return new PhysicalResource(url, attributes, false);
            }
            case "AWS::S3::Bucket": {
                String name = nameOr(properties, "BucketName", bucketName(defaultName(logicalId)));
                attributes.put("Arn", TextNode.valueOf("arn:aws:s3:::" + name));
                attributes.put("DomainName", TextNode.valueOf(name + ".s3.amazonaws.com"));
                attributes.put("RegionalDomainName", TextNode.valueOf(name + ".s3." + region + ".amazonaws.com"));
                attributes.put("DualStackDomainName", TextNode.valueOf(name + ".s3.dualstack." + region
                    + ".amazonaws.com"));
                attributes.put("WebsiteURL", TextNode.valueOf("http://" + name + ".s3-website-" + region
                    + ".amazonaws.com"));
                return new PhysicalResource(name, attributes, false);
            }
            case "AWS::Serverless::Function":
            case "AWS::Lambda::Function": {
                String name = nameOr(properties, "FunctionName", defaultName(logicalId));
                attributes.put("Arn", TextNode.valueOf("arn:aws:lambda:" + region + ":" + account + ":function:"
                    + name));
                return new PhysicalResource(name, attributes, false);
            }
            case "AWS::IAM::Role": {
                String name = nameOr(properties, "RoleName", defaultName(logicalId));
                attributes.put("Arn", TextNode.valueOf("arn:aws:iam::" + account + ":role/" + name));
                attributes.put("RoleId", TextNode.valueOf("AROA" + shortId(logicalId, 17).toUpperCase(Locale.ROOT)));
                return new PhysicalResource(name, attributes, false);
            }
            case "AWS::Serverless::Api":
            case "AWS::ApiGateway::RestApi": {
                String id = restApiId(logicalId);
                attributes.put("RootResourceId", TextNode.valueOf(shortId(logicalId + "/", 10)));
                return new PhysicalResource(id, attributes, false);
            }
            case "AWS::ApiGateway::ApiKey":
            case "AWS::ApiGateway::UsagePlan":
                // ids API Gateway would generate, stable across restarts
                return new PhysicalResource(restApiId(logicalId), attributes, false);
            case "AWS::ApiGateway::Stage":
                return new PhysicalResource(nameOr(properties, "StageName", logicalId), attributes, false);
            case "AWS::Events::Rule": {
                String name = nameOr(properties, "Name", defaultName(logicalId));
                attributes.put("Arn", TextNode.valueOf("arn:aws:events:" + region + ":" + account + ":rule/" + name));
                return new PhysicalResource(name, attributes, false);
            }
            case "AWS::SNS::Topic": {
                String name = nameOr(properties, "TopicName", defaultName(logicalId));
                String arn = "arn:aws:sns:" + region + ":" + account + ":" + name;
                attributes.put("TopicArn", TextNode.valueOf(arn));
                attributes.put("TopicName", TextNode.valueOf(name));
                return new PhysicalResource(arn, attributes, false);
            }
            case "AWS::SecretsManager::Secret": {
                // The partial ARN (without AWS's random "-xxxxxx" suffix, which only the emulator knows once it has
                // created the secret): Secrets Manager accepts it as SecretId, so functions given this Ref find it.
                String name = secretName(logicalId, properties);
                String arn = "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name;
                attributes.put("Id", TextNode.valueOf(arn));
                return new PhysicalResource(arn, attributes, false);
            }
            case "AWS::Logs::LogGroup": {
                String name = nameOr(properties, "LogGroupName", "/aws/" + defaultName(logicalId));
                attributes.put("Arn", TextNode.valueOf("arn:aws:logs:" + region + ":" + account + ":log-group:"
                    + name + ":*"));
                return new PhysicalResource(name, attributes, false);
            }
            default: {
                String ref = defaultName(logicalId);
                String service = type.startsWith("AWS::") ? type.split("::")[1].toLowerCase(Locale.ROOT) : "unknown";
                attributes.put("Arn", TextNode.valueOf("arn:aws:" + service + ":" + region + ":" + account + ":"
                    + ref));
                return new PhysicalResource(ref, attributes, true);
            }
        }
    }

    String secretName(String logicalId, JsonNode properties) {
        return nameOr(properties, "Name", defaultName(logicalId));
    }

    /**
     * Replaces the public URL of each of the template's REST APIs ({@code https://<id>.execute-api.<region>.
     * amazonaws.com}, as {@code !Sub https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/stage} builds
     * it) with the local gateway's base URL; the stage path stays (the gateway serves paths under it too).
     */
    String localApiUrls(String text) {
        if (text == null || options.apiEndpoint() == null || !text.contains(".execute-api.")) {
            return text;
        }
        String local = options.apiEndpoint().toString().replaceAll("/+$", "");
        String result = text;
        for (Map.Entry<String, JsonNode> entry : resources.entrySet()) {
            String type = entry.getValue().path("Type").asText();
            if (type.equals("AWS::Serverless::Api") || type.equals("AWS::ApiGateway::RestApi")) {
                String publicUrl = "https://" + restApiId(entry.getKey()) + ".execute-api." + options.region()
                    + ".amazonaws.com";
                result = result.replace(publicUrl, local);
            }
        }
        return result;
    }

    String queueName(String logicalId, JsonNode properties) {
        String explicit = evaluateText(properties.get("QueueName"));
        if (explicit != null) {
            return explicit;
        }
        boolean fifo = "true".equalsIgnoreCase(evaluateText(properties.get("FifoQueue")));
        String name = defaultName(logicalId);
        if (name.length() > (fifo ? 75 : 80)) {
            name = name.substring(0, fifo ? 75 : 80);
        }
        return fifo ? name + ".fifo" : name;
    }

    /** A valid S3 bucket name derived from a default name: lower case, [a-z0-9.-], 3 to 63 characters. */
    static String bucketName(String name) {
        String lower = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("-+", "-");
        if (lower.length() > 63) {
            lower = lower.substring(0, 63);
        }
        lower = lower.replaceAll("^[-.]+|[-.]+$", "");
        return lower.length() < 3 ? lower + "-bucket" : lower;
    }

    /** API Gateway ids are 10 lower-case letters and digits; a hash keeps them stable across restarts. */
    String restApiId(String logicalId) {
        return shortId(options.stackName() + "/" + logicalId, 10);
    }

    /** A stable id of letters and digits for something AWS would generate, e.g. an API key's value. */
    String generatedId(String seed, int length) {
        StringBuilder id = new StringBuilder();
        for (int part = 0; id.length() < length; part++) {
            id.append(shortId(options.stackName() + "/" + seed + "/" + part, Math.min(30, length - id.length())));
        }
        return id.toString();
    }

    private static String shortId(String seed, int length) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
            StringBuilder id = new StringBuilder();
            for (int i = 0; i < length; i++) {
                id.append(alphabet.charAt((hash[i] & 0xff) % alphabet.length()));
            }
            return id.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Text of a scalar as CloudFormation renders it: 30 → "30", true → "true". */
    static String scalarText(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isNull()) {
            return "";
        }
        return value.asText();
    }
}
