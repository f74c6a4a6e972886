package com.warehouseexport.localruntime.template;

import java.util.List;

/**
 * An {@code AWS::ApiGateway::UsagePlan} with the keys attached to it by {@code AWS::ApiGateway::UsagePlanKey}.
 * Its throttle and quota apply to each key separately. throttle and quota are null when not set.
 */
public record UsagePlan(String logicalId, String id, String name, List<ApiStage> apiStages, Throttle throttle,
                        Quota quota, List<ApiKey> keys) {

    /** A stage of an API the plan covers. */
    public record ApiStage(String restApiId, String stage) {
    }

    public record Throttle(double rateLimit, int burstLimit) {
    }

    /** period DAY, WEEK or MONTH; offset: days into the period at which it starts (API Gateway's Offset). */
    public record Quota(long limit, String period, int offset) {
    }

    /**
     * An {@code AWS::ApiGateway::ApiKey}. When the template gives no Value, API Gateway generates one; the local
     * runtime derives a stable one from the stack and logical id (valueGenerated) and prints it.
     */
    public record ApiKey(String logicalId, String id, String name, String value, boolean valueGenerated,
                         boolean enabled) {
        @Override
        public String toString() {
            return "ApiKey[" + logicalId + ", " + id + ", " + name + "]"; // never the value
        }
    }
}
