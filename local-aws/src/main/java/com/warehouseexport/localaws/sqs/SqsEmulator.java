package com.warehouseexport.localaws.sqs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.warehouseexport.localaws.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scala.Function0;

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

    public static SqsEmulator start(Path dataDir, String region, String accountId) throws Exception {
        int port = Ports.freeLoopbackPort();
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
        Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load(SqsEmulator.class.getClassLoader()));
        Function0<?> shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        return new SqsEmulator(shutdown, port);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        shutdown.apply();
    }

}
