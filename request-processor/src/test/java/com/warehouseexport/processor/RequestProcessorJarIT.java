package com.warehouseexport.processor;

import com.warehouseexport.model.testing.LambdaJar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.model.table.RequestUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The shaded {@code request-processor.jar}, alone in its class loader, handles the SQS fixture end to end. */
@LocalAwsTest
class RequestProcessorJarIT {
    private static final List<String> IDS =
            List.of("3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13", "9a0e7d42-51c3-4f8b-b6a1-c07e2d95f384");

    @Test
    void theDeploymentPackageSubmitsTheFixtureBatch(LocalAws aws) throws Throwable {
        String tableName = "processor-jar-" + UUID.randomUUID();
        ControlTableSchema.createTableIfMissing(aws.clients().dynamoDb(), tableName);
        ControlTable table = new ControlTable(aws.clients().dynamoDb(), tableName, Duration.ofDays(30));
        for (String id : IDS) {
            ExportRequest request = ExportRequest.received(id, "arn:aws:iam::000000000000:user/partner-a",
                    "product_detail", DatasetCatalog.load(null).get("product_detail").orElseThrow()
                            .validate(Json.parse("{\"sku\":\"FLOWER12\"}")).parameters(),
                    ExportFormat.CSV, Instant.now());
            table.create(request);
            table.transition(request, RequestState.QUEUED, "queued", RequestUpdate.none());
        }
        // The default credentials chain reads these first (the SDK's own names).
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_KEY);
        Map<String, String> environment = new HashMap<>(aws.endpoints().asEnvironment());
        environment.put("AWS_REGION", aws.region());
        environment.put("CONTROL_TABLE", tableName);
        environment.put("RESULTS_BUCKET", "processor-jar-results");
        environment.put("REDSHIFT_CLUSTER_ID", "redshift-cluster-1");
        environment.put("REDSHIFT_WORKGROUP", ""); // as the template sets it: blank means unset
        environment.put("REDSHIFT_DATABASE", "dev");
        environment.put("REDSHIFT_SECRET_ARN", "");
        environment.put("REDSHIFT_DB_USER", "export_user");
        environment.put("UNLOAD_IAM_ROLE_ARN", "arn:aws:iam::000000000000:role/redshift-unload");
        environment.put("DATASET_CATALOG_FILE", "");
        environment.put("EXPORT_QUEUE_URL", aws.clients().sqs().createQueue(r -> r.queueName("processor-jar-queue"))
                .queueUrl());

        Path jar = LambdaJar.moduleJar("request-processor");
        System.out.printf("request-processor.jar: %,d bytes%n", Files.size(jar));
        try (LambdaJar lambda = new LambdaJar(jar, environment)) {
            Object handler = lambda.newHandler("com.warehouseexport.processor.RequestProcessorHandler");
            assertSame(lambda.loader(), handler.getClass().getClassLoader(), "the handler comes from the jar");
            Object response = lambda.invoke(handler, "com.amazonaws.services.lambda.runtime.events.SQSEvent",
                    Files.readString(Path.of(System.getProperty("user.dir"), "..", "events", "sqs-export-batch.json")));
            List<?> failures = (List<?>) response.getClass().getMethod("getBatchItemFailures").invoke(response);
            assertEquals(List.of(), failures);
        }
        for (String id : IDS) {
            ExportRequest submitted = table.get(id).orElseThrow();
            assertEquals(RequestState.SUBMITTED, submitted.state());
            assertNotNull(submitted.statementId());
        }
    }
}
