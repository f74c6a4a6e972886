package com.warehouseexport.localruntime.testfunction;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;

/** Takes EventBridge's Scheduled Event, whose {@code time} Lambda's serializer turns into a joda DateTime. */
public class ScheduledEventHandler implements RequestHandler<ScheduledEvent, String> {
    @Override
    public String handleRequest(ScheduledEvent event, Context context) {
        return event.getDetailType() + " at " + event.getTime().getMillis();
    }
}
