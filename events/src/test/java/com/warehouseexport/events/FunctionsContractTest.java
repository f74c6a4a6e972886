package com.warehouseexport.events;

import static com.warehouseexport.events.SamTemplate.list;
import static com.warehouseexport.events.SamTemplate.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.events.DesignPage.FunctionModule;
import com.warehouseexport.events.DesignPage.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The functions of template.yaml follow docs/design.md: modules, handlers, environment, event sources. */
class FunctionsContractTest {

    /** Lambda sets these itself and refuses them in a function's configuration. */
    private static final Set<String> RESERVED_BY_LAMBDA = Set.of("AWS_REGION");
    /** Endpoint overrides exist for the local runtime only; on AWS they stay unset. */
    private static final String ENDPOINT_OVERRIDE_PREFIX = "AWS_ENDPOINT_URL_";

    private final SamTemplate template = SamTemplate.load(ProjectFiles.template());
    private final DesignPage design = DesignPage.load(ProjectFiles.designPage());

    @Test
    void everyDesignFunctionModuleIsOneTemplateFunctionWithItsHandlerAndJar() {
        Map<String, FunctionModule> modules = design.functionModules();
        assertEquals(Set.of("request-receiver", "request-processor", "result-poller", "status-check"),
                modules.keySet(), "function modules on the design page");
        Set<String> modulesInTemplate = new TreeSet<>();
        for (String functionId : template.functionIds()) {
            FunctionModule module = moduleOf(functionId);
            assertTrue(modulesInTemplate.add(module.module()), module.module() + " deployed twice");
            assertEquals(module.handler(), template.properties(functionId).get("Handler"), functionId + " Handler");
            assertEquals(module.handlerClass().replace("Handler", "Function"), functionId,
                    "logical id named after " + module.handlerClass());
        }
        assertEquals(new TreeSet<>(modules.keySet()), modulesInTemplate);
    }

    @Test
    void functionsGetOnlyDesignVariablesTheyUse() {
        Map<String, Variable> variables = design.variables();
        System.out.println("design variables: " + variables.keySet());
        assertTrue(variables.containsKey("CONTROL_TABLE") && variables.containsKey("AWS_ENDPOINT_URL_SQS"),
                "design page configuration table was parsed");
        for (String functionId : template.functionIds()) {
            String role = moduleOf(functionId).role();
            template.environment(functionId).keySet().forEach(name -> {
                Variable variable = variables.get(name);
                assertNotNull(variable, functionId + " gets " + name + ", which is not on the design page");
                assertTrue(variable.isUsedBy(role), functionId + " gets " + name + ", used by " + variable.usedBy());
                assertFalse(RESERVED_BY_LAMBDA.contains(name), name + " is reserved by Lambda");
                assertFalse(name.startsWith(ENDPOINT_OVERRIDE_PREFIX), name + " must stay unset on AWS");
            });
        }
    }

    @Test
    void functionsGetEveryVariableTheDesignGivesThem() {
        for (String functionId : template.functionIds()) {
            String role = moduleOf(functionId).role();
            List<String> missing = new ArrayList<>();
            for (Variable variable : design.variables().values()) {
                boolean setByTemplate = !RESERVED_BY_LAMBDA.contains(variable.name())
                        && !variable.name().startsWith(ENDPOINT_OVERRIDE_PREFIX);
                if (setByTemplate && variable.isUsedBy(role)
                        && !template.environment(functionId).containsKey(variable.name())) {
                    missing.add(variable.name());
                }
            }
            assertEquals(List.of(), missing, functionId + " lacks variables the design page gives " + role);
        }
    }

    @Test
    void functionsRunJava21SnapStartThroughTheLiveAlias() {
        for (String functionId : template.functionIds()) {
            assertEquals("java21", template.functionProperty(functionId, "Runtime"), functionId);
            assertEquals(1, list(template.functionProperty(functionId, "Architectures")).size(), functionId);
            assertEquals("PublishedVersions",
                    map(template.functionProperty(functionId, "SnapStart")).get("ApplyOn"), functionId);
            assertEquals("live", template.functionProperty(functionId, "AutoPublishAlias"), functionId);
        }
    }

    @Test
    void processorDrainsTheExportQueueWithPartialBatchFailures() {
        Map<String, Map<String, Object>> sqsEvents = template.eventsOfType("RequestProcessorFunction", "SQS");
        assertEquals(1, sqsEvents.size());
        Map<String, Object> source = sqsEvents.values().iterator().next();
        assertEquals(Map.of("Fn::GetAtt", List.of("ExportQueue", "Arn")), source.get("Queue"));
        assertEquals(List.of("ReportBatchItemFailures"), source.get("FunctionResponseTypes"));
        assertEquals(Map.of("Ref", "ProcessorMaxConcurrency"), map(source.get("ScalingConfig")).get("MaximumConcurrency"));

        Map<String, Object> queue = template.properties("ExportQueue");
        int processorTimeout = ((Number) template.functionProperty("RequestProcessorFunction", "Timeout")).intValue();
        int visibilityTimeout = ((Number) queue.get("VisibilityTimeout")).intValue();
        System.out.printf("processor timeout %d s, queue visibility timeout %d s%n", processorTimeout, visibilityTimeout);
        assertTrue(visibilityTimeout >= 6 * processorTimeout, "visibility timeout >= 6 x processor timeout");
        Map<String, Object> redrive = map(queue.get("RedrivePolicy"));
        // One parameter feeds both the redrive policy and the processor's last-attempt rule.
        assertEquals(Map.of("Ref", "MaxReceiveCount"), redrive.get("maxReceiveCount"));
        assertEquals(Map.of("Ref", "MaxReceiveCount"),
            template.environment("RequestProcessorFunction").get("MAX_RECEIVE_COUNT"));
        assertEquals(Map.of("Fn::GetAtt", List.of("ExportDeadLetterQueue", "Arn")), redrive.get("deadLetterTargetArn"));
    }

    @Test
    void pollerRunsOnItsScheduleAndOnExportStatementEvents() throws Exception {
        Map<String, Map<String, Object>> schedules = template.eventsOfType("ResultPollerFunction", "Schedule");
        assertEquals(1, schedules.size());
        assertEquals(Map.of("Ref", "PollerSchedule"), schedules.values().iterator().next().get("Schedule"));
        assertEquals("rate(1 minute)", map(template.parameters().get("PollerSchedule")).get("Default"));

        Map<String, Map<String, Object>> rules = template.eventsOfType("ResultPollerFunction", "EventBridgeRule");
        assertEquals(2, rules.size());
        Map<String, Object> pattern = map(rules.get("StatementStatusChange").get("Pattern"));
        ObjectMapper json = new ObjectMapper();
        for (String fixture : List.of("redshift-data-status-change.json", "redshift-data-status-failed.json")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> event = json.readValue(ProjectFiles.fixture(fixture).toFile(), Map.class);
            assertTrue(EventPattern.matches(pattern, event), fixture + " matches the poller's rule");

            Map<String, Object> otherStatement = new HashMap<>(event);
            Map<String, Object> detail = new HashMap<>(map(event.get("detail")));
            detail.put("statementName", "nightly-load-42");
            otherStatement.put("detail", detail);
            assertFalse(EventPattern.matches(pattern, otherStatement), "statements of other applications are ignored");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> schedule = json.readValue(ProjectFiles.fixture("schedule.json").toFile(), Map.class);
        assertFalse(EventPattern.matches(pattern, schedule), "the schedule is not a statement event");

        // Athena: state changes of the exports' work group (its default value standing in for the Ref)
        Map<String, Object> athena = new HashMap<>(map(rules.get("AthenaQueryStateChange").get("Pattern")));
        Map<String, Object> athenaDetail = new HashMap<>(map(athena.get("detail")));
        assertEquals(List.of(Map.of("Ref", "AthenaWorkGroup")), athenaDetail.get("workgroupName"));
        athenaDetail.put("workgroupName", List.of(map(template.parameters().get("AthenaWorkGroup")).get("Default")));
        athena.put("detail", athenaDetail);
        @SuppressWarnings("unchecked")
        Map<String, Object> athenaEvent = json.readValue(ProjectFiles.fixture("athena-query-state-change.json")
            .toFile(), Map.class);
        assertTrue(EventPattern.matches(athena, athenaEvent), "athena-query-state-change.json matches");
        Map<String, Object> otherGroup = new HashMap<>(athenaEvent);
        Map<String, Object> otherDetail = new HashMap<>(map(athenaEvent.get("detail")));
        otherDetail.put("workgroupName", "analysts");
        otherGroup.put("detail", otherDetail);
        assertFalse(EventPattern.matches(athena, otherGroup), "queries of other work groups are ignored");
        assertFalse(EventPattern.matches(athena, schedule), "the schedule is not an Athena event");
        assertEquals(Map.of("Ref", "AthenaWorkGroup"),
            template.environment("RequestProcessorFunction").get("ATHENA_WORKGROUP"));
    }

    @Test
    void controlTableHasTheDesignKeysIndexesAndTtl() {
        Map<String, Object> table = template.properties("ControlTable");
        assertEquals(List.of(key("pk", "HASH"), key("sk", "RANGE")), table.get("KeySchema"));
        Map<String, Object> indexes = new HashMap<>();
        for (Object index : list(table.get("GlobalSecondaryIndexes"))) {
            indexes.put((String) map(index).get("IndexName"), map(index).get("KeySchema"));
        }
        assertEquals(Map.of(
                "byOwner", List.of(key("owner", "HASH"), key("createdAt", "RANGE")),
                "inFlight", List.of(key("inFlight", "HASH"), key("updatedAt", "RANGE"))), indexes);
        assertEquals(Map.of("AttributeName", "expiresAt", "Enabled", true), table.get("TimeToLiveSpecification"));
    }

    private FunctionModule moduleOf(String functionId) {
        String codeUri = String.valueOf(template.properties(functionId).get("CodeUri"));
        String module = codeUri.substring(0, codeUri.indexOf('/'));
        FunctionModule design = this.design.functionModules().get(module);
        assertNotNull(design, functionId + ": CodeUri " + codeUri + " is not a function module of the design page");
        assertEquals(design.codeUri(), codeUri, functionId + " CodeUri");
        return design;
    }

    private static Map<String, Object> key(String attribute, String type) {
        return Map.of("AttributeName", attribute, "KeyType", type);
    }
}
