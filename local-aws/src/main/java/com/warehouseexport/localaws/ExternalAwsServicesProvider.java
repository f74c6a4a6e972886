package com.warehouseexport.localaws;

import java.util.Optional;

/**
 * Found with {@link java.util.ServiceLoader} when {@code -Dlocalaws.services=<name>} asks for services outside this
 * JVM; only the {@code localstack} profile puts an implementation on the test class path, so the default build
 * needs neither Docker nor Testcontainers.
 */
public interface ExternalAwsServicesProvider extends AutoCloseable {
    /** The value of {@code localaws.services} that selects this provider. */
    String name();

    /** Why the services cannot start here (no Docker, say), or empty when they can. */
    Optional<String> unavailableReason();

    ExternalAwsServices start();

    /**
     * Called while the services run, with local-aws's outbox: a provider whose SES keeps its own record of sent
     * mail copies it there, so tests find the e-mails in one place. Returns what stops the copying.
     */
    AutoCloseable mirrorSentEmails(com.warehouseexport.localaws.ses.Outbox outbox);
}
