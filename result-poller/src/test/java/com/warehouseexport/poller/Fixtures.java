package com.warehouseexport.poller;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared {@code events/} fixtures, deserialized as the Lambda Java runtime does. */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String name) {
        // surefire runs in the module directory; the fixtures live in the project's events/ directory
        return Path.of(System.getProperty("user.dir")).resolve("../events").resolve(name).normalize();
    }

    static ScheduledEvent scheduledEvent(String name) {
        return read(name, ScheduledEvent.class);
    }

    static String text(String name) {
        try {
            return Files.readString(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(String name, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, Fixtures.class.getClassLoader());
        try (InputStream in = Files.newInputStream(path(name))) {
            return serializer.fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T fromJson(String json, Class<T> type) {
        PojoSerializer<T> serializer = LambdaEventSerializers.serializerFor(type, Fixtures.class.getClassLoader());
        return serializer.fromJson(json);
    }
}
