package com.warehouseexport.localaws.junit;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.LocalAwsClients;
import com.warehouseexport.localaws.LocalAwsEndpoints;
import com.warehouseexport.localaws.events.EventBus;
import com.warehouseexport.localaws.ses.Outbox;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/** Starts {@link LocalAws} once per test JVM (closed when the JVM's test run ends) and injects it. */
public final class LocalAwsExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LocalAwsExtension.class);

    /** The shared instance for this test run, started on first use. */
    public static LocalAws localAws(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent(LocalAws.class, key -> new Resource(startAndReport()), Resource.class)
            .localAws;
    }

    private static LocalAws startAndReport() {
        LocalAws aws = LocalAws.builder().inventoryRows(1_000).start();
        System.out.printf("local-aws: all services ready in %d ms%n", aws.startupTime().toMillis());
        return aws;
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

    private record Resource(LocalAws localAws) implements AutoCloseable {
        @Override
        public void close() {
            localAws.close();
        }
    }
}
