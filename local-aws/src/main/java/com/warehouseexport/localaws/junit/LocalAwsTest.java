package com.warehouseexport.localaws.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against the emulated AWS. The services start once per test JVM, in memory, and are shared
 * by every class so annotated; test methods and constructors can take {@code LocalAws}, {@code LocalAwsEndpoints},
 * {@code LocalAwsClients}, {@code EventBus}, the SES {@code Outbox} or any SDK client {@code LocalAwsClients} offers as parameters.
 * Tests share the services, so each should use its own table, queue and bucket names.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LocalAwsExtension.class)
public @interface LocalAwsTest {
}
