package com.warehouseexport.localaws.dynamodb;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.warehouseexport.localaws.Ports;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** DynamoDB Local, in-process, one shared database for every access key. */
public final class DynamoDbEmulator implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final int port;

    private DynamoDbEmulator(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** In memory when {@code dataDir} is null, else durable in {@code dataDir/dynamodb}. */
    /** {@code preferredPort} 0 or taken: any free port. */
    public static DynamoDbEmulator start(Path dataDir, int preferredPort) throws Exception {
        int port = Ports.preferredOrFree(preferredPort);
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-sharedDb",
            "-disableTelemetry"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            Path dir = Files.createDirectories(dataDir.resolve("dynamodb"));
            args.addAll(List.of("-dbPath", dir.toString()));
        }
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(args.toArray(String[]::new));
        bindToLoopback(server);
        server.start();
        return new DynamoDbEmulator(server, port);
    }

    /**
     * DynamoDB Local has no option for the bind address and listens on every interface; its Jetty server is a
     * private field, so reach it once here and pin its connectors to loopback before start.
     */
    private static void bindToLoopback(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        for (Field field : DynamoDBProxyServer.class.getDeclaredFields()) {
            if (Server.class.isAssignableFrom(field.getType())) {
                field.setAccessible(true);
                Server jetty = (Server) field.get(proxy);
                for (Connector connector : jetty.getConnectors()) {
                    if (connector instanceof ServerConnector serverConnector) {
                        serverConnector.setHost("127.0.0.1");
                    }
                }
                return;
            }
        }
        throw new IllegalStateException("DynamoDB Local changed: no Jetty server field found");
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
