package com.warehouseexport.localruntime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.warehouseexport.localruntime.template.SamTemplate;
import com.warehouseexport.localruntime.testfunction.EchoHandler;
import com.warehouseexport.model.config.Env;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Builds a function jar the way a function module's shaded jar looks: the test handlers and the test Env from
 * the compiled test classes, plus aws-lambda-java-events and aws-lambda-java-core copied in.
 */
public final class TestFunctionJar {
    private static Path built;

    private TestFunctionJar() {
    }

    public static synchronized Path get() throws IOException {
        if (built == null) {
            Path jar = Files.createTempFile("test-function-", ".jar");
            jar.toFile().deleteOnExit();
            build(jar);
            built = jar;
        }
        return built;
    }

    private static void build(Path jar) throws IOException {
        Path testClasses = location(EchoHandler.class);
        Set<String> written = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String dir : List.of("com/warehouseexport/localruntime/testfunction", "com/warehouseexport/model")) {
                try (Stream<Path> files = Files.walk(testClasses.resolve(dir))) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        put(out, written, testClasses.relativize(file).toString().replace('\\', '/'),
                            Files.readAllBytes(file));
                    }
                }
            }
            // aws-lambda-java-events brings joda-time (the Lambda serializers load it for every event type)
            for (Class<?> fromJar : List.of(SQSEvent.class, Context.class, org.joda.time.DateTime.class)) {
                try (JarFile library = new JarFile(location(fromJar).toFile())) {
                    for (JarEntry entry : library.stream().toList()) {
                        if (!entry.isDirectory() && entry.getName().endsWith(".class")) {
                            try (InputStream in = library.getInputStream(entry)) {
                                put(out, written, entry.getName(), in.readAllBytes());
                            }
                        }
                    }
                }
            }
        }
        if (!Env.class.getName().equals("com.warehouseexport.model.config.Env")) {
            throw new IllegalStateException("Env moved");
        }
    }

    private static void put(JarOutputStream out, Set<String> written, String name, byte[] bytes) throws IOException {
        if (written.add(name)) {
            out.putNextEntry(new JarEntry(name));
            out.write(bytes);
            out.closeEntry();
        }
    }

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A function definition running a test handler from the test jar. */
    public static SamTemplate.Function function(String logicalId, String handler, int timeoutSeconds,
                                                Map<String, String> environment,
                                                List<SamTemplate.Event> events) throws IOException {
        return new SamTemplate.Function(logicalId, "local-" + logicalId,
            "arn:aws:lambda:us-east-1:000000000000:function:local-" + logicalId, handler, "java21", get(), 256,
            timeoutSeconds, environment, events, null);
    }

    /** The same with ReservedConcurrentExecutions set (null: none). */
    public static SamTemplate.Function function(String logicalId, String handler, int timeoutSeconds,
                                                Map<String, String> environment, List<SamTemplate.Event> events,
                                                Integer reservedConcurrency) throws IOException {
        SamTemplate.Function plain = function(logicalId, handler, timeoutSeconds, environment, events);
        return new SamTemplate.Function(plain.logicalId(), plain.functionName(), plain.arn(), plain.handler(),
            plain.runtime(), plain.codeUri(), plain.memorySize(), plain.timeoutSeconds(), plain.environment(),
            plain.events(), plain.autoPublishAlias(), reservedConcurrency);
    }

}
