package com.warehouseexport.poller;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one invocation did; returned by the handler (visible in test output and invocation logs). */
public record PollReport(String trigger, int examined, int failures, boolean stoppedForTime) {
    public static final String SCHEDULE = "schedule";
    public static final String STATEMENT_EVENT = "statement-event";

    /** A map, which the Lambda runtime serializes without reflection on our classes. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("trigger", trigger);
        map.put("examined", examined);
        map.put("failures", failures);
        map.put("stoppedForTime", stoppedForTime);
        return map;
    }
}
