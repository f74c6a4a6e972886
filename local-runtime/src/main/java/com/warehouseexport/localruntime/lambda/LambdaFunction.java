package com.warehouseexport.localruntime.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localruntime.template.SamTemplate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * One Lambda function run locally, with one execution environment: its own class loader over the function's jar
 * (parent: the platform class loader plus the Lambda core API, so nothing of the runtime's class path leaks in),
 * its own copy of the project's {@code Env} holding the function's environment, and one handler instance.
 *
 * <p>Like one Lambda execution environment, it runs one invocation at a time: concurrent callers wait their turn
 * (fair order). An invocation that exceeds the function's Timeout is answered with Lambda's "Task timed out"
 * error and its environment is thrown away (the thread is interrupted; the next invocation cold-starts a fresh
 * class loader and handler), as Lambda does with a timed-out environment.
 */
public final class LambdaFunction implements Invocable, AutoCloseable {
    /** The project's configuration class; every function jar has its own copy (see docs/design.md). */
    static final String ENV_CLASS = "com.warehouseexport.model.config.Env";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LOG_STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private final SamTemplate.Function definition;
    private final Map<String, String> environment;
    private final LambdaLogger logger;
    private final ReentrantLock turn = new ReentrantLock(true);
    private ExecutionEnvironment current; // guarded by turn
    private volatile boolean closed;

    /**
     * @param runtimeEnvironment variables the local runtime adds (region, endpoint overrides); they win over the
     *                           template's, as the local endpoints must
     */
    public LambdaFunction(SamTemplate.Function definition, Map<String, String> runtimeEnvironment, PrintStream log) {
        this.definition = definition;
        this.logger = new PrefixingLambdaLogger(definition.logicalId(), log);
        LambdaRuntimeLogger.install();
        Map<String, String> env = new LinkedHashMap<>(definition.environment());
        env.putAll(runtimeEnvironment);
        env.put("AWS_LAMBDA_FUNCTION_NAME", definition.functionName());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", definition.version());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(definition.memorySize()));
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + definition.functionName());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + (definition.runtime() == null ? "java21" : definition.runtime()));
        env.put("_HANDLER", definition.handler());
        this.environment = Map.copyOf(env);
    }

    public SamTemplate.Function definition() {
        return definition;
    }

    /** The environment the function sees through its Env. */
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public InvocationResult invoke(byte[] payload) {
        return invoke(UUID.randomUUID().toString(), payload);
    }

    /** Runs one invocation (waiting for the environment to be free) and never throws for the function's errors. */
    public InvocationResult invoke(String requestId, byte[] payload) {
        long started = System.nanoTime();
        turn.lock();
        try {
            if (closed) {
                return error(requestId, started, "ServiceException", "the local runtime is shutting down");
            }
            ExecutionEnvironment env = current;
            if (env == null) {
                try {
                    env = ExecutionEnvironment.start(definition, environment, this::threadName, logger);
                } catch (Throwable e) {
                    logger.log("INIT_ERROR " + describe(e));
                    return errorFrom(requestId, started, e);
                }
                current = env;
            }
            long timeoutMillis = definition.timeoutSeconds() * 1000L;
            long deadline = System.currentTimeMillis() + timeoutMillis;
            LocalLambdaContext context = new LocalLambdaContext(requestId, definition.functionName(),
                definition.version(), definition.invokedArn(), definition.memorySize(), deadline,
                logStreamName(env), logger);
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            HandlerInvoker invoker = env.invoker;
            Future<?> call = env.thread.submit(() -> {
                rethrowing(() -> {
                    invoker.invoke(new ByteArrayInputStream(payload), output, context);
                    return null;
                });
                return null;
            });
            try {
                call.get(timeoutMillis, TimeUnit.MILLISECONDS);
                InvocationResult result = new InvocationResult(requestId, output.toByteArray(), null,
                    elapsed(started));
                report(requestId, result);
                return result;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                logger.log(describe(cause));
                InvocationResult result = errorFrom(requestId, started, cause);
                report(requestId, result);
                return result;
            } catch (TimeoutException e) {
                call.cancel(true);
                current = null;
                env.discard();
                String message = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + requestId
                    + " Task timed out after " + String.format(Locale.ROOT, "%.2f", (double) definition.timeoutSeconds())
                    + " seconds";
                logger.log(message);
                ObjectNode body = JSON.createObjectNode().put("errorMessage", message);
                return new InvocationResult(requestId, JSON.writeValueAsBytes(body), "Unhandled", elapsed(started));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                call.cancel(true);
                return error(requestId, started, "ServiceException", "invocation interrupted");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            turn.unlock();
        }
    }

    private void report(String requestId, InvocationResult result) {
        logger.log("REPORT RequestId: " + requestId + " Duration: " + result.durationMillis() + " ms"
            + (result.failed() ? " (failed)" : ""));
    }

    private String threadName() {
        return "lambda-" + definition.logicalId();
    }

    private String logStreamName(ExecutionEnvironment env) {
        return LocalDate.now(ZoneOffset.UTC).format(LOG_STREAM_DATE) + "/[" + definition.version() + "]" + env.id;
    }

    private static long elapsed(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    private InvocationResult error(String requestId, long started, String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("errorMessage", message).put("errorType", type);
        return new InvocationResult(requestId, body.toString().getBytes(StandardCharsets.UTF_8), "Unhandled",
            elapsed(started));
    }

    private InvocationResult errorFrom(String requestId, long started, Throwable e) {
        return new InvocationResult(requestId, errorJson(e).toString().getBytes(StandardCharsets.UTF_8),
            "Unhandled", elapsed(started));
    }

    /** Lambda's Java error payload: errorMessage, errorType, stackTrace, cause. */
    static ObjectNode errorJson(Throwable e) {
        ObjectNode node = JSON.createObjectNode();
        node.put("errorMessage", e.getMessage());
        node.put("errorType", e.getClass().getName());
        ArrayNode trace = node.putArray("stackTrace");
        for (StackTraceElement element : e.getStackTrace()) {
            trace.add(element.toString());
        }
        if (e.getCause() != null && e.getCause() != e) {
            node.set("cause", errorJson(e.getCause()));
        }
        return node;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (t != e) {
                text.append("\nCaused by: ").append(t);
            }
            StackTraceElement[] trace = t.getStackTrace();
            for (int i = 0; i < Math.min(trace.length, 12); i++) {
                text.append("\n\tat ").append(trace[i]);
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        closed = true;
        // a running invocation holds the turn; do not wait for it longer than a moment
        try {
            if (turn.tryLock(2, TimeUnit.SECONDS)) {
                try {
                    if (current != null) {
                        current.discard();
                        current = null;
                    }
                } finally {
                    turn.unlock();
                }
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ExecutionEnvironment env = current;
        if (env != null) {
            env.discard();
        }
    }

    /** A class loader, the handler instance in it, and the one thread that runs its invocations. */
    private static final class ExecutionEnvironment {
        final String id = UUID.randomUUID().toString().replace("-", "");
        final URLClassLoader loader;
        final ExecutorService thread;
        HandlerInvoker invoker;

        private ExecutionEnvironment(URLClassLoader loader, ExecutorService thread) {
            this.loader = loader;
            this.thread = thread;
        }

        static ExecutionEnvironment start(SamTemplate.Function definition, Map<String, String> environment,
                                          java.util.function.Supplier<String> threadName, LambdaLogger logger)
            throws Throwable {
            URLClassLoader loader = new URLClassLoader("function-" + definition.logicalId(),
                codeUrls(definition.codeUri()), new LambdaCoreApiClassLoader(LambdaFunction.class.getClassLoader()));
            ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(() -> {
                    LambdaRuntimeLogger.bind(logger);
                    r.run();
                }, threadName.get());
                t.setDaemon(true);
                t.setContextClassLoader(loader);
                return t;
            });
            ExecutionEnvironment env = new ExecutionEnvironment(loader, thread);
            try {
                // the init phase: environment first (static initialisers may read it), then the handler instance
                env.invoker = thread.submit(() -> rethrowing(() -> {
                    useEnvironment(loader, environment);
                    return HandlerInvoker.load(definition.handler(), loader);
                })).get();
                return env;
            } catch (ExecutionException e) {
                env.discard();
                throw e.getCause();
            }
        }

        void discard() {
            thread.shutdownNow();
            try {
                loader.close();
            } catch (IOException e) {
                // nothing useful to do: the loader is no longer used
            }
        }
    }

    private interface ThrowingSupplier<T> {
        T get() throws Throwable;
    }

    /** Runs body on an executor thread, letting Exceptions and Errors through unchanged. */
    private static <T> T rethrowing(ThrowingSupplier<T> body) throws Exception {
        try {
            return body.get();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Calls {@code Env.useForThisClassLoader(environment)} on the function's own copy of Env, when it has one. */
    static void useEnvironment(ClassLoader loader, Map<String, String> environment) throws Throwable {
        Class<?> env;
        try {
            env = Class.forName(ENV_CLASS, true, loader);
        } catch (ClassNotFoundException e) {
            return;
        }
        Method use = env.getMethod("useForThisClassLoader", Map.class);
        try {
            use.invoke(null, environment);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** A jar, or a directory of classes with an optional lib/ of jars (Lambda's /var/task layout). */
    static URL[] codeUrls(Path codeUri) throws IOException {
        if (!Files.exists(codeUri)) {
            throw new IOException("CodeUri " + codeUri + " does not exist; build the function first");
        }
        List<URL> urls = new ArrayList<>();
        urls.add(toUrl(codeUri));
        Path lib = codeUri.resolve("lib");
        if (Files.isDirectory(codeUri) && Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    urls.add(toUrl(jar));
                }
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static URL toUrl(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
