package com.warehouseexport.poller;

/** One line per event on standard output, which Lambda sends to the function's log group. */
final class Log {
    private Log() {
    }

    static void info(String format, Object... args) {
        System.out.println("INFO " + String.format(format, args));
    }

    static void warn(String format, Object... args) {
        System.out.println("WARN " + String.format(format, args));
    }
}
