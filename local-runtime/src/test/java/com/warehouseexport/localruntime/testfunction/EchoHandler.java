package com.warehouseexport.localruntime.testfunction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.warehouseexport.model.config.Env;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Answers with what it sees: its environment, its class loader, its Context, its own invocation count. */
public class EchoHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final AtomicInteger RUNNING = new AtomicInteger();
    private final AtomicInteger invocations = new AtomicInteger();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        int running = RUNNING.incrementAndGet();
        try {
            Object sleep = input.get("sleepMillis");
            if (sleep != null) {
                Thread.sleep(((Number) sleep).longValue());
            }
            if (input.containsKey("fail")) {
                throw new IllegalStateException(String.valueOf(input.get("fail")));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("input", input);
            out.put("greeting", Env.get("GREETING"));
            out.put("region", Env.get("AWS_REGION"));
            out.put("dynamodbEndpoint", Env.get("AWS_ENDPOINT_URL_DYNAMODB"));
            out.put("classLoader", getClass().getClassLoader().getName());
            out.put("contextClassLoader", Thread.currentThread().getContextClassLoader().getName());
            out.put("seesRuntime", visible("com.warehouseexport.localruntime.lambda.LambdaFunction"));
            out.put("seesSnakeyaml", visible("org.yaml.snakeyaml.Yaml"));
            out.put("seesJackson", visible("com.fasterxml.jackson.databind.ObjectMapper"));
            out.put("contextLoaderOfContext", Context.class.getClassLoader() == null ? "boot"
                : Context.class.getClassLoader().getName());
            out.put("requestId", context.getAwsRequestId());
            out.put("functionName", context.getFunctionName());
            out.put("functionVersion", context.getFunctionVersion());
            out.put("invokedFunctionArn", context.getInvokedFunctionArn());
            out.put("memoryLimitInMB", context.getMemoryLimitInMB());
            out.put("remainingTimeInMillis", context.getRemainingTimeInMillis());
            out.put("invocation", invocations.incrementAndGet());
            out.put("concurrent", running);
            context.getLogger().log("echo " + input);
            com.amazonaws.services.lambda.runtime.LambdaRuntime.getLogger().log("static logger " + input);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } finally {
            RUNNING.decrementAndGet();
        }
    }

    private boolean visible(String className) {
        try {
            Class.forName(className, false, getClass().getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
