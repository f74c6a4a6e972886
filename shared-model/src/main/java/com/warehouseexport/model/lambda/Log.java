package com.warehouseexport.model.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One line per event through the Lambda logger: on AWS the function's log group, locally the runtime prefixes
 * the function's name. Shared by every function so their logs read alike.
 */
public final class Log {
    private static final LambdaLogger LOGGER = LambdaRuntime.getLogger();

    private Log() {
    }

    public static void info(String format, Object... args) {
        LOGGER.log(String.format(format, args) + System.lineSeparator(), LogLevel.INFO);
    }

    public static void warn(String format, Object... args) {
        LOGGER.log(String.format(format, args) + System.lineSeparator(), LogLevel.WARN);
    }

    /** An unexpected failure, with its stack trace (for the log only, never for callers). */
    public static void error(String message, Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        LOGGER.log(message + System.lineSeparator() + trace, LogLevel.ERROR);
    }
}
