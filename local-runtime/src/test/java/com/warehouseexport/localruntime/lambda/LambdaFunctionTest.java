package com.warehouseexport.localruntime.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.warehouseexport.localruntime.TestFunctionJar;
import com.warehouseexport.model.config.Env;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LambdaFunctionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> RUNTIME_ENV = Map.of("AWS_REGION", "us-east-1",
        "AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:1234");

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    private LambdaFunction function(String id, String handler, int timeout, Map<String, String> env)
        throws Exception {
        return new LambdaFunction(TestFunctionJar.function(id, handler, timeout, env, List.of()), RUNTIME_ENV, log);
    }

    private static JsonNode json(InvocationResult result) throws Exception {
        return JSON.readTree(result.payload());
    }

    @Test
    void eachFunctionRunsInItsOwnClassLoaderWithItsOwnEnv() throws Exception {
        try (LambdaFunction first = function("First", "com.warehouseexport.localruntime.testfunction.EchoHandler", 5,
                 Map.of("GREETING", "hello from first"));
             LambdaFunction second = function("Second", "com.warehouseexport.localruntime.testfunction.EchoHandler",
                 5, Map.of("GREETING", "hello from second"))) {
            JsonNode a = json(first.invoke("req-1", "{\"n\":1}".getBytes(StandardCharsets.UTF_8)));
            JsonNode b = json(second.invoke("{\"n\":2}".getBytes(StandardCharsets.UTF_8)));
            assertEquals("hello from first", a.get("greeting").asText());
            assertEquals("hello from second", b.get("greeting").asText());
            assertEquals("us-east-1", a.get("region").asText());
            assertEquals("http://127.0.0.1:1234", a.get("dynamodbEndpoint").asText());
            assertEquals("function-First", a.get("classLoader").asText());
            assertEquals("function-First", a.get("contextClassLoader").asText());
            assertEquals("function-Second", b.get("classLoader").asText());
            assertFalse(a.get("seesRuntime").asBoolean(), "the runtime's classes must not leak into the function");
            assertFalse(a.get("seesSnakeyaml").asBoolean());
            assertFalse(a.get("seesJackson").asBoolean(), "a dependency missing from the jar fails as in Lambda");
            assertEquals("app", a.get("contextLoaderOfContext").asText(),
                "Context comes from the runtime (the application class loader), not the function's jar copy");
            assertEquals(1, a.path("input").path("n").asInt());
            assertEquals("req-1", a.get("requestId").asText());
            assertEquals("local-First", a.get("functionName").asText());
            assertEquals("$LATEST", a.get("functionVersion").asText());
            assertEquals("arn:aws:lambda:us-east-1:000000000000:function:local-First",
                a.get("invokedFunctionArn").asText());
            assertEquals(256, a.get("memoryLimitInMB").asInt());
            int remaining = a.get("remainingTimeInMillis").asInt();
            assertTrue(remaining > 0 && remaining <= 5000, "remaining " + remaining);
        }
        assertNull(Env.get("GREETING"), "the test's own Env copy never saw the functions' environment");
        String logged = logBytes.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("[First] echo {n=1}"), logged);
        assertTrue(logged.contains("[Second] static logger {n=2}"), "LambdaRuntime.getLogger() per function: " + logged);
        assertTrue(logged.contains("[Second] REPORT RequestId: "), logged);
    }

    @Test
    void reservedConcurrencyOneMeansOneHandlerInstanceAndOneInvocationAtATime() throws Exception {
        try (LambdaFunction echo = new LambdaFunction(TestFunctionJar.function("Serial",
            "com.warehouseexport.localruntime.testfunction.EchoHandler", 5, Map.of(), List.of(), 1), RUNTIME_ENV, log)) {
            assertEquals(1, echo.concurrencyLimit());
            ExecutorService callers = Executors.newFixedThreadPool(4);
            List<Future<InvocationResult>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(callers.submit(() -> echo.invoke("{\"sleepMillis\":100}".getBytes(StandardCharsets.UTF_8))));
            }
            List<Integer> invocationNumbers = new ArrayList<>();
            for (Future<InvocationResult> result : results) {
                JsonNode body = json(result.get());
                assertEquals(1, body.get("concurrent").asInt(), "invocations overlap");
                invocationNumbers.add(body.get("invocation").asInt());
            }
            callers.shutdown();
            invocationNumbers.sort(Integer::compare);
            assertEquals(List.of(1, 2, 3, 4), invocationNumbers, "one instance served all four");
            assertEquals(1, echo.environmentCount());
        }
    }

    @Test
    void concurrentInvocationsRunInTheirOwnEnvironmentsAtTheSameTime() throws Exception {
        try (LambdaFunction probe = function("Parallel",
            "com.warehouseexport.localruntime.testfunction.ConcurrencyProbeHandler", 30, Map.of())) {
            assertEquals(LambdaFunction.DEFAULT_CONCURRENCY, probe.concurrencyLimit());
            ExecutorService callers = Executors.newFixedThreadPool(3);
            List<Future<InvocationResult>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                // each waits until all three run at once: with one environment they never could
                results.add(callers.submit(() -> probe.invoke(
                    "{\"probe\":\"parallel\",\"awaitRunning\":3,\"awaitMillis\":20000}".getBytes(StandardCharsets.UTF_8))));
            }
            java.util.Set<String> instances = new java.util.HashSet<>();
            for (Future<InvocationResult> result : results) {
                JsonNode body = json(result.get());
                assertTrue(body.get("reached").asBoolean(), "three invocations ran at once: " + body);
                instances.add(body.get("instance").asText());
            }
            callers.shutdown();
            assertEquals(3, instances.size(), "one handler instance per environment");
            assertEquals(3, probe.environmentCount());

            // an idle environment is reused, not a new one created
            JsonNode again = json(probe.invoke("{\"probe\":\"parallel-again\"}".getBytes(StandardCharsets.UTF_8)));
            assertTrue(instances.contains(again.get("instance").asText()), again.toString());
            assertEquals(3, probe.environmentCount());
        }
    }

    @Test
    void reservedConcurrencyCapsTheEnvironments() throws Exception {
        try (LambdaFunction probe = new LambdaFunction(TestFunctionJar.function("Capped",
            "com.warehouseexport.localruntime.testfunction.ConcurrencyProbeHandler", 30, Map.of(), List.of(), 2),
            RUNTIME_ENV, log)) {
            ExecutorService callers = Executors.newFixedThreadPool(6);
            List<Future<InvocationResult>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                // each would wait for three at once; the cap lets only two in, so they give up after a while
                results.add(callers.submit(() -> probe.invoke(("{\"probe\":\"capped\",\"awaitRunning\":3,"
                    + "\"awaitMillis\":300}").getBytes(StandardCharsets.UTF_8))));
            }
            int highest = 0;
            for (Future<InvocationResult> result : results) {
                JsonNode body = json(result.get());
                assertFalse(body.get("reached").asBoolean(), "a third invocation ran at once: " + body);
                highest = Math.max(highest, body.get("highest").asInt());
            }
            callers.shutdown();
            assertEquals(2, highest, "two at once, never more");
            assertEquals(2, probe.environmentCount());
        }
    }

    @Test
    void zeroReservedConcurrencyThrottles() throws Exception {
        try (LambdaFunction off = new LambdaFunction(TestFunctionJar.function("Off",
            "com.warehouseexport.localruntime.testfunction.EchoHandler", 5, Map.of(), List.of(), 0), RUNTIME_ENV, log)) {
            InvocationResult result = off.invoke("{}".getBytes(StandardCharsets.UTF_8));
            assertEquals("TooManyRequestsException", json(result).get("errorType").asText());
            assertEquals(0, off.environmentCount());
        }
    }

    @Test
    void timeoutIsReportedLikeLambdaAndTheNextCallGetsAFreshEnvironment() throws Exception {
        try (LambdaFunction slow = function("Slow", "com.warehouseexport.localruntime.testfunction.EchoHandler", 1,
            Map.of())) {
            assertEquals(1, json(slow.invoke("{}".getBytes(StandardCharsets.UTF_8))).get("invocation").asInt());
            InvocationResult timedOut = slow.invoke("req-slow", "{\"sleepMillis\":5000}".getBytes(StandardCharsets.UTF_8));
            assertEquals("Unhandled", timedOut.functionError());
            String message = json(timedOut).get("errorMessage").asText();
            assertTrue(message.matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z req-slow Task timed out after 1.00 seconds"),
                message);
            System.out.println("timed-out invocation answered after " + timedOut.durationMillis() + " ms");
            assertEquals(0, slow.environmentCount(), "the timed-out environment is gone");
            assertEquals(1, json(slow.invoke("{}".getBytes(StandardCharsets.UTF_8))).get("invocation").asInt(),
                "a new execution environment (new handler instance) after the timeout");
            assertEquals(1, slow.environmentCount());
        }
    }

    @Test
    void handlerErrorsBecomeLambdaErrorPayloads() throws Exception {
        try (LambdaFunction echo = function("Failing", "com.warehouseexport.localruntime.testfunction.EchoHandler",
            5, Map.of())) {
            InvocationResult result = echo.invoke("{\"fail\":\"bad input\"}".getBytes(StandardCharsets.UTF_8));
            assertEquals("Unhandled", result.functionError());
            JsonNode error = json(result);
            assertEquals("bad input", error.get("errorMessage").asText());
            assertEquals("java.lang.IllegalStateException", error.get("errorType").asText());
            assertTrue(error.get("stackTrace").get(0).asText().contains("EchoHandler.handleRequest"));

            InvocationResult notJson = echo.invoke("[1,2".getBytes(StandardCharsets.UTF_8));
            assertEquals("An error occurred during JSON parsing", json(notJson).get("errorMessage").asText());
        }
    }

    @Test
    void missingHandlerClassFailsAtInit() throws Exception {
        try (LambdaFunction missing = function("Missing", "com.example.Nope::handle", 5, Map.of())) {
            InvocationResult result = missing.invoke("{}".getBytes(StandardCharsets.UTF_8));
            assertEquals("Unhandled", result.functionError());
            assertEquals("java.lang.ClassNotFoundException", json(result).get("errorType").asText());
            assertEquals("Class not found: com.example.Nope", json(result).get("errorMessage").asText());
        }
    }

    @Test
    void methodHandlersInLambdasSignatures() throws Exception {
        String cls = "com.warehouseexport.localruntime.testfunction.MethodHandlers";
        try (LambdaFunction upper = function("Upper", cls + "::upper", 5, Map.of());
             LambdaFunction stream = function("Stream", cls + "::stream", 5, Map.of());
             LambdaFunction noInput = function("NoInput", cls + "::noInput", 5, Map.of())) {
            assertEquals("\"ABC/local-Upper\"", upper.invoke("\"abc\"".getBytes(StandardCharsets.UTF_8)).payloadText());
            assertEquals("{\"raw\":{\"a\": 1}}", stream.invoke("{\"a\": 1}".getBytes(StandardCharsets.UTF_8))
                .payloadText());
            assertEquals("42", noInput.invoke("{}".getBytes(StandardCharsets.UTF_8)).payloadText());
        }
    }
}
