package com.warehouseexport.poller;

import com.warehouseexport.model.testing.LambdaJar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.LocalAws;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportLocations;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.sql.UnloadSql;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import java.io.ByteArrayInputStream;
import com.warehouseexport.model.links.LinkTokens;
import com.warehouseexport.model.links.SecretsManagerLinkKeys;
import java.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shaded {@code result-poller.jar}, alone in its class loader and configured only through its environment:
 * on the schedule fixture it takes over a packaging whose lease ran out; on a statement's status-change event
 * it follows the statement to SUCCEEDED. Zip, durable link (its key read from Secrets Manager), one email each time.
 */
@LocalAwsTest
class ResultPollerJarIT {
    private static final String SCHEDULED_EVENT = "com.amazonaws.services.lambda.runtime.events.ScheduledEvent";
    private static final String PUBLIC_API_URL = "https://abcdefghij.execute-api.us-east-1.amazonaws.com/v1";
    private static String linkSecretArn;

    /*
     * One class loader for the whole test, as in Lambda: aws-lambda-java-serialization keeps state across
     * loaders, and a second loader's ScheduledEvent (its joda DateTime) then fails to deserialize.
     */
    @Test
    void theDeploymentPackageHandlesBothTriggers(LocalAws aws) throws Throwable {
        PollerWorld world = new PollerWorld(aws, "jar");
        Path jar = LambdaJar.moduleJar("result-poller");
        System.out.printf("result-poller.jar: %,d bytes%n", Files.size(jar));
        try (LambdaJar lambda = new LambdaJar(jar, environment(aws, world))) {
            Object handler = lambda.newHandler("com.warehouseexport.poller.ResultPollerHandler");
            assertSame(lambda.loader(), handler.getClass().getClassLoader(), "the handler comes from the jar");
            finishesAnAbandonedPackagingOnTheSchedule(aws, world, lambda, handler);
            followsAStatementFromItsStatusChangeEvent(aws, world, lambda, handler);
        }
    }

    private static void finishesAnAbandonedPackagingOnTheSchedule(LocalAws aws, PollerWorld world, LambdaJar lambda,
                                                                  Object handler) throws Throwable {
        String id = RequestIds.newId();
        world.clock.advance(Duration.ofMinutes(-20)); // claimed 20 minutes ago, by a poller that died
        world.requestIn(id, RequestState.PACKAGING, "statement-jar");
        world.clock.advance(Duration.ofMinutes(20));
        List<String> parts = ResultPackagerTest.writeUnloadOutput(aws.clients().s3(), world.resultsBucket, id,
                new int[] {300, 200, 100});
        String schedule = Fixtures.text("schedule.json");

        System.out.println("first run: " + lambda.invoke(handler, SCHEDULED_EVENT, schedule));
        ExportRequest done = world.table.get(id).orElseThrow();
        assertEquals(RequestState.SUCCEEDED, done.state());
        assertEquals(600, done.result().rows());
        // the durable link: signed with the key the jar read from Secrets Manager (the status function follows it)
        String link = done.result().downloadUrl();
        assertTrue(link.startsWith(PUBLIC_API_URL + "/links/"), link);
        LinkTokens tokens = new LinkTokens(new SecretsManagerLinkKeys(aws.clients().secretsManager(),
                linkSecretArn), Clock.systemUTC());
        assertEquals(id, ((LinkTokens.Valid) tokens.verify(link.substring((PUBLIC_API_URL + "/links/").length())))
                .token().requestId());
        byte[] zip = aws.clients().s3().getObjectAsBytes(r -> r.bucket(world.archiveBucket)
                .key(done.result().archiveKey())).asByteArray();
        assertEquals(parts, List.copyOf(ResultPackagerTest.unzip(new ByteArrayInputStream(zip)).values()));
        assertEquals(1, world.emailsAbout(id).size());
        assertTrue(world.emailsAbout(id).get(0).text().contains(link));

        System.out.println("second run: " + lambda.invoke(handler, SCHEDULED_EVENT, schedule));
        assertEquals(1, world.emailsAbout(id).size(), "no second email");
        assertFalse(world.inFlightIndexHas(id));
    }

    private static void followsAStatementFromItsStatusChangeEvent(LocalAws aws, PollerWorld world, LambdaJar lambda,
                                                                  Object handler) throws Throwable {
        String id = RequestIds.newId();
        Dataset detail = DatasetCatalog.load(null).get("product_detail").orElseThrow();
        ValidatedParameters parameters = TestRequests.skuParameters("FLOWER13");
        String sql = UnloadSql.render(detail, parameters, ExportLocations.unloadTarget(world.resultsBucket, id),
                "arn:aws:iam::000000000000:role/redshift-unload", ExportFormat.CSV);
        CompletableFuture<ObjectNode> finished = new CompletableFuture<>();
        String eventJson;
        try (AutoCloseable subscription = aws.eventBus().subscribe(event -> {
            if (("export-" + id).equals(event.path("detail").path("statementName").asText())
                    && "FINISHED".equals(event.path("detail").path("state").asText())) {
                finished.complete(event);
            }
        })) {
            String statementId = aws.clients().redshiftData().executeStatement(b -> b
                    .clusterIdentifier("redshift-cluster-1").database("dev").dbUser("export_user").sql(sql)
                    .statementName("export-" + id).clientToken(id).withEvent(true)).id();
            world.requestIn(id, RequestState.SUBMITTED, statementId);
            eventJson = Json.write(finished.get(60, TimeUnit.SECONDS));
        }

        System.out.println("status-change event: " + lambda.invoke(handler, SCHEDULED_EVENT, eventJson));
        ExportRequest done = world.table.get(id).orElseThrow();
        assertEquals(RequestState.SUCCEEDED, done.state());
        assertEquals(1, done.result().rows(), "product_detail has one FLOWER13");
        assertEquals(1, world.emailsAbout(id).size());
    }

    /** The poller's variables as the template sets them, plus the emulators' endpoints. */
    private static Map<String, String> environment(LocalAws aws, PollerWorld world) {
        // The default credentials chain reads these first (the SDK's own names).
        System.setProperty("aws.accessKeyId", LocalAws.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalAws.SECRET_KEY);
        Map<String, String> environment = new HashMap<>(aws.endpoints().asEnvironment());
        environment.put("AWS_REGION", aws.region());
        environment.put("CONTROL_TABLE", world.table.tableName());
        environment.put("RESULTS_BUCKET", world.resultsBucket);
        environment.put("ARCHIVE_BUCKET", world.archiveBucket);
        environment.put("SOURCE_EMAIL", PollerWorld.SOURCE);
        environment.put("TARGET_EMAILS", String.join(",", PollerWorld.TARGETS));
        environment.put("LINK_EXPIRY_SECONDS", "600");
        environment.put("PUBLIC_API_URL", PUBLIC_API_URL);
        linkSecretArn = aws.clients().secretsManager().createSecret(r -> r.name("poller-jar-" + RequestIds.newId())
                .secretString("{\"key\":\"" + "j".repeat(40) + "\"}")).arn();
        environment.put("LINK_SIGNING_SECRET_ARN", linkSecretArn);
        environment.put("EXPORT_QUEUE_URL", aws.clients().sqs().createQueue(r -> r.queueName("poller-jar-queue"))
                .queueUrl());
        environment.put("DEAD_LETTER_QUEUE_URL", aws.clients().sqs()
                .createQueue(r -> r.queueName("poller-jar-dead-letters")).queueUrl());
        return environment;
    }
}
