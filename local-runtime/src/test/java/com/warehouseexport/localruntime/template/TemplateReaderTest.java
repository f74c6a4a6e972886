package com.warehouseexport.localruntime.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localruntime.template.SamTemplate.ApiEvent;
import com.warehouseexport.localruntime.template.SamTemplate.EventBridgeRuleEvent;
import com.warehouseexport.localruntime.template.SamTemplate.Function;
import com.warehouseexport.localruntime.template.SamTemplate.KeyElement;
import com.warehouseexport.localruntime.template.SamTemplate.Queue;
import com.warehouseexport.localruntime.template.SamTemplate.ScheduleEvent;
import com.warehouseexport.localruntime.template.SamTemplate.SqsEvent;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateReaderTest {
    private static final String ACCOUNT = "000000000000";

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(TemplateReaderTest.class.getResource("/templates/" + name).toURI());
    }

    private static SamTemplate read(Map<String, String> overrides) throws URISyntaxException {
        return new TemplateReader().read(fixture("app.yaml"), TemplateOptions.defaults(overrides));
    }

    @Test
    void resolvesGlobalsParametersAndRefsOfEveryResourceType() throws Exception {
        SamTemplate template = read(Map.of());
        Function receiver = template.function("RequestReceiverFunction").orElseThrow();
        assertEquals("warehouse-export-RequestReceiverFunction", receiver.functionName());
        assertEquals("arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:warehouse-export-RequestReceiverFunction",
            receiver.arn());
        assertEquals("arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:warehouse-export-RequestReceiverFunction:live",
            receiver.invokedArn());
        assertEquals("java21", receiver.runtime());
        assertEquals(1024, receiver.memorySize());
        assertEquals(20, receiver.timeoutSeconds());
        assertEquals(fixture("app.yaml").getParent().resolve("../functions/receiver.jar").normalize(),
            receiver.codeUri());

        Map<String, String> env = receiver.environment();
        assertEquals("warehouse-export-control-dev", env.get("CONTROL_TABLE"), "Globals merged, !Sub of parameter");
        assertEquals("dev", env.get("STAGE"));
        assertEquals("http://127.0.0.1:9324/" + ACCOUNT + "/warehouse-export-ExportQueue", env.get("EXPORT_QUEUE_URL"),
            "Ref of a queue is its URL");
        assertEquals("warehouse-export-ExportQueue", env.get("QUEUE_NAME"));
        assertEquals("7", env.get("REQUEST_TTL_DAYS"), "FindInMap");
        assertFalse(env.containsKey("OPTIONAL"), "AWS::NoValue removes the variable");

        Map<String, String> processor = template.function("RequestProcessorFunction").orElseThrow().environment();
        assertEquals(30, template.function("RequestProcessorFunction").orElseThrow().timeoutSeconds());
        assertEquals("", processor.get("REDSHIFT_CLUSTER_ID"));
        assertEquals("analytics-wg", processor.get("REDSHIFT_WORKGROUP"));
        assertEquals("warehouse-export-resultsbucket", processor.get("RESULTS_BUCKET"), "generated bucket name");
        assertEquals("arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/warehouse-export-control-dev,"
            + "arn:aws:sqs:us-east-1:" + ACCOUNT + ":warehouse-export-ExportQueue,"
            + "arn:aws:s3:::warehouse-export-resultsbucket", processor.get("ARN_LIST"));
        assertEquals("audit@example.com", processor.get("SECOND_EMAIL"));
        assertEquals("exports", processor.get("SPLIT_FIRST"));
        assertEquals("${NotAVariable}-aws-amazonaws.com", processor.get("ESCAPED"));
        assertEquals("warehouse-export-control-dev/arn:aws:s3:::archive-" + ACCOUNT + "-us-east-1",
            processor.get("SUB_WITH_MAP"));
        assertEquals("false", processor.get("PROD_AND_CLUSTER"));
        assertEquals("true", processor.get("DEV_OR_CLUSTER"));

        Map<String, String> poller = template.function("ResultPollerFunction").orElseThrow().environment();
        assertEquals("archive-" + ACCOUNT + "-us-east-1", poller.get("ARCHIVE_BUCKET"));
        assertEquals("3600", poller.get("LINK_EXPIRY_SECONDS"));
        assertEquals("ops@example.com,audit@example.com", poller.get("TARGET_EMAILS"));
    }

    @Test
    void parameterOverridesAndConditionsChangeTheResult() throws Exception {
        SamTemplate template = read(Map.of("Stage", "prod", "RedshiftClusterId", "warehouse-1",
            "LinkExpirySeconds", "600"));
        Map<String, String> receiver = template.function("RequestReceiverFunction").orElseThrow().environment();
        assertEquals("yes", receiver.get("OPTIONAL"));
        assertEquals("30", receiver.get("REQUEST_TTL_DAYS"));
        assertEquals("warehouse-export-control-prod", receiver.get("CONTROL_TABLE"));
        Map<String, String> processor = template.function("RequestProcessorFunction").orElseThrow().environment();
        assertEquals("warehouse-1", processor.get("REDSHIFT_CLUSTER_ID"));
        assertEquals("", processor.get("REDSHIFT_WORKGROUP"));
        assertEquals("true", processor.get("PROD_AND_CLUSTER"));
        assertTrue(template.bucket("ProdOnlyBucket").isPresent(), "resource with a true Condition");
        assertTrue(read(Map.of()).bucket("ProdOnlyBucket").isEmpty(), "resource with a false Condition");
    }

    @Test
    void parametersAreValidatedLikeCloudFormation() {
        TemplateException notAllowed = assertThrows(TemplateException.class, () -> read(Map.of("Stage", "qa")));
        assertEquals("Parameter 'Stage' must be one of AllowedValues", notAllowed.getMessage());
        TemplateException tooSmall = assertThrows(TemplateException.class,
            () -> read(Map.of("LinkExpirySeconds", "5")));
        assertEquals("Parameter 'LinkExpirySeconds' must be a number not less than 60", tooSmall.getMessage());
    }

    @Test
    void tableKeysIndexesAndTtl() throws Exception {
        SamTemplate.Table table = read(Map.of()).table("ControlTable").orElseThrow();
        assertEquals("warehouse-export-control-dev", table.tableName());
        assertEquals(List.of(new KeyElement("pk", "HASH"), new KeyElement("sk", "RANGE")), table.keySchema());
        assertEquals("S", table.attributeTypes().get("inFlight"));
        assertEquals(2, table.globalSecondaryIndexes().size());
        SamTemplate.Index inFlight = table.globalSecondaryIndexes().get(1);
        assertEquals("inFlight", inFlight.indexName());
        assertEquals("INCLUDE", inFlight.projectionType());
        assertEquals(List.of("requestId", "state"), inFlight.nonKeyAttributes());
        assertEquals("expiresAt", table.ttlAttribute());
    }

    @Test
    void queuesWithRedrivePolicy() throws Exception {
        SamTemplate template = read(Map.of());
        Queue queue = template.queue("ExportQueue").orElseThrow();
        assertEquals(180, queue.visibilityTimeoutSeconds());
        assertEquals(86400, queue.messageRetentionPeriodSeconds());
        assertEquals("arn:aws:sqs:us-east-1:" + ACCOUNT + ":warehouse-export-export-dlq",
            queue.redrivePolicy().deadLetterTargetArn());
        assertEquals(3, queue.redrivePolicy().maxReceiveCount());
        assertEquals("{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:" + ACCOUNT
            + ":warehouse-export-export-dlq\",\"maxReceiveCount\":\"3\"}", queue.redrivePolicy().toAttributeValue());
        Queue dlq = template.queueByArn(queue.redrivePolicy().deadLetterTargetArn()).orElseThrow();
        assertEquals("ExportDeadLetterQueue", dlq.logicalId());
        assertEquals(1209600, dlq.messageRetentionPeriodSeconds());
        assertEquals(30, dlq.visibilityTimeoutSeconds(), "CloudFormation's default");
        assertNull(dlq.redrivePolicy());
    }

    @Test
    void eventsOfEveryKind() throws Exception {
        SamTemplate template = read(Map.of());
        List<SamTemplate.Event> receiverEvents = template.function("RequestReceiverFunction").orElseThrow().events();
        assertEquals(new ApiEvent("PostExports", "/exports", "POST", "ExportApi", null), receiverEvents.get(0));
        assertEquals(new ApiEvent("Health", "/health", "GET", "ExportApi", "NONE"), receiverEvents.get(1));

        SqsEvent sqs = (SqsEvent) template.function("RequestProcessorFunction").orElseThrow().events().get(0);
        assertEquals(template.queue("ExportQueue").orElseThrow().arn(), sqs.queueArn());
        assertEquals(5, sqs.batchSize());
        assertEquals(2, sqs.maximumBatchingWindowSeconds());
        assertTrue(sqs.reportBatchItemFailures());
        assertEquals(2, sqs.maximumConcurrency());
        assertTrue(sqs.enabled());

        List<SamTemplate.Event> pollerEvents = template.function("ResultPollerFunction").orElseThrow().events();
        ScheduleEvent schedule = (ScheduleEvent) pollerEvents.get(0);
        assertEquals("rate(5 minutes)", schedule.expression());
        assertEquals("warehouse-export-ResultPollerFunctionEvery5Minutes", schedule.ruleName());
        assertEquals("arn:aws:events:us-east-1:" + ACCOUNT + ":rule/warehouse-export-ResultPollerFunctionEvery5Minutes",
            schedule.ruleArn());
        EventBridgeRuleEvent rule = (EventBridgeRuleEvent) pollerEvents.get(1);
        assertEquals("aws.redshift-data", rule.pattern().path("source").get(0).asText());
        assertEquals("export-", rule.pattern().path("detail").path("statementName").get(0).path("prefix").asText());
        assertEquals("default", rule.eventBusName());

        List<SamTemplate.Event> statusEvents = template.function("StatusCheckFunction").orElseThrow().events();
        assertEquals(new ApiEvent("GetExport", "/exports/{id}", "GET", "ServerlessRestApi", null),
            statusEvents.get(0));
        assertEquals("ANY", ((ApiEvent) statusEvents.get(1)).method());
        assertEquals("com.example.Status",
            template.function("StatusCheckFunction").orElseThrow().handler());
    }

    @Test
    void apisWithGlobalsAndTheImplicitApi() throws Exception {
        SamTemplate template = read(Map.of());
        SamTemplate.Api explicit = template.api("ExportApi").orElseThrow();
        assertEquals("v1", explicit.stageName());
        assertEquals("AWS_IAM", explicit.defaultAuthorizer(), "Globals.Api applies");
        assertEquals(10, explicit.restApiId().length());
        SamTemplate.Api implicit = template.api("ServerlessRestApi").orElseThrow();
        assertEquals("Prod", implicit.stageName());
        assertEquals("AWS_IAM", implicit.defaultAuthorizer(), "Globals.Api applies to the implicit API too");
        assertTrue(implicit.implicit());
        assertEquals(explicit.restApiId(), read(Map.of()).api("ExportApi").orElseThrow().restApiId(),
            "ids are stable across runs");
    }

    @Test
    void outputsResolveWhatCanBeResolved() throws Exception {
        SamTemplate template = read(Map.of());
        String apiId = template.api("ExportApi").orElseThrow().restApiId();
        assertEquals("https://" + apiId + ".execute-api.us-east-1.amazonaws.com/v1/", template.outputs().get("ApiUrl"));
        assertTrue(template.outputs().get("ImplicitApiUrl").startsWith("https://"
            + template.api("ServerlessRestApi").orElseThrow().restApiId() + ".execute-api"));
        assertEquals("v1", template.outputs().get("StageRef"));
        assertEquals("arn:aws:iam::" + ACCOUNT + ":role/warehouse-export-RequestReceiverFunctionRole",
            template.outputs().get("ReceiverRole"));
        assertTrue(template.outputs().get("Imported").startsWith("(not available locally"));
    }

    @Test
    void longFormJsonTemplate() throws Exception {
        SamTemplate template = new TemplateReader().read(fixture("long-form.json"),
            TemplateOptions.defaults(Map.of()));
        Queue queue = template.queue("Jobs").orElseThrow();
        assertEquals("lf-jobs", queue.queueName());
        assertTrue(queue.fifo());
        Function worker = template.function("Worker").orElseThrow();
        assertEquals("http://127.0.0.1:9324/" + ACCOUNT + "/lf-jobs", worker.environment().get("QUEUE_URL"));
        assertEquals("arn:aws:sqs:us-east-1:" + ACCOUNT + ":lf-jobs", worker.environment().get("QUEUE_ARN"));
        assertEquals("30", worker.environment().get("TIMEOUT"));
        assertEquals("aGk=", worker.environment().get("B64"));
        assertEquals("us-east-1a", worker.environment().get("FIRST_AZ"));
        assertEquals(3, worker.timeoutSeconds(), "Lambda's default timeout");
        assertEquals(128, worker.memorySize());
        ScheduleEvent nightly = (ScheduleEvent) worker.events().get(0);
        assertFalse(nightly.enabled());
        assertEquals("nightly", nightly.input().path("mode").asText());

        SamTemplate noPrefix = new TemplateReader().read(fixture("long-form.json"),
            TemplateOptions.defaults(Map.of("Prefix", "")));
        assertEquals("jobs", noPrefix.queue("Jobs").orElseThrow().queueName());
    }

    @Test
    void unresolvedReferencesFailLikeCloudFormation() {
        String yaml = "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            + "      CodeUri: f.jar\n      Handler: a.B\n      Environment:\n        Variables:\n"
            + "          X: !Ref Missing\n";
        TemplateException e = assertThrows(TemplateException.class, () -> new TemplateReader()
            .read(CfnYaml.parse(yaml), Path.of("/tmp/template.yaml"), TemplateOptions.defaults(Map.of())));
        assertEquals("Resources.F: Template format error: Unresolved resource dependencies [Missing] in the "
            + "Resources block of the template", e.getMessage());
    }

    @Test
    void shortFormTagsBecomeLongForms() {
        var node = CfnYaml.parse("a: !GetAtt Res.Attr.Deep\nb: !Sub x\nc: !Condition C\nd: !Ref R\ne: 2010-09-09\n");
        assertEquals("[\"Res\",\"Attr.Deep\"]", node.get("a").get("Fn::GetAtt").toString());
        assertEquals("x", node.get("b").get("Fn::Sub").asText());
        assertEquals("C", node.get("c").get("Condition").asText());
        assertEquals("R", node.get("d").get("Ref").asText());
        assertEquals("2010-09-09", node.get("e").asText());
    }
}
