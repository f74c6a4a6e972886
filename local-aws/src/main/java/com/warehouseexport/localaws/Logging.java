package com.warehouseexport.localaws;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.LoggerFactory;

/**
 * The emulators log through three systems (log4j2 in DynamoDB Local, logback under S3Proxy and ElasticMQ,
 * java.util.logging here). Left alone, S3Proxy logs thousands of DEBUG lines and DynamoDB Local a stack trace for
 * every failed conditional write, which is normal traffic for this application. WARN by default;
 * {@code -Dlocalaws.debug=true} or {@code LOCALAWS_DEBUG=true} turns everything up.
 */
public final class Logging {
    // Held strongly: java.util.logging forgets the level of a logger that was garbage-collected.
    private static final java.util.logging.Logger SQLITE4JAVA = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");
    private static final java.util.logging.Logger LOCAL_AWS = java.util.logging.Logger.getLogger("com.warehouseexport.localaws");
    private Logging() {
    }

    public static boolean debugRequested() {
        return Boolean.getBoolean("localaws.debug") || "true".equalsIgnoreCase(System.getenv("LOCALAWS_DEBUG"));
    }

    public static void configure(boolean debug) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(debug ? Level.DEBUG : Level.WARN);
            if (!debug) {
                // ElasticMQ logs expected client errors (e.g. a missing queue) at WARN.
                logback.getLogger("org.elasticmq").setLevel(Level.ERROR);
                logback.getLogger("org.apache.pekko").setLevel(Level.ERROR);
            }
        }
        Configurator.setRootLevel(debug ? org.apache.logging.log4j.Level.DEBUG : org.apache.logging.log4j.Level.WARN);
        // Failed conditional writes are business as usual here, not errors.
        Configurator.setLevel("com.amazonaws.services.dynamodbv2.local",
            debug ? org.apache.logging.log4j.Level.DEBUG : org.apache.logging.log4j.Level.OFF);
        // sqlite4java cannot read its version from a shaded jar and says so at every start.
        SQLITE4JAVA.setLevel(debug ? java.util.logging.Level.FINE : java.util.logging.Level.SEVERE);
        LOCAL_AWS.setLevel(debug ? java.util.logging.Level.FINE : java.util.logging.Level.WARNING);
    }
}
