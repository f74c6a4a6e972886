package com.warehouseexport.poller;

import com.warehouseexport.model.aws.AwsClients;
import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.domain.ExportLocations;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.lambda.Log;
import com.warehouseexport.model.lambda.Priming;
import com.warehouseexport.model.table.ControlTable;
import java.time.Duration;
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
        AppConfig config = AppConfig.forPoller();
        String id = RequestIds.newId();
        // SnapStart priming: reads of things that do not exist and a presigned URL; no sweep (that would work)
        Priming.register("result-poller",
                () -> ControlTable.fromConfig(config).get(id),
                () -> AwsClients.redshiftData().describeStatement(b -> b.id(id)),
                () -> AwsClients.s3().getObjectAsBytes(b -> b.bucket(config.resultsBucket())
                        .key(ExportLocations.manifestKey(id))),
                () -> AwsClients.s3Presigner().presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(1))
                        .getObjectRequest(g -> g.bucket(config.archiveBucket()).key(ExportLocations.archiveKey(id)))),
                () -> AwsClients.ses().getSendQuota());
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
