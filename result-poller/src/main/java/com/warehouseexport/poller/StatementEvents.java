package com.warehouseexport.poller;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.warehouseexport.model.domain.RequestIds;
import java.util.Map;
import java.util.Optional;

/**
 * Tells the poller's two triggers apart. Both arrive in EventBridge's envelope: the schedule
 * ({@code source: aws.events}), the Data API's status change ({@code source: aws.redshift-data}, whose
 * {@code detail.statementName} is {@code export-<requestId>}, the name the processor gave the statement) and
 * Athena's query state change ({@code source: aws.athena}, {@code detail.queryExecutionId}).
 */
public final class StatementEvents {
    public static final String REDSHIFT_DATA_SOURCE = "aws.redshift-data";
    public static final String ATHENA_SOURCE = "aws.athena";
    public static final String STATEMENT_NAME_PREFIX = "export-";

    private static final java.util.regex.Pattern QUERY_EXECUTION_ID =
            java.util.regex.Pattern.compile("[a-zA-Z0-9_-]{1,128}");

    private StatementEvents() {
    }

    public static boolean isStatementEvent(ScheduledEvent event) {
        return event != null && (REDSHIFT_DATA_SOURCE.equals(event.getSource())
                || ATHENA_SOURCE.equals(event.getSource()));
    }

    /**
     * The query execution id of an Athena "Athena Query State Change" event; empty for anything else. The event
     * names no request: the poller asks Athena (the query's output location is {@code exports/<requestId>/}).
     */
    public static Optional<String> athenaQueryIdOf(ScheduledEvent event) {
        if (event == null || !ATHENA_SOURCE.equals(event.getSource())) {
            return Optional.empty();
        }
        Map<String, Object> detail = event.getDetail();
        Object id = detail == null ? null : detail.get("queryExecutionId");
        return id instanceof String s && QUERY_EXECUTION_ID.matcher(s).matches() ? Optional.of(s) : Optional.empty();
    }

    /** The request a status-change event is about; empty for the schedule or a statement of someone else. */
    public static Optional<String> requestIdOf(ScheduledEvent event) {
        if (event == null || !REDSHIFT_DATA_SOURCE.equals(event.getSource())) {
            return Optional.empty();
        }
        Map<String, Object> detail = event.getDetail();
        Object name = detail == null ? null : detail.get("statementName");
        if (!(name instanceof String statementName) || !statementName.startsWith(STATEMENT_NAME_PREFIX)) {
            return Optional.empty();
        }
        String requestId = statementName.substring(STATEMENT_NAME_PREFIX.length());
        return RequestIds.isWellFormed(requestId) ? Optional.of(requestId) : Optional.empty();
    }
}
