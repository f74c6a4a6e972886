package com.warehouseexport.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localaws.ExternalAwsServices;
import com.warehouseexport.localaws.ExternalAwsServicesProvider;
import com.warehouseexport.localaws.ses.Outbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack in a container (Testcontainers) as the DynamoDB, SQS, S3, SES and Secrets Manager of the
 * {@code @LocalAwsTest} suites: {@code mvn -B verify -Plocalstack}. One container per test JVM. The image is
 * pinned; {@code -Dlocalstack.image=...} picks another.
 */
public final class LocalStackServices implements ExternalAwsServicesProvider {
    static final String DEFAULT_IMAGE = "localstack/localstack:3.8.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalStackContainer container;

    @Override
    public String name() {
        return "localstack";
    }

    @Override
    public Optional<String> unavailableReason() {
        try {
            return DockerClientFactory.instance().isDockerAvailable() ? Optional.empty()
                : Optional.of("no Docker engine reachable here, so LocalStack cannot start");
        } catch (RuntimeException e) {
            return Optional.of("Docker could not be checked (" + e.getMessage() + "), so LocalStack cannot start");
        }
    }

    @Override
    public synchronized ExternalAwsServices start() {
        if (container == null) {
            String image = System.getProperty("localstack.image", DEFAULT_IMAGE);
            container = new LocalStackContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("localstack/localstack"))
                .withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.SQS,
                    LocalStackContainer.Service.S3, LocalStackContainer.Service.SES,
                    LocalStackContainer.Service.SECRETSMANAGER);
            long started = System.nanoTime();
            container.start();
            System.out.printf("localstack: %s ready in %d ms at %s%n", image,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), container.getEndpoint());
        }
        URI endpoint = container.getEndpoint();
        return new ExternalAwsServices("LocalStack", endpoint, endpoint, endpoint, endpoint, endpoint,
            container.getAccessKey(), container.getSecretKey());
    }

    /** Copies what LocalStack's SES "sent" ({@code GET /_aws/ses}) into local-aws's outbox, every 200 ms. */
    @Override
    public AutoCloseable mirrorSentEmails(Outbox outbox) {
        URI sent = container.getEndpoint().resolve("/_aws/ses");
        HttpClient http = HttpClient.newHttpClient();
        Set<String> copied = new HashSet<>();
        ScheduledExecutorService copier = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "localstack-ses-mirror");
            thread.setDaemon(true);
            return thread;
        });
        copier.scheduleWithFixedDelay(() -> {
            try {
                String body = http.send(HttpRequest.newBuilder(sent).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
                for (JsonNode message : JSON.readTree(body).path("messages")) {
                    if (copied.add(message.path("Id").asText())) {
                        List<String> to = new ArrayList<>();
                        message.path("Destination").path("ToAddresses").forEach(a -> to.add(a.asText()));
                        JsonNode bodies = message.path("Body");
                        outbox.deliverCopy(message.path("Source").asText(), to, message.path("Subject").asText(),
                            bodies.hasNonNull("text_part") ? bodies.path("text_part").asText() : null,
                            bodies.hasNonNull("html_part") ? bodies.path("html_part").asText() : null);
                    }
                }
            } catch (Exception e) {
                System.err.println("localstack: reading sent e-mails failed: " + e);
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        return copier::shutdownNow;
    }

    @Override
    public synchronized void close() {
        if (container != null) {
            container.stop();
            container = null;
        }
    }
}
