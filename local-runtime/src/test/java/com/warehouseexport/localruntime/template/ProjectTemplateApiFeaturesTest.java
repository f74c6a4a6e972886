package com.warehouseexport.localruntime.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localruntime.template.MethodOptions.RequestParameter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API features of the project's template.yaml: API keys, CORS, validation, logging, by parameter. */
class ProjectTemplateApiFeaturesTest {
    private static final Path TEMPLATE = Path.of("..", "template.yaml");

    private static SamTemplate read(Map<String, String> overrides) {
        return new TemplateReader().read(TEMPLATE, TemplateOptions.defaults(overrides));
    }

    @Test
    void byDefaultNoKeysNoAccessLogAndCorsForAnyOrigin() {
        SamTemplate template = read(Map.of());
        ApiSettings api = template.api("ExportApi").orElseThrow().settings();
        assertFalse(api.apiKeyRequired());
        assertTrue(template.usagePlans().isEmpty());
        assertNull(api.accessLog());
        assertEquals("*", api.cors().allowOrigin());
        assertTrue(api.cors().allowHeaders().contains("X-Api-Key"), api.cors().allowHeaders());
        assertEquals("'*'", api.gatewayResponses().get("DEFAULT_4XX").headers().get("Access-Control-Allow-Origin"));
        assertEquals("'*'", api.gatewayResponses().get("DEFAULT_5XX").headers().get("Access-Control-Allow-Origin"));
        for (SamTemplate.Function function : template.functions()) {
            assertEquals("*", function.environment().get("CORS_ALLOW_ORIGIN"), function.logicalId());
        }
    }

    @Test
    void apiKeyRequiredCreatesTheUsagePlanWithAKeyPerPartner() {
        SamTemplate template = read(Map.of("ApiKeyRequired", "true", "ApiKeyRateLimit", "5",
            "ApiKeyBurstLimit", "7", "ApiKeyQuotaLimit", "100", "ApiKeyQuotaPeriod", "WEEK",
            "PartnerAApiKeyValue", "PartnerAKeyValue0123456789"));
        SamTemplate.Api api = template.api("ExportApi").orElseThrow();
        assertTrue(api.settings().apiKeyRequired());
        assertEquals(1, template.usagePlans().size());
        UsagePlan plan = template.usagePlans().get(0);
        assertEquals("warehouse-export-partners", plan.name());
        assertEquals(List.of(new UsagePlan.ApiStage(api.restApiId(), "v1")), plan.apiStages());
        assertEquals(new UsagePlan.Throttle(5, 7), plan.throttle());
        assertEquals(new UsagePlan.Quota(100, "WEEK", 0), plan.quota());
        assertEquals(List.of("warehouse-export-partner-a", "warehouse-export-partner-b"),
            plan.keys().stream().map(UsagePlan.ApiKey::name).toList());
        UsagePlan.ApiKey a = plan.keys().get(0);
        UsagePlan.ApiKey b = plan.keys().get(1);
        assertEquals("PartnerAKeyValue0123456789", a.value());
        assertFalse(a.valueGenerated());
        assertTrue(b.valueGenerated());
        assertEquals(40, b.value().length());
        assertTrue(a.enabled() && b.enabled());
        assertNotEquals(a.id(), b.id());
        assertEquals(b.value(), read(Map.of("ApiKeyRequired", "true")).usagePlans().get(0).keys().get(1).value(),
            "a generated value is the same at every start");
    }

    @Test
    void aRouteCannotOptOutOfKeysTheApiDoesNotRequire(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String template = """
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Keys: {Type: String, Default: ""}
            Resources:
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: v1
                  Auth: {DefaultAuthorizer: AWS_IAM, ApiKeyRequired: !Ref Keys}
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  CodeUri: fn.jar
                  Handler: a.B
                  Runtime: java21
                  Events:
                    Link:
                      Type: Api
                      Properties:
                        RestApiId: !Ref Api
                        Path: /links/{token}
                        Method: get
                        Auth: {Authorizer: NONE, ApiKeyRequired: false}
            """;
        Path file = java.nio.file.Files.writeString(dir.resolve("t.yaml"), template);
        TemplateException refused = org.junit.jupiter.api.Assertions.assertThrows(TemplateException.class,
            () -> new TemplateReader().read(file, TemplateOptions.defaults(Map.of())));
        assertTrue(refused.getMessage().contains("Unable to set ApiKeyRequired [False] on API method [get] for path "
            + "[/links/{token}] because the related API does not specify any ApiKeyRequired"), refused.getMessage());
        SamTemplate keysOn = new TemplateReader().read(file, TemplateOptions.defaults(Map.of("Keys", "true")));
        SamTemplate.ApiEvent link = (SamTemplate.ApiEvent) keysOn.function("Fn").orElseThrow().events().get(0);
        assertEquals(Boolean.FALSE, link.options().apiKeyRequired());
    }

    @Test
    void getProductValidatesItsRequestidHeader() {
        SamTemplate.ApiEvent getProduct = read(Map.of()).function("StatusCheckFunction").orElseThrow().events()
            .stream().filter(e -> e instanceof SamTemplate.ApiEvent a && a.method().equals("GET")
                && a.path().equals("/product")).map(e -> (SamTemplate.ApiEvent) e).findFirst().orElseThrow();
        assertTrue(getProduct.options().validateParameters());
        assertEquals(List.of(new RequestParameter("header", "requestid", true)),
            getProduct.options().requestParameters());
    }

    @Test
    void accessLoggingGivesTheJsonFormatAndTheOriginReachesTheFunctions() {
        SamTemplate template = read(Map.of("ApiAccessLogging", "true", "CorsAllowOrigin",
            "https://portal.example.com"));
        ApiSettings api = template.api("ExportApi").orElseThrow().settings();
        String format = api.accessLog().format();
        for (String variable : List.of("$context.requestId", "$context.identity.userArn", "$context.status",
            "$context.identity.apiKeyId", "$context.responseLatency")) {
            assertTrue(format.contains(variable), variable);
        }
        assertTrue(api.accessLog().destinationArn().startsWith("arn:aws:logs:us-east-1:000000000000:log-group:"));
        assertEquals("https://portal.example.com", api.cors().allowOrigin());
        assertEquals("https://portal.example.com",
            template.function("StatusCheckFunction").orElseThrow().environment().get("CORS_ALLOW_ORIGIN"));
        assertEquals(List.of(new ApiSettings.MethodSetting("/*", "*", 20.0, 40)), api.methodSettings());
    }
}
