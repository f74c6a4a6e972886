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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * One Lambda function run locally, with a small pool of execution environments. Each environment is what Lambda
 * gives one concurrent invocation: its own class loader over the function's jar (parent: the platform class loader
 * plus the Lambda core API, so nothing of the runtime's class path leaks in), its own copy of the project's
 * {@code Env} holding the function's environment, one handler instance and one thread.
 *
 * <p>An environment runs one invocation at a time. Concurrent invocations get more environments, created on demand
 * (a cold start each) up to {@link #concurrencyLimit()}: the function's ReservedConcurrentExecutions, else
 * {@link #DEFAULT_CONCURRENCY}. Past the limit callers wait their turn (fair order) where Lambda would throttle.
 * Idle environments are reused, most recently used first. An invocation that exceeds the function's Timeout is
 * answered with Lambda's "Task timed out" error and its environment is thrown away (the thread is interrupted;
 * a later invocation cold-starts a fresh one), as Lambda does with a timed-out environment.
 */
public final class LambdaFunction implements Invocable, AutoCloseable {
    /** The project's configuration class; every function jar has its own copy (see docs/design.md). */
    static final String ENV_CLASS = "com.warehouseexport.model.config.Env";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter LOG_STREAM_DATE = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private final SamTemplate.Function definition;
    private final Map<String, String> environment;
    private final LambdaLogger logger;
    /** Environments per function when the template reserves no concurrency (Lambda's own limit is per account). */
    public static final int DEFAULT_CONCURRENCY = 10;

    private final int concurrencyLimit;
    /** One permit per environment that may exist: holding one is the right to use (or create) an environment. */
    private final Semaphore slots;
    private final Object poolLock = new Object();
    private final Deque<ExecutionEnvironment> idle = new ArrayDeque<>(); // guarded by poolLock
    private final Set<ExecutionEnvironment> live = new HashSet<>(); // guarded by poolLock
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
        this.concurrencyLimit = definition.reservedConcurrency() == null
            ? DEFAULT_CONCURRENCY : definition.reservedConcurrency();
        this.slots = new Semaphore(concurrencyLimit, true);
    }

    /** Most invocations this function runs at once (= most execution environments it has). */
    public int concurrencyLimit() {
        return concurrencyLimit;
    }

    /** Execution environments alive now (busy or idle). */
    public int environmentCount() {
        synchronized (poolLock) {
            return live.size();
        }
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

    /** Runs one invocation (waiting for a free environment past the limit) and never throws for the function's errors. */
    public InvocationResult invoke(String requestId, byte[] payload) {
        long started = System.nanoTime();
        if (concurrencyLimit == 0) {
            // ReservedConcurrentExecutions: 0 throttles every invocation
            return error(requestId, started, "TooManyRequestsException", "Rate Exceeded.");
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(requestId, started, "ServiceException", "invocation interrupted");
        }
        try {
            if (closed) {
                return error(requestId, started, "ServiceException", "the local runtime is shutting down");
            }
            ExecutionEnvironment env = takeIdle();
            if (env == null) {
                try {
                    env = ExecutionEnvironment.start(definition, environment, this::threadName, logger);
                } catch (Throwable e) {
                    logger.log("INIT_ERROR " + describe(e));
                    return errorFrom(requestId, started, e);
                }
                synchronized (poolLock) {
                    live.add(env);
                }
            }
            return invokeIn(env, requestId, payload, started);
        } finally {
            slots.release();
        }
    }

    private ExecutionEnvironment takeIdle() {
        synchronized (poolLock) {
            return idle.pollFirst();
        }
    }

    /** Back to the pool for the next invocation, unless the function closed meanwhile. */
    private void giveBack(ExecutionEnvironment env) {
        synchronized (poolLock) {
            if (!closed) {
                idle.addFirst(env);
                return;
            }
            live.remove(env);
        }
        env.discard();
    }

    private void throwAway(ExecutionEnvironment env) {
        synchronized (poolLock) {
            live.remove(env);
            idle.remove(env);
        }
        env.discard();
    }

    private InvocationResult invokeIn(ExecutionEnvironment env, String requestId, byte[] payload, long started) {
        long timeoutMillis = definition.timeoutSeconds() * 1000L;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        LocalLambdaContext context = new LocalLambdaContext(requestId, definition.functionName(),
            definition.version(), definition.invokedArn(), definition.memorySize(), deadline,
            logStreamName(env), logger);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        HandlerInvoker invoker = env.invoker;
        Future<?> call;
        try {
            call = env.thread.submit(() -> {
                rethrowing(() -> {
                    invoker.invoke(new ByteArrayInputStream(payload), output, context);
                    return null;
                });
                return null;
            });
        } catch (RejectedExecutionException e) {
            // closed while this caller waited
            throwAway(env);
            return error(requestId, started, "ServiceException", "the local runtime is shutting down");
        }
        try {
            call.get(timeoutMillis, TimeUnit.MILLISECONDS);
            InvocationResult result = new InvocationResult(requestId, output.toByteArray(), null,
                elapsed(started));
            giveBack(env);
            report(requestId, result);
            return result;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            logger.log(describe(cause));
            InvocationResult result = errorFrom(requestId, started, cause);
            giveBack(env);
            report(requestId, result);
            return result;
        } catch (TimeoutException e) {
            call.cancel(true);
            throwAway(env);
            String message = Instant.now().truncatedTo(ChronoUnit.MILLIS) + " " + requestId
                + " Task timed out after " + String.format(Locale.ROOT, "%.2f", (double) definition.timeoutSeconds())
                + " seconds";
            logger.log(message);
            ObjectNode body = JSON.createObjectNode().put("errorMessage", message);
            return new InvocationResult(requestId, body.toString().getBytes(StandardCharsets.UTF_8), "Unhandled",
                elapsed(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throwAway(env);
            return error(requestId, started, "ServiceException", "invocation interrupted");
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

    /** Throws every environment away; a running invocation is interrupted and its caller told the runtime stops. */
    @Override
    public void close() {
        List<ExecutionEnvironment> all;
        synchronized (poolLock) {
            closed = true;
            all = new ArrayList<>(live);
            live.clear();
            idle.clear();
        }
        all.forEach(ExecutionEnvironment::discard);
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
