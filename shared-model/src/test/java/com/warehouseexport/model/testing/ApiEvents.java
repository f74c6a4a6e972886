package com.warehouseexport.model.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code events/} fixtures, deserialized as the Lambda Java runtime does it. */
/** API Gateway fixtures of {@code events/}, read and written as the Lambda Java runtime does. */
public final class ApiEvents {
    private ApiEvents() {
    }

    /** {@code events/} of the checkout; Surefire runs in the module directory. */
    public static Path fixture(String fileName) {
        Path path = Path.of("..", "events", fileName).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("fixture not found: " + path);
        }
        return path;
    }

    public static APIGatewayProxyRequestEvent read(String fileName) {
        try {
            return serializer(APIGatewayProxyRequestEvent.class).fromJson(Files.readString(fixture(fileName)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The response as the runtime would hand it back to API Gateway. */
    public static String toJson(APIGatewayProxyResponseEvent response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer(APIGatewayProxyResponseEvent.class).toJson(response, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, ApiEvents.class.getClassLoader());
    }
}
