package com.warehouseexport.localruntime.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localruntime.template.SamTemplate.ApiEvent;
import com.warehouseexport.localruntime.template.SamTemplate.EventBridgeRuleEvent;
import com.warehouseexport.localruntime.template.SamTemplate.ScheduleEvent;
import com.warehouseexport.localruntime.template.SamTemplate.SqsEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The project's own template.yaml (at the repository root) read as the local runtime reads it. */
class ProjectTemplateTest {
    private static final Path TEMPLATE = Path.of("..", "template.yaml");

    private static SamTemplate read(Map<String, String> overrides) {
        assertTrue(Files.exists(TEMPLATE), "template.yaml at the repository root");
        TemplateReader reader = new TemplateReader();
        SamTemplate template = reader.read(TEMPLATE, TemplateOptions.defaults(overrides));
        reader.warnings().forEach(w -> System.out.println("warning: " + w));
        return template;
    }

    /** Durable download links: the secret, the unsigned route, and the API's URL given to the poller locally. */
    @Test
    void downloadLinksGetTheLocalApiUrlAndTheGeneratedSecret() {
        TemplateReader reader = new TemplateReader();
        SamTemplate template = reader.read(TEMPLATE, TemplateOptions.defaults(Map.of())
            .withApiEndpoint(java.net.URI.create("http://127.0.0.1:4567")));
        SamTemplate.Function poller = template.function("ResultPollerFunction").orElseThrow();
        assertEquals("http://127.0.0.1:4567/v1", poller.environment().get("PUBLIC_API_URL"));
        assertEquals("http://127.0.0.1:4567/v1", template.outputs().get("ExportApiUrl"));

        SamTemplate.Secret secret = template.secrets().get(0);
        assertEquals("DownloadLinkSecret", secret.logicalId());
        assertEquals("warehouse-export-DownloadLinkSecret", secret.name());
        assertEquals("arn:aws:secretsmanager:us-east-1:000000000000:secret:warehouse-export-DownloadLinkSecret",
            secret.arn());
        assertEquals("key", secret.generateSecretString().path("GenerateStringKey").asText());
        assertEquals(secret.arn(), poller.environment().get("LINK_SIGNING_SECRET_ARN"));
        SamTemplate.Function status = template.function("StatusCheckFunction").orElseThrow();
        assertEquals(secret.arn(), status.environment().get("LINK_SIGNING_SECRET_ARN"));
        assertEquals("warehouse-export-archivebucket", status.environment().get("ARCHIVE_BUCKET"));

        Map<String, String> authorizers = status.events().stream().filter(e -> e instanceof ApiEvent)
            .map(e -> (ApiEvent) e).collect(Collectors.toMap(ApiEvent::path, e -> String.valueOf(e.authorizer())));
        // people click it: no signature and no API key, so it lives on an API without either
        ApiEvent link = status.events().stream().filter(e -> e instanceof ApiEvent).map(e -> (ApiEvent) e)
            .filter(e -> e.path().equals("/links/{token}")).findFirst().orElseThrow();
        assertEquals("DownloadLinksApi", link.apiLogicalId());
        assertEquals("null", authorizers.get("/links/{token}"));
        assertEquals("null", authorizers.get("/exports/{id}/download"), "the API's default: AWS_IAM");

        // without a local endpoint the value stays the public one
        SamTemplate plain = read(Map.of());
        assertTrue(plain.function("ResultPollerFunction").orElseThrow().environment().get("PUBLIC_API_URL")
            .matches("https://[a-z0-9]{10}\\.execute-api\\.us-east-1\\.amazonaws\\.com/v1"));
    }

    @Test
    void everyFunctionEventAndResourceResolves() {
        SamTemplate template = read(Map.of());
        assertEquals(List.of("RequestReceiverFunction", "StatusCheckFunction", "RequestProcessorFunction",
            "ResultPollerFunction"), template.functions().stream().map(SamTemplate.Function::logicalId).toList());
        for (SamTemplate.Function function : template.functions()) {
            assertTrue(function.codeUri().toString().endsWith(".jar"), function.codeUri().toString());
            assertTrue(function.handler().contains("::handleRequest"), function.handler());
            assertEquals("warehouse-export-ControlTable", function.environment().get("CONTROL_TABLE"));
            assertEquals("live", function.autoPublishAlias());
        }
        SamTemplate.Api api = template.api("ExportApi").orElseThrow();
        assertEquals("v1", api.stageName());
        assertEquals("AWS_IAM", api.defaultAuthorizer());

        Map<String, List<String>> routes = template.functions().stream().collect(Collectors.toMap(
            SamTemplate.Function::logicalId,
            f -> f.events().stream().filter(e -> e instanceof ApiEvent).map(e -> ((ApiEvent) e).method() + " "
                + ((ApiEvent) e).path()).toList()));
        assertEquals(List.of("POST /exports", "DELETE /exports/{id}", "POST /product"),
            routes.get("RequestReceiverFunction"));
        assertEquals(30, template.function("RequestReceiverFunction").orElseThrow().timeoutSeconds(),
            "POST /exports may wait up to 25 s");
        assertEquals(List.of("GET /exports/{id}", "GET /exports/{id}/history", "GET /datasets",
                "GET /exports/{id}/download", "GET /links/{token}", "GET /product"),
            routes.get("StatusCheckFunction"));

        SamTemplate.Function processor = template.function("RequestProcessorFunction").orElseThrow();
        SqsEvent sqs = (SqsEvent) processor.events().get(0);
        SamTemplate.Queue queue = template.queueByArn(sqs.queueArn()).orElseThrow();
        assertEquals("ExportQueue", queue.logicalId());
        assertEquals(360, queue.visibilityTimeoutSeconds());
        assertEquals(5, queue.redrivePolicy().maxReceiveCount());
        assertEquals("ExportDeadLetterQueue", template.queueByArn(queue.redrivePolicy().deadLetterTargetArn())
            .orElseThrow().logicalId());
        assertEquals(10, sqs.batchSize());
        assertEquals(0, sqs.maximumBatchingWindowSeconds());
        assertTrue(sqs.reportBatchItemFailures());
        assertEquals(2, sqs.maximumConcurrency());
        assertEquals(queue.url(), template.function("RequestReceiverFunction").orElseThrow().environment()
            .get("EXPORT_QUEUE_URL"));
        assertEquals("redshift-cluster-1", processor.environment().get("REDSHIFT_CLUSTER_ID"));
        assertEquals(60, processor.timeoutSeconds());

        SamTemplate.Function poller = template.function("ResultPollerFunction").orElseThrow();
        assertEquals(900, poller.timeoutSeconds());
        assertEquals(2048, poller.memorySize());
        assertEquals("rate(1 minute)", ((ScheduleEvent) poller.events().get(0)).expression());
        EventBridgeRuleEvent rule = (EventBridgeRuleEvent) poller.events().get(1);
        assertEquals("export-", rule.pattern().path("detail").path("statementName").get(0).path("prefix").asText());
        assertEquals(template.bucket("ArchiveBucket").orElseThrow().bucketName(),
            poller.environment().get("ARCHIVE_BUCKET"));
        assertEquals("exports@example.com", poller.environment().get("SOURCE_EMAIL"));

        SamTemplate.Table table = template.table("ControlTable").orElseThrow();
        assertEquals("expiresAt", table.ttlAttribute());
        assertEquals(2, table.globalSecondaryIndexes().size());
        assertNotNull(template.outputs().get("ExportApiUrl"));
    }

    @Test
    void overridesNameTheResources() {
        SamTemplate template = read(Map.of("RsStatusTableName", "exports-control", "RSDataFileS3BucketName",
            "my-results", "RSClusterID", "", "RSWorkgroupName", "analytics"));
        assertEquals("exports-control", template.table("ControlTable").orElseThrow().tableName());
        assertEquals("my-results", template.bucket("ResultsBucket").orElseThrow().bucketName());
        assertEquals("analytics", template.function("RequestProcessorFunction").orElseThrow().environment()
            .get("REDSHIFT_WORKGROUP"));
    }

    @Test
    void theTemplatesRulesAreChecked() {
        TemplateException e = assertThrows(TemplateException.class,
            () -> read(Map.of("RSClusterID", "c1", "RSWorkgroupName", "wg1")));
        assertTrue(e.getMessage().startsWith("Template rule ExactlyOneWarehouseTarget failed: Set exactly one of"),
            e.getMessage());
    }
}
