package com.warehouseexport.localruntime.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.CustomPojoSerializer;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A function's handler resolved the way Lambda's Java runtime resolves it: {@code pkg.Class} (a RequestHandler or
 * RequestStreamHandler) or {@code pkg.Class::method} (any public method taking at most (input, Context) or
 * (InputStream, OutputStream, Context)), one instance created with the public no-arg constructor. Events are turned
 * into the input type with the Lambda runtime's own serializers ({@code aws-lambda-java-serialization}).
 */
final class HandlerInvoker {
    private static final byte[] JSON_NULL = "null".getBytes(StandardCharsets.UTF_8);

    /** The call itself, with the payload as a stream in and the response written to a stream. */
    @FunctionalInterface
    private interface Call {
        void invoke(InputStream input, OutputStream output, Context context) throws Throwable;
    }

    private final Call call;

    private HandlerInvoker(Call call) {
        this.call = call;
    }

    void invoke(InputStream input, OutputStream output, Context context) throws Throwable {
        call.invoke(input, output, context);
    }

    /** Loads the handler class in loader and creates the one handler instance. */
    static HandlerInvoker load(String handler, ClassLoader loader) throws Throwable {
        int separator = handler.indexOf("::");
        String className = separator < 0 ? handler : handler.substring(0, separator);
        String methodName = separator < 0 ? null : handler.substring(separator + 2);
        Class<?> handlerClass;
        try {
            handlerClass = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException("Class not found: " + className, e);
        }
        CustomPojoSerializer customSerializer = customSerializer(loader);
        if (methodName == null) {
            return forInterface(handlerClass, loader, customSerializer);
        }
        return forMethod(handlerClass, methodName, loader, customSerializer);
    }

    private static HandlerInvoker forInterface(Class<?> handlerClass, ClassLoader loader,
                                               CustomPojoSerializer custom) throws Throwable {
        if (RequestStreamHandler.class.isAssignableFrom(handlerClass)) {
            RequestStreamHandler instance = (RequestStreamHandler) newInstance(handlerClass);
            return new HandlerInvoker(instance::handleRequest);
        }
        if (RequestHandler.class.isAssignableFrom(handlerClass)) {
            Type[] types = requestHandlerTypes(handlerClass);
            @SuppressWarnings("unchecked")
            RequestHandler<Object, Object> instance = (RequestHandler<Object, Object>) newInstance(handlerClass);
            Serializer in = Serializer.forType(types[0], loader, custom);
            Serializer out = isVoid(types[1]) ? null : Serializer.forType(types[1], loader, custom);
            return new HandlerInvoker((input, output, context) -> {
                Object event = in.read(input);
                Object response = instance.handleRequest(event, context);
                writeResponse(out, response, output);
            });
        }
        throw new IllegalArgumentException("Class does not implement an appropriate handler interface: "
            + handlerClass.getName());
    }

    private static HandlerInvoker forMethod(Class<?> handlerClass, String methodName, ClassLoader loader,
                                            CustomPojoSerializer custom) throws Throwable {
        Method[] candidates = Arrays.stream(handlerClass.getMethods())
            .filter(m -> m.getName().equals(methodName))
            .sorted(METHOD_PRIORITY)
            .toArray(Method[]::new);
        for (Method method : candidates) {
            HandlerInvoker invoker = forMethod(handlerClass, method, loader, custom);
            if (invoker != null) {
                return invoker;
            }
        }
        throw new NoSuchMethodException("No public method named " + methodName
            + " with appropriate method signature found on class " + handlerClass.getName());
    }

    /** Lambda's preference: non-bridge first, then longer signatures, a trailing Context counting one extra. */
    private static final Comparator<Method> METHOD_PRIORITY = Comparator
        .comparing(Method::isBridge)
        .thenComparing(m -> -(m.getParameterCount() + (lastIsContext(m) ? 1 : 0)));

    private static boolean lastIsContext(Method method) {
        Class<?>[] types = method.getParameterTypes();
        return types.length > 0 && types[types.length - 1] == Context.class;
    }

    private enum Kind { STREAM, POJO }

    /** Lambda's accepted signatures; null for one it skips. */
    private static Kind kind(Class<?>[] p) {
        switch (p.length) {
            case 0:
                return Kind.POJO;
            case 1:
                return p[0] == InputStream.class || p[0] == OutputStream.class ? Kind.STREAM : Kind.POJO;
            case 2:
                if (p[0] == OutputStream.class) {
                    return p[1] == Context.class ? Kind.STREAM : null;
                }
                if (p[0] == InputStream.class) {
                    return p[1] == OutputStream.class || p[1] == Context.class ? Kind.STREAM : null;
                }
                return p[0] != Context.class && p[1] == Context.class ? Kind.POJO : null;
            case 3:
                return p[0] == InputStream.class && p[1] == OutputStream.class && p[2] == Context.class
                    ? Kind.STREAM : null;
            default:
                return null;
        }
    }

    /** Returns null for a signature Lambda would skip. */
    private static HandlerInvoker forMethod(Class<?> handlerClass, Method method, ClassLoader loader,
                                            CustomPojoSerializer custom) throws Throwable {
        Class<?>[] p = method.getParameterTypes();
        Kind kind = kind(p);
        if (kind == null) {
            return null;
        }
        Object instance = Modifier.isStatic(method.getModifiers()) ? null : newInstance(handlerClass);
        if (kind == Kind.STREAM) {
            // a byte-stream handler: its return value is ignored, as in Lambda
            boolean writesOutput = Arrays.asList(p).contains(OutputStream.class);
            return new HandlerInvoker((input, output, context) -> {
                Object[] args = new Object[p.length];
                for (int i = 0; i < p.length; i++) {
                    args[i] = p[i] == InputStream.class ? input : p[i] == OutputStream.class ? output : context;
                }
                invokeMethod(method, instance, args);
                if (!writesOutput) {
                    output.write(JSON_NULL);
                }
            });
        }
        Type returnType = method.getGenericReturnType();
        Serializer out = isVoid(returnType) ? null : Serializer.forType(returnType, loader, custom);
        boolean hasInput = p.length >= 1 && p[0] != Context.class;
        Serializer in = hasInput ? Serializer.forType(method.getGenericParameterTypes()[0], loader, custom) : null;
        return new HandlerInvoker((input, output, context) -> {
            Object[] args = new Object[p.length];
            int i = 0;
            if (hasInput) {
                args[i++] = in.read(input);
            }
            if (i < p.length) {
                args[i] = context;
            }
            writeResponse(out, invokeMethod(method, instance, args), output);
        });
    }

    private static Object invokeMethod(Method method, Object instance, Object[] args) throws Throwable {
        try {
            return method.invoke(instance, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() == null ? e : e.getCause();
        }
    }

    private static void writeResponse(Serializer serializer, Object response, OutputStream output) throws Exception {
        if (serializer == null) {
            output.write(JSON_NULL);
            return;
        }
        try {
            serializer.write(response, output);
        } catch (RuntimeException e) {
            throw new RuntimeException("An error occurred during JSON serialization of response", e);
        }
    }

    private static Object newInstance(Class<?> handlerClass) throws Throwable {
        try {
            return handlerClass.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new NoSuchMethodException("Class " + handlerClass.getName()
                + " has no public zero-argument constructor");
        } catch (InvocationTargetException e) {
            throw e.getCause() == null ? e : e.getCause();
        }
    }

    private static boolean isVoid(Type type) {
        return type == void.class || type == Void.class;
    }

    /** The I and O of RequestHandler&lt;I, O&gt; as declared somewhere above handlerClass. */
    private static Type[] requestHandlerTypes(Class<?> handlerClass) {
        Deque<Type> pending = new ArrayDeque<>();
        pending.add(handlerClass);
        while (!pending.isEmpty()) {
            Type type = pending.poll();
            Class<?> raw = type instanceof ParameterizedType parameterized
                ? (Class<?>) parameterized.getRawType() : (Class<?>) type;
            if (type instanceof ParameterizedType parameterized && raw == RequestHandler.class) {
                Type[] arguments = parameterized.getActualTypeArguments();
                for (int i = 0; i < arguments.length; i++) {
                    if (arguments[i] instanceof TypeVariable<?> variable) {
                        arguments[i] = variable.getBounds()[0];
                    }
                }
                return arguments;
            }
            pending.addAll(List.of(raw.getGenericInterfaces()));
            if (raw.getGenericSuperclass() != null) {
                pending.add(raw.getGenericSuperclass());
            }
        }
        return new Type[] {Object.class, Object.class};
    }

    private static CustomPojoSerializer customSerializer(ClassLoader loader) {
        Iterator<CustomPojoSerializer> found = ServiceLoader.load(CustomPojoSerializer.class, loader).iterator();
        return found.hasNext() ? found.next() : null;
    }

    /** JSON ↔ object for one type, chosen as Lambda chooses: custom, then event mix-ins, then plain Jackson. */
    private record Serializer(Type type, PojoSerializer<Object> pojo, CustomPojoSerializer custom) {
        @SuppressWarnings("unchecked")
        static Serializer forType(Type type, ClassLoader loader, CustomPojoSerializer custom) {
            if (custom != null) {
                return new Serializer(type, null, custom);
            }
            if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
                return new Serializer(type, LambdaEventSerializers.serializerFor((Class<Object>) c, loader), null);
            }
            return new Serializer(type, JacksonFactory.getInstance().getSerializer(type), null);
        }

        Object read(InputStream input) {
            try {
                return custom != null ? custom.fromJson(input, type) : pojo.fromJson(input);
            } catch (RuntimeException e) {
                throw new RuntimeException("An error occurred during JSON parsing", e);
            }
        }

        void write(Object value, OutputStream output) {
            if (custom != null) {
                custom.toJson(value, output, type);
            } else {
                pojo.toJson(value, output);
            }
        }
    }
}
