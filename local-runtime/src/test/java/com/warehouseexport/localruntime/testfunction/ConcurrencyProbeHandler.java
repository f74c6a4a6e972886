package com.warehouseexport.localruntime.testfunction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts invocations running at once across all execution environments of a function (each environment has its
 * own class loader, so the counters live in the JVM-wide system properties, keyed by the event's "probe" name).
 * With "awaitRunning": n it waits (up to "awaitMillis") until n invocations run at once, which only happens when
 * environments really run in parallel.
 */
public class ConcurrencyProbeHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final String instanceId = Integer.toHexString(System.identityHashCode(this));

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        String probe = String.valueOf(input.get("probe"));
        AtomicInteger running = counter(probe + ".running");
        AtomicInteger highest = counter(probe + ".highest");
        int now = running.incrementAndGet();
        highest.accumulateAndGet(now, Math::max);
        try {
            int await = input.get("awaitRunning") == null ? 0 : ((Number) input.get("awaitRunning")).intValue();
            long waitUntil = System.currentTimeMillis() + (input.get("awaitMillis") == null ? 0
                : ((Number) input.get("awaitMillis")).longValue());
            boolean reached = running.get() >= await;
            while (!reached && System.currentTimeMillis() < waitUntil) {
                Thread.sleep(10);
                reached = highest.get() >= await;
            }
            Object sleep = input.get("sleepMillis");
            if (sleep != null) {
                Thread.sleep(((Number) sleep).longValue());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("reached", reached);
            out.put("highest", highest.get());
            out.put("instance", instanceId);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } finally {
            running.decrementAndGet();
        }
    }

    private static AtomicInteger counter(String name) {
        synchronized (System.getProperties()) {
            Object existing = System.getProperties().get("concurrency-probe." + name);
            if (existing instanceof AtomicInteger counter) {
                return counter;
            }
            AtomicInteger counter = new AtomicInteger();
            System.getProperties().put("concurrency-probe." + name, counter);
            return counter;
        }
    }
}
