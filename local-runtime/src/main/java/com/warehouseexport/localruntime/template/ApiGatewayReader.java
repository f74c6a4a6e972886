package com.warehouseexport.localruntime.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.warehouseexport.localruntime.template.ApiSettings.AccessLogSetting;
import com.warehouseexport.localruntime.template.ApiSettings.Cors;
import com.warehouseexport.localruntime.template.ApiSettings.GatewayResponse;
import com.warehouseexport.localruntime.template.ApiSettings.MethodSetting;
import com.warehouseexport.localruntime.template.MethodOptions.RequestParameter;
import com.warehouseexport.localruntime.template.UsagePlan.ApiKey;
import com.warehouseexport.localruntime.template.UsagePlan.ApiStage;
import com.warehouseexport.localruntime.template.UsagePlan.Quota;
import com.warehouseexport.localruntime.template.UsagePlan.Throttle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the API Gateway features of a template: an API's {@link ApiSettings}, an Api event's
 * {@link MethodOptions}, and the usage plans with their keys. Properties arrive evaluated.
 */
final class ApiGatewayReader {
    private static final Pattern REQUEST_PARAMETER = Pattern.compile("method\\.request\\.(header|querystring|path)\\.(.+)");

    private final List<String> warnings;

    ApiGatewayReader(List<String> warnings) {
        this.warnings = warnings;
    }

    ApiSettings settings(String apiId, JsonNode properties) {
        JsonNode auth = properties.path("Auth");
        boolean apiKeyRequired = samTruth(apiId + ".Auth.ApiKeyRequired", auth.get("ApiKeyRequired"));
        if (auth.has("UsagePlan")) {
            warnings.add(apiId + ": Auth.UsagePlan is not emulated; declare AWS::ApiGateway::UsagePlan, ApiKey and "
                + "UsagePlanKey resources instead");
        }
        return new ApiSettings(apiKeyRequired, cors(apiId, properties.get("Cors")),
            gatewayResponses(properties.path("GatewayResponses")), methodSettings(properties.path("MethodSettings")),
            accessLog(properties.path("AccessLogSetting")));
    }

    /**
     * SAM reads these flags at transform time as Python truth values: a boolean as it is, a string as true
     * unless empty (so "false" means true; worth a warning).
     */
    private boolean samTruth(String where, JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = TemplateEvaluator.scalarText(value);
        if (text.equalsIgnoreCase("false")) {
            warnings.add(where + " is the string \"false\", which SAM treats as true (any non-empty string)");
        }
        return !text.isEmpty();
    }

    private Cors cors(String apiId, JsonNode cors) {
        if (cors == null || cors.isMissingNode() || cors.isNull()) {
            return null;
        }
        if (cors.isTextual()) {
            return new Cors(unquote(cors.asText()), null, null, null, false);
        }
        if (!cors.isObject()) {
            throw new TemplateException(apiId + ": Invalid value for 'Cors' property");
        }
        // SAM's defaults when a field is left out
        String origin = cors.has("AllowOrigin") ? unquote(cors.get("AllowOrigin").asText()) : "*";
        String headers = cors.has("AllowHeaders") ? unquote(cors.get("AllowHeaders").asText()) : null;
        String methods = cors.has("AllowMethods") ? unquote(cors.get("AllowMethods").asText()) : null;
        String maxAge = cors.has("MaxAge") ? unquote(cors.get("MaxAge").asText()) : null;
        boolean credentials = cors.path("AllowCredentials").asBoolean(false)
            || cors.path("AllowCredentials").asText().equalsIgnoreCase("true");
        return new Cors(origin, headers, methods, maxAge, credentials);
    }

    private static Map<String, GatewayResponse> gatewayResponses(JsonNode responses) {
        Map<String, GatewayResponse> byType = new LinkedHashMap<>();
        responses.fields().forEachRemaining(entry -> {
            JsonNode response = entry.getValue();
            Map<String, String> headers = new LinkedHashMap<>();
            response.path("ResponseParameters").path("Headers").fields()
                .forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            Map<String, String> templates = new LinkedHashMap<>();
            response.path("ResponseTemplates").fields()
                .forEachRemaining(t -> templates.put(t.getKey(), t.getValue().asText()));
            Integer status = response.hasNonNull("StatusCode") ? Integer.valueOf(response.get("StatusCode").asText())
                : null;
            byType.put(entry.getKey(), new GatewayResponse(entry.getKey(), status,
                Collections.unmodifiableMap(headers), Collections.unmodifiableMap(templates)));
        });
        return Collections.unmodifiableMap(byType);
    }

    private static List<MethodSetting> methodSettings(JsonNode settings) {
        List<MethodSetting> list = new ArrayList<>();
        for (JsonNode setting : iterable(settings)) {
            // ResourcePath is encoded as in a patch path: a leading "/", then the path with "/" written "~1"
            // ("/~1product" is /product, "/~1exports~1{id}" is /exports/{id})
            String encoded = setting.path("ResourcePath").asText("/*");
            String path = encoded.equals("/*") || !encoded.startsWith("/") ? encoded
                : encoded.substring(1).replace("~1", "/");
            String method = setting.path("HttpMethod").asText("*");
            Double rate = setting.hasNonNull("ThrottlingRateLimit")
                ? Double.valueOf(setting.get("ThrottlingRateLimit").asText()) : null;
            Integer burst = setting.hasNonNull("ThrottlingBurstLimit")
                ? Integer.valueOf(setting.get("ThrottlingBurstLimit").asText()) : null;
            list.add(new MethodSetting(path.isEmpty() ? "/*" : path, method, rate, burst));
        }
        return List.copyOf(list);
    }

    private static AccessLogSetting accessLog(JsonNode setting) {
        if (!setting.isObject() || !setting.hasNonNull("Format")) {
            return null;
        }
        return new AccessLogSetting(setting.path("DestinationArn").asText(""), setting.get("Format").asText());
    }

    MethodOptions methodOptions(String where, JsonNode properties) {
        JsonNode auth = properties.path("Auth");
        Boolean apiKeyRequired = auth.has("ApiKeyRequired")
            ? Boolean.valueOf(samTruth(where + ".Auth.ApiKeyRequired", auth.get("ApiKeyRequired"))) : null;
        List<RequestParameter> parameters = new ArrayList<>();
        for (JsonNode parameter : iterable(properties.path("RequestParameters"))) {
            String name;
            boolean required = false;
            if (parameter.isTextual()) {
                name = parameter.asText();
            } else if (parameter.isObject() && parameter.size() == 1) {
                name = parameter.fieldNames().next();
                JsonNode settings = parameter.get(name);
                required = settings.path("Required").asBoolean(false)
                    || settings.path("Required").asText().equalsIgnoreCase("true");
            } else {
                throw new TemplateException(where + ": Invalid value for 'RequestParameters' property");
            }
            Matcher m = REQUEST_PARAMETER.matcher(name);
            if (!m.matches()) {
                throw new TemplateException(where + ": RequestParameters keys must be "
                    + "'method.request.[querystring|path|header].{value}', got " + name);
            }
            parameters.add(new RequestParameter(m.group(1), m.group(2), required));
        }
        JsonNode model = properties.path("RequestModel");
        boolean validateParameters = model.path("ValidateParameters").asBoolean(false)
            || model.path("ValidateParameters").asText().equalsIgnoreCase("true");
        if (apiKeyRequired == null && parameters.isEmpty() && !validateParameters) {
            return MethodOptions.NONE;
        }
        return new MethodOptions(apiKeyRequired, List.copyOf(parameters), validateParameters);
    }

    /**
     * The template's usage plans with the keys attached to them. A key without a Value gets a stable generated
     * one (API Gateway generates one on AWS). Keys are disabled unless Enabled is true, as in CloudFormation.
     */
    List<UsagePlan> usagePlans(Map<String, JsonNode> resources, TemplateEvaluator evaluator) {
        Map<String, ApiKey> keysById = new LinkedHashMap<>();
        Map<String, List<ApiKey>> keysByPlanId = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : resources.entrySet()) {
            JsonNode resource = entry.getValue();
            if (resource.path("Type").asText().equals("AWS::ApiGateway::ApiKey") && evaluator.isIncluded(resource)) {
                JsonNode properties = evaluator.evaluate(resource.path("Properties"));
                String id = evaluator.ref(entry.getKey()).asText();
                String value = properties.hasNonNull("Value") ? properties.get("Value").asText() : null;
                boolean generated = value == null || value.isEmpty();
                if (generated) {
                    value = evaluator.generatedId("api-key/" + entry.getKey(), 40);
                } else if (value.length() < 20) {
                    throw new TemplateException("Resources." + entry.getKey() + ": API Key value should be at least "
                        + "20 characters");
                }
                boolean enabled = properties.path("Enabled").asBoolean(false)
                    || properties.path("Enabled").asText().equalsIgnoreCase("true");
                keysById.put(id, new ApiKey(entry.getKey(), id, properties.path("Name").asText(entry.getKey()), value,
                    generated, enabled));
            }
        }
        for (JsonNode resource : resources.values()) {
            if (resource.path("Type").asText().equals("AWS::ApiGateway::UsagePlanKey")
                && evaluator.isIncluded(resource)) {
                JsonNode properties = evaluator.evaluate(resource.path("Properties"));
                ApiKey key = keysById.get(properties.path("KeyId").asText());
                if (key == null) {
                    warnings.add("UsagePlanKey " + properties.path("KeyId").asText() + " names no ApiKey of this "
                        + "template; ignored");
                    continue;
                }
                keysByPlanId.computeIfAbsent(properties.path("UsagePlanId").asText(), k -> new ArrayList<>()).add(key);
            }
        }
        List<UsagePlan> plans = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : resources.entrySet()) {
            JsonNode resource = entry.getValue();
            if (!resource.path("Type").asText().equals("AWS::ApiGateway::UsagePlan") || !evaluator.isIncluded(resource)) {
                continue;
            }
            JsonNode properties = evaluator.evaluate(resource.path("Properties"));
            String id = evaluator.ref(entry.getKey()).asText();
            List<ApiStage> stages = new ArrayList<>();
            for (JsonNode stage : iterable(properties.path("ApiStages"))) {
                stages.add(new ApiStage(stage.path("ApiId").asText(), stage.path("Stage").asText()));
                if (stage.has("Throttle")) {
                    warnings.add(entry.getKey() + ": per-method Throttle of a usage plan stage is not emulated");
                }
            }
            JsonNode throttle = properties.path("Throttle");
            Throttle planThrottle = throttle.hasNonNull("RateLimit") || throttle.hasNonNull("BurstLimit")
                ? new Throttle(throttle.path("RateLimit").asDouble(Double.MAX_VALUE),
                    throttle.path("BurstLimit").asInt(Integer.MAX_VALUE))
                : null;
            JsonNode quota = properties.path("Quota");
            Quota planQuota = quota.hasNonNull("Limit")
                ? new Quota(quota.get("Limit").asLong(), quota.path("Period").asText("DAY").toUpperCase(Locale.ROOT),
                    quota.path("Offset").asInt(0))
                : null;
            plans.add(new UsagePlan(entry.getKey(), id, properties.path("UsagePlanName").asText(entry.getKey()),
                List.copyOf(stages), planThrottle, planQuota, List.copyOf(keysByPlanId.getOrDefault(id, List.of()))));
        }
        return List.copyOf(plans);
    }

    /** SAM writes header values as API Gateway literals: 'value'. */
    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("'") && value.endsWith("'")
            ? value.substring(1, value.length() - 1) : value;
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node != null && node.isContainerNode() ? node : JsonNodeFactory.instance.arrayNode();
    }
}
