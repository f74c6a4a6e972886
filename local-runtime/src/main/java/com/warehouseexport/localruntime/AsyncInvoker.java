package com.warehouseexport.localruntime;

import com.warehouseexport.localruntime.lambda.Invocable;
import com.warehouseexport.localruntime.lambda.InvocationResult;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lambda's asynchronous invocation (what EventBridge rules use), run locally: the event is handed to the function
 * on a worker thread and its result only logged. A failed invocation is not retried (Lambda retries twice over a
 * few minutes; locally the next schedule tick or event covers it). A schedule uses
 * {@link #deliverUnlessBusy}: while its previous delivery is still running, the next tick is skipped and logged
 * rather than queued without bound (a fast local schedule could otherwise pile up behind a slow function).
 */
public final class AsyncInvoker implements AutoCloseable {
    private final ExecutorService workers;
    private final PrintStream log;
    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();

    public AsyncInvoker(String name, PrintStream log) {
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.log = log;
    }

    /** Delivers payload to function unless the previous delivery of source is still running; true if started. */
    public boolean deliverUnlessBusy(String source, Invocable function, byte[] payload) {
        AtomicBoolean busy = running.computeIfAbsent(source, s -> new AtomicBoolean());
        if (!busy.compareAndSet(false, true)) {
            log.println("[" + source + "] previous delivery still running; this one is skipped");
            return false;
        }
        return start(source, function, payload, busy);
    }

    /** Delivers payload to function (every event is delivered; the function takes them in turn). */
    public boolean deliver(String source, Invocable function, byte[] payload) {
        return start(source, function, payload, new AtomicBoolean(true));
    }

    private boolean start(String source, Invocable function, byte[] payload, AtomicBoolean busy) {
        try {
            workers.execute(() -> {
                try {
                    InvocationResult result = function.invoke(payload);
                    if (result.failed()) {
                        log.println("[" + source + "] async invocation failed: " + result.payloadText());
                    }
                } catch (RuntimeException e) {
                    log.println("[" + source + "] async invocation failed: " + e);
                } finally {
                    busy.set(false);
                }
            });
            return true;
        } catch (RuntimeException e) {
            busy.set(false); // rejected: shutting down
            return false;
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
