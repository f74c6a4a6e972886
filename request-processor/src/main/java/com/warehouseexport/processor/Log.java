package com.warehouseexport.processor;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;

/** One line per event through the Lambda logger (the function's log group; the local runtime names the function). */
final class Log {
    private static final LambdaLogger LOGGER = LambdaRuntime.getLogger();

    private Log() {
    }

    static void info(String format, Object... args) {
        LOGGER.log(String.format(format, args), LogLevel.INFO);
    }

    static void warn(String format, Object... args) {
        LOGGER.log(String.format(format, args), LogLevel.WARN);
    }
}
