package com.warehouseexport.events;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Deserializes a fixture the way the Lambda Java runtime turns an invocation payload into an event object. */
final class LambdaRuntimeJson {

    private LambdaRuntimeJson() {
    }

    static <T> T read(Path fixture, Class<T> eventType) {
        // The runtime uses these serializers only for the event classes it knows; make sure this is one.
        assertTrue(LambdaEventSerializers.isLambdaSupportedEvent(eventType.getName()),
                eventType.getName() + " is not an event class the runtime deserializes itself");
        PojoSerializer<T> serializer =
                LambdaEventSerializers.serializerFor(eventType, LambdaRuntimeJson.class.getClassLoader());
        try (InputStream in = Files.newInputStream(fixture)) {
            return serializer.fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
