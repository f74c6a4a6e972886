package com.warehouseexport.localaws.junit;

import com.warehouseexport.localaws.ExternalAwsServices;
import com.warehouseexport.localaws.ExternalAwsServicesProvider;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.LocalAwsClients;
import com.warehouseexport.localaws.LocalAwsEndpoints;
import com.warehouseexport.localaws.events.EventBus;
import com.warehouseexport.localaws.ses.Outbox;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts {@link LocalAws} once per test JVM (closed when the JVM's test run ends) and injects it.
 *
 * <p>{@code -Dlocalaws.services=localstack} (set by {@code mvn -Plocalstack}) hands out LocalStack's DynamoDB, SQS,
 * S3, SES and Secrets Manager instead, through the {@link ExternalAwsServicesProvider} that profile puts on the
 * class path; where LocalStack cannot start (no Docker) every class so annotated is skipped with the reason.
 */
public final class LocalAwsExtension implements ParameterResolver, ExecutionCondition {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalAwsExtension.class);
    static final String SERVICES_PROPERTY = "localaws.services";

    /** The shared instance for this test run, started on first use. */
    public static LocalAws localAws(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent(LocalAws.class, key -> startAndReport(context), Resource.class)
            .localAws;
    }

    /** Under a profile whose services cannot start here, the class is skipped (reported as skipped, with why). */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<ExternalAwsServicesProvider> provider = externalProvider(context);
        if (provider.isEmpty()) {
            return ConditionEvaluationResult.enabled("in-process local-aws");
        }
        // asked once per test run (finding out that Docker is missing takes a while), and said once
        Unavailable unavailable = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Unavailable.class,
            key -> {
                String why = provider.get().unavailableReason().map(reason -> "-D" + SERVICES_PROPERTY + "="
                    + provider.get().name() + " (mvn -P" + provider.get().name() + "): " + reason
                    + "; the @LocalAwsTest suites are skipped (they run against local-aws without that profile)")
                    .orElse(null);
                if (why != null) {
                    System.err.println("[WARNING] " + why);
                }
                return new Unavailable(why);
            }, Unavailable.class);
        return unavailable.reason() == null ? ConditionEvaluationResult.enabled(provider.get().name() + " is up")
            : ConditionEvaluationResult.disabled(unavailable.reason());
    }

    private record Unavailable(String reason) {
    }

    private static Resource startAndReport(ExtensionContext context) {
        Optional<ExternalAwsServicesProvider> provider = externalProvider(context);
        LocalAws.Builder builder = LocalAws.builder().inventoryRows(1_000);
        ExternalAwsServices external = provider.map(ExternalAwsServicesProvider::start).orElse(null);
        LocalAws aws = builder.externalServices(external).start();
        AutoCloseable mirror = provider.isPresent() ? provider.get().mirrorSentEmails(aws.outbox()) : () -> { };
        System.out.printf("local-aws: all services ready in %d ms%s%n", aws.startupTime().toMillis(),
            external == null ? "" : " (DynamoDB, SQS, S3, SES and Secrets Manager from " + external.name() + ")");
        return new Resource(aws, mirror);
    }

    /** The provider {@code -Dlocalaws.services} asks for, once per test run; empty for the in-process services. */
    private static Optional<ExternalAwsServicesProvider> externalProvider(ExtensionContext context) {
        String wanted = System.getProperty(SERVICES_PROPERTY, "local").strip();
        if (wanted.isEmpty() || wanted.equals("local")) {
            return Optional.empty();
        }
        return Optional.of(context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
            ExternalAwsServicesProvider.class, key -> ServiceLoader.load(ExternalAwsServicesProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals(wanted)).findFirst()
                .map(ProviderResource::new)
                .orElseThrow(() -> new IllegalStateException("-D" + SERVICES_PROPERTY + "=" + wanted
                    + ": no such provider on the test class path (mvn -P" + wanted + " adds it)")),
            ProviderResource.class).provider());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalAws.class || type == LocalAwsEndpoints.class || type == LocalAwsClients.class
            || type == EventBus.class || type == Outbox.class || clientGetter(type) != null;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        LocalAws aws = localAws(context);
        if (type == LocalAws.class) {
            return aws;
        }
        if (type == LocalAwsEndpoints.class) {
            return aws.endpoints();
        }
        if (type == LocalAwsClients.class) {
            return aws.clients();
        }
        if (type == EventBus.class) {
            return aws.eventBus();
        }
        if (type == Outbox.class) {
            return aws.outbox();
        }
        try {
            return clientGetter(type).invoke(aws.clients());
        } catch (ReflectiveOperationException e) {
            throw new ParameterResolutionException("cannot create " + type.getName(), e);
        }
    }

    /** The no-argument accessor of {@link LocalAwsClients} returning this type, if any. */
    private static Method clientGetter(Class<?> type) {
        for (Method method : LocalAwsClients.class.getMethods()) {
            if (method.getParameterCount() == 0 && method.getReturnType() == type
                && method.getDeclaringClass() == LocalAwsClients.class) {
                return method;
            }
        }
        return null;
    }

    private record Resource(LocalAws localAws, AutoCloseable mirror) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            mirror.close();
            localAws.close();
        }
    }

    private record ProviderResource(ExternalAwsServicesProvider provider) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            provider.close();
        }
    }
}
