package com.warehouseexport.localruntime.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.warehouseexport.localruntime.TestFunctionJar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * On Lambda every function has its own JVM, and so its own copy of the runtime's event serializers. Here the
 * functions share one JVM: a function's event with a joda DateTime (ScheduledEvent.time, bundled in its own jar)
 * must still deserialize after another function's API event went through the serializers first.
 */
class EventSerializersPerFunctionTest {
    private static final Map<String, String> RUNTIME_ENV = Map.of("AWS_REGION", "us-east-1");
    private static final String API_EVENT = "{\"resource\":\"/x\",\"path\":\"/x\",\"httpMethod\":\"GET\","
        + "\"headers\":{},\"requestContext\":{\"identity\":{}}}";
    private static final String SCHEDULED_EVENT = "{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":"
        + "\"Scheduled Event\",\"source\":\"aws.events\",\"account\":\"000000000000\",\"time\":"
        + "\"2026-11-21T15:08:17Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":{}}";

    private final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void aScheduledEventDeserializesAfterAnotherFunctionsApiEvent() throws Exception {
        try (LambdaFunction api = new LambdaFunction(TestFunctionJar.function("Api",
                 "com.warehouseexport.localruntime.testfunction.ApiHandler", 5, Map.of(), List.of()), RUNTIME_ENV, log)) {
            InvocationResult answered = api.invoke(API_EVENT.getBytes(StandardCharsets.UTF_8));
            assertFalse(answered.failed(), answered::payloadText);

            try (LambdaFunction scheduled = new LambdaFunction(TestFunctionJar.function("Scheduled",
                     "com.warehouseexport.localruntime.testfunction.ScheduledEventHandler", 5, Map.of(), List.of()),
                     RUNTIME_ENV, log)) {
                InvocationResult result = scheduled.invoke(SCHEDULED_EVENT.getBytes(StandardCharsets.UTF_8));
                assertFalse(result.failed(), result::payloadText);
                assertEquals("\"Scheduled Event at " + Instant.parse("2026-11-21T15:08:17Z").toEpochMilli() + "\"",
                    result.payloadText());
            }
        }
    }
}
