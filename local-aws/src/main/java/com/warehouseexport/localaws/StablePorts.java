package com.warehouseexport.localaws;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** The ports a durable instance used last time ({@code ports.properties} in its data directory). */
final class StablePorts {
    private final Path file;
    private final Properties ports;

    private StablePorts(Path file, Properties ports) {
        this.file = file;
        this.ports = ports;
    }

    static StablePorts load(Path dataDir) {
        Properties ports = new Properties();
        Path file = dataDir == null ? null : dataDir.resolve("ports.properties");
        if (file != null && Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                ports.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return new StablePorts(file, ports);
    }

    /** The port used last time, or 0. */
    int get(String service) {
        try {
            return Integer.parseInt(ports.getProperty(service, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    void save(LocalAwsEndpoints endpoints) {
        if (file == null) {
            return;
        }
        Properties current = new Properties();
        current.setProperty("dynamodb", Integer.toString(endpoints.dynamoDb().getPort()));
        current.setProperty("sqs", Integer.toString(endpoints.sqs().getPort()));
        current.setProperty("s3", Integer.toString(endpoints.s3().getPort()));
        current.setProperty("endpoint", Integer.toString(endpoints.redshiftData().getPort()));
        StringWriter text = new StringWriter();
        try {
            current.store(text, "ports of the last start; reused when free");
            AtomicFile.write(file, text.toString().getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
