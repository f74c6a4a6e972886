package com.warehouseexport.localruntime.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A LambdaLogger writing each line as {@code [FunctionName] line} so the functions' logs can be told apart. */
final class PrefixingLambdaLogger implements LambdaLogger {
    private final String prefix;
    private final PrintStream out;

    PrefixingLambdaLogger(String functionName, PrintStream out) {
        this.prefix = "[" + functionName + "] ";
        this.out = out;
    }

    @Override
    public void log(String message) {
        if (message == null) {
            return;
        }
        String text = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
        StringBuilder lines = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            lines.append(prefix).append(line).append('\n');
        }
        synchronized (out) {
            out.print(lines);
            out.flush();
        }
    }

    @Override
    public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
    }

    @Override
    public void log(String message, LogLevel level) {
        log(level == null || level == LogLevel.UNDEFINED ? message : level + " " + message);
    }

    @Override
    public void log(byte[] message, LogLevel level) {
        log(new String(message, StandardCharsets.UTF_8), level);
    }
}
