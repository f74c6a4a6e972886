package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shaded {@code result-poller.jar}, alone in its class loader and configured only through its environment,
 * takes over a packaging whose lease ran out on the schedule fixture: zip, presigned link, one email.
 */
@LocalAwsTest
class ResultPollerJarIT {

    @Test
    void theDeploymentPackageFinishesAnAbandonedPackaging(LocalAws aws) throws Throwable {
        PollerWorld world = new PollerWorld(aws, "jar");
        String id = RequestIds.newId();
        world.clock.advance(Duration.ofMinutes(-20)); // claimed 20 minutes ago, by a poller that died
        world.requestIn(id, RequestState.PACKAGING, "statement-jar");
        List<String> parts = ResultPackagerTest.writeUnloadOutput(aws.clients().s3(), world.resultsBucket, id,
                new int[] {300, 200, 100});

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

        Path jar = LambdaJar.moduleJar("result-poller");
        System.out.printf("result-poller.jar: %,d bytes%n", Files.size(jar));
        String schedule = Fixtures.text("schedule.json");
        try (LambdaJar lambda = new LambdaJar(jar, environment)) {
            Object handler = lambda.newHandler("com.warehouseexport.poller.ResultPollerHandler");
            assertSame(lambda.loader(), handler.getClass().getClassLoader(), "the handler comes from the jar");
            String scheduledEvent = "com.amazonaws.services.lambda.runtime.events.ScheduledEvent";
            Object report = lambda.invoke(handler, scheduledEvent, schedule);
            System.out.println("first run: " + report);

            ExportRequest done = world.table.get(id).orElseThrow();
            assertEquals(RequestState.SUCCEEDED, done.state());
            assertEquals(600, done.result().rows());
            HttpResponse<byte[]> zip = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(done.result().downloadUrl())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, zip.statusCode());
            assertEquals(parts, List.copyOf(ResultPackagerTest.unzip(new ByteArrayInputStream(zip.body())).values()));
            assertEquals(1, world.emailsAbout(id).size());

            System.out.println("second run: " + lambda.invoke(handler, scheduledEvent, schedule));
            assertEquals(1, world.emailsAbout(id).size(), "no second email");
            assertFalse(world.inFlightIndexHas(id));
        }
    }
}
