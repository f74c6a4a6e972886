package com.warehouseexport.benchmarks.child;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The main of the cold-start child JVM: what Lambda's Java runtime does for one execution environment, reduced to
 * the timed steps. Class path: this class, the function's jar, aws-lambda-java-core and -serialization; the
 * function's environment comes from the process environment. Prints {@code nanoTime} marks (System.nanoTime is
 * CLOCK_MONOTONIC on Linux, comparable with the parent's) and each warm event's duration.
 *
 * <p>Arguments: handler class, event file, number of events after the first, {@code prime} to run the function's
 * SnapStart priming (what {@code beforeCheckpoint} runs) before the first event, or {@code cold}.
 */
public final class ColdStartChild {
    private ColdStartChild() {
    }

    public static void main(String[] args) throws Throwable {
        long mainEntered = System.nanoTime();
        String handlerName = args[0];
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        int warmEvents = Integer.parseInt(args[2]);

        ClassLoader loader = ColdStartChild.class.getClassLoader();
        Class<?> handlerClass = Class.forName(handlerName, true, loader);
        @SuppressWarnings("unchecked")
        RequestHandler<Object, Object> handler =
            (RequestHandler<Object, Object>) handlerClass.getConstructor().newInstance();
        Type[] types = requestHandlerTypes(handlerClass);
        PojoSerializer<Object> in = serializer(types[0], loader);
        PojoSerializer<Object> out = serializer(types[1], loader);
        long initDone = System.nanoTime();
        if (args.length > 3 && args[3].equals("prime")) {
            // the function's own priming, as a checkpoint would run it (the harness may use reflection)
            Object threw = Class.forName("com.warehouseexport.model.lambda.Priming", true, loader)
                .getMethod("runRegistered").invoke(null);
            System.out.println("PRIMING_THREW " + threw);
        }
        long primed = System.nanoTime();

        invoke(handler, in, out, event, 0);
        long firstDone = System.nanoTime();
        // loading this class marks, in the -Xlog:class+load file, where the first event ended
        FirstEventDone.mark();
        System.out.println("MARK main " + mainEntered);
        System.out.println("MARK init " + initDone);
        System.out.println("MARK primed " + primed);
        System.out.println("MARK first " + firstDone);

        long[] warm = new long[warmEvents];
        for (int i = 0; i < warmEvents; i++) {
            long start = System.nanoTime();
            invoke(handler, in, out, event, i + 1);
            warm[i] = System.nanoTime() - start;
        }
        StringBuilder line = new StringBuilder("WARM");
        Arrays.stream(warm).forEach(w -> line.append(' ').append(w));
        System.out.println(line);
        System.out.flush();
        // the SDK's HTTP client and the SQS/DynamoDB threads are daemon, but exit does not wait for anything
        System.exit(0);
    }

    private static void invoke(RequestHandler<Object, Object> handler, PojoSerializer<Object> in,
                               PojoSerializer<Object> out, byte[] event, int n) {
        Object input = in.fromJson(new ByteArrayInputStream(event));
        Object output = handler.handleRequest(input, new ChildContext("bench-" + n));
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        out.toJson(output, response);
        if (n == 0) {
            String text = response.toString(java.nio.charset.StandardCharsets.UTF_8);
            System.out.println("RESPONSE " + (text.length() > 300 ? text.substring(0, 300) + "..." : text)
                .replace('\n', ' '));
        }
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type, ClassLoader loader) {
        if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
            return LambdaEventSerializers.serializerFor((Class<Object>) c, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    private static Type[] requestHandlerTypes(Class<?> handlerClass) {
        for (Type type : handlerClass.getGenericInterfaces()) {
            if (type instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                return p.getActualTypeArguments();
            }
        }
        throw new IllegalArgumentException(handlerClass + " does not implement RequestHandler<I, O> directly");
    }
}
