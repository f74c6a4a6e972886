package com.warehouseexport.localruntime.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;

/**
 * What {@code LambdaRuntime.getLogger()} returns inside the local runtime. Every function shares the runtime's copy
 * of the Lambda core API, so this one logger routes each line to the logger of the function whose thread (or a
 * thread it started) is logging, which prefixes the function's name. Lambda's own runtime installs its logger into
 * the same static field.
 */
final class LambdaRuntimeLogger implements LambdaLogger {
    private static final InheritableThreadLocal<LambdaLogger> CURRENT = new InheritableThreadLocal<>();
    private static final LambdaLogger UNATTRIBUTED = new PrefixingLambdaLogger("lambda", System.out);
    private static volatile boolean installed;

    private LambdaRuntimeLogger() {
    }

    /** Replaces LambdaRuntime's logger once per JVM. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        try {
            Field field = LambdaRuntime.class.getDeclaredField("logger");
            field.setAccessible(true);
            field.set(null, new LambdaRuntimeLogger());
        } catch (ReflectiveOperationException | RuntimeException e) {
            // a different aws-lambda-java-core: its default logger (stdout, unprefixed) stays
            UNATTRIBUTED.log("could not route LambdaRuntime.getLogger() per function: " + e);
        }
        installed = true;
    }

    /** Makes the current thread (and threads it starts) log as this function. */
    static void bind(LambdaLogger functionLogger) {
        CURRENT.set(functionLogger);
    }

    private static LambdaLogger target() {
        LambdaLogger logger = CURRENT.get();
        return logger == null ? UNATTRIBUTED : logger;
    }

    @Override
    public void log(String message) {
        target().log(message);
    }

    @Override
    public void log(byte[] message) {
        target().log(new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void log(String message, LogLevel level) {
        target().log(message, level);
    }

    @Override
    public void log(byte[] message, LogLevel level) {
        target().log(message, level);
    }
}
