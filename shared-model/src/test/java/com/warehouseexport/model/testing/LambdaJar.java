package com.warehouseexport.model.testing;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A function's deployment package loaded as Lambda loads it: the shaded jar alone in a class loader of its
 * own (nothing from the test class path), its environment given through that loader's copy of {@code Env},
 * the handler made with its public no-arg constructor, the event deserialized by the runtime's serializers.
 */
public final class LambdaJar implements AutoCloseable {
    private final URLClassLoader loader;

    public LambdaJar(Path jar, Map<String, String> environment) throws ReflectiveOperationException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the package phase first");
        }
        try {
            loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
        loader.loadClass("com.warehouseexport.model.config.Env")
                .getMethod("useForThisClassLoader", Map.class)
                .invoke(null, environment);
    }

    /** The module's jar, {@code target/<module>.jar}. */
    public static Path moduleJar(String module) {
        return Path.of(System.getProperty("user.dir")).resolve("target").resolve(module + ".jar");
    }

    public Class<?> load(String className) throws ClassNotFoundException {
        return loader.loadClass(className);
    }

    public Object newHandler(String className) throws ReflectiveOperationException {
        return load(className).getConstructor().newInstance();
    }

    /** Calls {@code handleRequest(event, null context)} with the event read from JSON as the runtime reads it. */
    public Object invoke(Object handler, String eventClassName, String eventJson) throws Throwable {
        Class<?> eventClass = load(eventClassName);
        Object event = LambdaEventSerializers.serializerFor(eventClass, loader).fromJson(eventJson);
        Method handle = handler.getClass().getMethod("handleRequest", eventClass,
                load("com.amazonaws.services.lambda.runtime.Context"));
        try {
            return handle.invoke(handler, event, null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** {@link #invoke}, with the handler's result written back to JSON as the runtime writes it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String invokeForJson(Object handler, String eventClassName, String eventJson, String resultClassName)
            throws Throwable {
        Object result = invoke(handler, eventClassName, eventJson);
        PojoSerializer serializer = LambdaEventSerializers.serializerFor(load(resultClassName), loader);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(result, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The loader that defined a class: proves it came from the jar, not from the test class path. */
    public ClassLoader loader() {
        return loader;
    }

    @Override
    public void close() throws Exception {
        loader.close();
    }
}
