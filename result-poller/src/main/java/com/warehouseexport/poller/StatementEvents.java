package com.warehouseexport.poller;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.warehouseexport.model.domain.RequestIds;
import java.util.Map;
import java.util.Optional;

/**
 * Tells the poller's two triggers apart. Both arrive in EventBridge's envelope: the schedule
 * ({@code source: aws.events}) and the Data API's status change ({@code source: aws.redshift-data}, whose
 * {@code detail.statementName} is {@code export-<requestId>}, the name the processor gave the statement).
 */
public final class StatementEvents {
    public static final String REDSHIFT_DATA_SOURCE = "aws.redshift-data";
    public static final String STATEMENT_NAME_PREFIX = "export-";

    private StatementEvents() {
    }

    public static boolean isStatementEvent(ScheduledEvent event) {
        return event != null && REDSHIFT_DATA_SOURCE.equals(event.getSource());
    }

    /** The request a status-change event is about; empty for the schedule or a statement of someone else. */
    public static Optional<String> requestIdOf(ScheduledEvent event) {
        if (!isStatementEvent(event)) {
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
