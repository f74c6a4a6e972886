package com.warehouseexport.poller;

import com.warehouseexport.model.lambda.Log;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.Map;
import java.util.Objects;

/**
 * The poller's entry point. Both triggers deliver an EventBridge envelope: the schedule (sweep every in-flight
 * request) and the Data API's statement status change (handle that one request now).
 */
public final class ResultPollerHandler implements RequestHandler<ScheduledEvent, Map<String, Object>> {
    private final ResultPoller poller;

    /** Lambda's constructor: builds the poller once per JVM from the environment. */
    public ResultPollerHandler() {
        this(ResultPoller.fromEnvironment());
    }

    public ResultPollerHandler(ResultPoller poller) {
        this.poller = Objects.requireNonNull(poller, "poller");
    }

    @Override
    public Map<String, Object> handleRequest(ScheduledEvent event, Context context) {
        PollReport report = poller.handle(event,
                context == null ? () -> Long.MAX_VALUE : () -> context.getRemainingTimeInMillis());
        Log.info("poll finished: %s", report);
        return report.toMap();
    }
}
