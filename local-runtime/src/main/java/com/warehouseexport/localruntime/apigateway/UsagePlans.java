package com.warehouseexport.localruntime.apigateway;

import com.warehouseexport.localruntime.template.SamTemplate;
import com.warehouseexport.localruntime.template.UsagePlan;
import com.warehouseexport.localruntime.template.UsagePlan.ApiKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The usage plans of a template at run time: for a method that requires an API key, the {@code x-api-key}
 * header must be the value of an enabled key attached to a plan that covers the API's stage (else 403
 * Forbidden); then the plan's throttle (a token bucket per key) and quota (a counter per key) apply (429).
 */
public final class UsagePlans {
    /** One key in one plan, with its own bucket and quota. */
    private record KeyUsage(UsagePlan plan, ApiKey key, TokenBucket bucket, QuotaCounter quota) {
        boolean covers(SamTemplate.Api api) {
            return plan.apiStages().stream().anyMatch(s -> s.restApiId().equals(api.restApiId())
                && s.stage().equals(api.stageName()));
        }
    }

    /** The outcome: the key that was accepted, or API Gateway's rejection. */
    public sealed interface Decision permits Accepted, Refused {
    }

    public record Accepted(ApiKey key) implements Decision {
    }

    public record Refused(GatewayError error) implements Decision {
    }

    public static final UsagePlans NONE = new UsagePlans(List.of(), Clock.systemUTC(), System::nanoTime);

    private final List<KeyUsage> usages = new ArrayList<>();
    private final Clock clock;

    public UsagePlans(List<UsagePlan> plans, Clock clock, LongSupplier nanoTime) {
        this.clock = clock;
        for (UsagePlan plan : plans) {
            for (ApiKey key : plan.keys()) {
                TokenBucket bucket = plan.throttle() == null ? null
                    : new TokenBucket(plan.throttle().rateLimit(), plan.throttle().burstLimit(), nanoTime);
                QuotaCounter quota = plan.quota() == null ? null
                    : new QuotaCounter(plan.quota().limit(), plan.quota().period(), plan.quota().offset());
                usages.add(new KeyUsage(plan, key, bucket, quota));
            }
        }
    }

    public static UsagePlans of(SamTemplate template) {
        return new UsagePlans(template.usagePlans(), Clock.systemUTC(), System::nanoTime);
    }

    /** Checks the x-api-key value (null when the header is missing) for a method of api that requires a key. */
    public Decision check(SamTemplate.Api api, String apiKeyValue) {
        if (apiKeyValue == null || apiKeyValue.isEmpty()) {
            return new Refused(GatewayError.INVALID_API_KEY);
        }
        for (KeyUsage usage : usages) {
            if (usage.key().value().equals(apiKeyValue) && usage.covers(api)) {
                if (!usage.key().enabled()) {
                    return new Refused(GatewayError.INVALID_API_KEY);
                }
                if (usage.bucket() != null && !usage.bucket().tryTake()) {
                    return new Refused(GatewayError.THROTTLED);
                }
                if (usage.quota() != null && !usage.quota().tryConsume(clock.instant())) {
                    return new Refused(GatewayError.QUOTA_EXCEEDED);
                }
                return new Accepted(usage.key());
            }
        }
        return new Refused(GatewayError.INVALID_API_KEY);
    }
}
