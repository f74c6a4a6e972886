package com.warehouseexport.localruntime.apigateway;

import com.warehouseexport.localruntime.template.ApiSettings.MethodSetting;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The stage's method throttling ({@code MethodSettings} ThrottlingRateLimit/BurstLimit): every method has its
 * own bucket, limited by the most specific setting that names it ({@code /~1product} GET before {@code /*}).
 */
public final class StageThrottles {
    private final LongSupplier nanoTime;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    public StageThrottles(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** False when the method's bucket is empty; true when it had a token or no limit applies. */
    public boolean tryTake(ApiRoute route) {
        MethodSetting rate = null;
        MethodSetting burst = null;
        for (MethodSetting setting : route.api().settings().methodSettings()) {
            if (!setting.matches(route.method(), route.resourcePath())) {
                continue;
            }
            boolean specific = !"/*".equals(setting.resourcePath());
            if (setting.throttlingRateLimit() != null && (rate == null || specific)) {
                rate = setting;
            }
            if (setting.throttlingBurstLimit() != null && (burst == null || specific)) {
                burst = setting;
            }
        }
        if (rate == null && burst == null) {
            return true;
        }
        // a limit left out is API Gateway's account default (10000 requests per second, burst 5000)
        double rateLimit = rate == null ? 10_000 : rate.throttlingRateLimit();
        int burstLimit = burst == null ? 5_000 : burst.throttlingBurstLimit();
        String key = route.api().logicalId() + " " + route.method() + " " + route.resourcePath();
        return buckets.computeIfAbsent(key, k -> new TokenBucket(rateLimit, burstLimit, nanoTime)).tryTake();
    }
}
