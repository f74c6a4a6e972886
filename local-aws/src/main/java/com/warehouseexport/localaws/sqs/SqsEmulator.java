package com.warehouseexport.localaws.sqs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.warehouseexport.localaws.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scala.Function0;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * ElasticMQ, in-process. Durable mode keeps queues and messages in an H2 database under the data directory
 * (ElasticMQ's own message persistence), so a restart, even after kill -9, finds them again.
 */
public final class SqsEmulator implements AutoCloseable {
    private final Function0<?> shutdown;
    private final int port;

    private SqsEmulator(Function0<?> shutdown, int port) {
        this.shutdown = shutdown;
        this.port = port;
    }

    /** {@code preferredPort} 0 or taken: any free port. */
    public static SqsEmulator start(Path dataDir, String region, String accountId, int preferredPort)
            throws Exception {
        int port = Ports.preferredOrFree(preferredPort);
        Map<String, Object> settings = new java.util.HashMap<>(Map.of(
            "node-address.host", "127.0.0.1",
            "node-address.port", port,
            "rest-sqs.bind-hostname", "127.0.0.1",
            "rest-sqs.bind-port", port,
            "aws.region", region,
            "aws.accountId", accountId,
            "pekko.loglevel", "WARNING"));
        if (dataDir != null) {
            Path dir = Files.createDirectories(dataDir.resolve("sqs"));
            settings.put("messages-storage.enabled", true);
            // WRITE_DELAY=0: H2 otherwise keeps the last second of commits in memory, lost on kill -9.
            settings.put("messages-storage.uri", "jdbc:h2:" + dir.resolve("elasticmq").toAbsolutePath()
                + ";WRITE_DELAY=0");
            settings.put("messages-storage.prune-data-on-init", false);
        }
        Set<String> storedQueues = dataDir == null ? Set.of() : storedQueueNames(dataDir.resolve("sqs"));
        Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load(SqsEmulator.class.getClassLoader()));
        Function0<?> shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        SqsEmulator emulator = new SqsEmulator(shutdown, port);
        emulator.awaitQueues(storedQueues, region);
        return emulator;
    }

    /** Queue names in ElasticMQ's H2 store (its {@code queue} table), read before ElasticMQ opens it. */
    private static Set<String> storedQueueNames(Path dir) throws SQLException {
        if (!Files.exists(dir.resolve("elasticmq.mv.db"))) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        try (Connection connection = DriverManager.getConnection("jdbc:h2:" + dir.resolve("elasticmq").toAbsolutePath(),
            "", "");
             ResultSet tables = connection.getMetaData().getTables(null, "PUBLIC", "QUEUE", null)) {
            if (!tables.next()) {
                return Set.of();
            }
            try (ResultSet rows = connection.createStatement().executeQuery("select name from queue")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    /**
     * ElasticMQ restores stored queues in a future it does not wait for, while its HTTP server already answers:
     * a client could see "queue does not exist" for a queue that is being restored. Wait until all are back.
     */
    private void awaitQueues(Set<String> expected, String region) throws InterruptedException {
        if (expected.isEmpty()) {
            return;
        }
        try (SqsClient sqs = SqsClient.builder().endpointOverride(endpoint()).region(Region.of(region))
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .httpClient(UrlConnectionHttpClient.create()).build()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                Set<String> present = new HashSet<>();
                sqs.listQueues().queueUrls().forEach(url -> present.add(url.substring(url.lastIndexOf('/') + 1)));
                if (present.containsAll(expected)) {
                    return;
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("ElasticMQ did not restore its queues " + expected + " within 60 s");
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        shutdown.apply();
    }

}
