package com.warehouseexport.poller;

import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import java.time.Duration;
import java.time.Instant;
import com.warehouseexport.model.warehouse.ExecutionState;
import com.warehouseexport.model.warehouse.RedshiftDataWarehouse;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

/** The poller's decisions, as plain functions of what it has read. */
public final class PollRules {
    /** A statement the Data API no longer knows is lost only after this long (it keeps results 24 hours). */
    static final Duration STATEMENT_LOST_AFTER = Duration.ofMinutes(15);

    private PollRules() {
    }

    /** What to do with a request found in flight. */
    public enum RequestStep {
        /** Not the poller's business (yet), or someone else is on it. */
        NOTHING,
        /** Ask the Data API how the statement is doing. */
        DESCRIBE_STATEMENT,
        /** The packager's lease ran out (it died): take over and package again. */
        RECLAIM_PACKAGING,
        /** Final, email not recorded yet: send it (once). */
        NOTIFY,
        /** Final with nothing to tell (CANCELLED): just leave the in-flight index. */
        LEAVE_INDEX
    }

    /** What a statement's status means for its request. */
    public enum StatementAction {
        WAIT,
        MARK_RUNNING,
        PACKAGE,
        FAIL
    }

    public static RequestStep stepFor(ExportRequest request, Instant now, Duration packagingLease) {
        return switch (request.state()) {
            // RECEIVED/QUEUED belong to the processor; SUBMITTED without a statement id is being submitted.
            case RECEIVED, QUEUED -> RequestStep.NOTHING;
            case SUBMITTED, RUNNING -> request.statementId() == null ? RequestStep.NOTHING : RequestStep.DESCRIBE_STATEMENT;
            case PACKAGING -> packagingLeaseExpired(request, now, packagingLease)
                    ? RequestStep.RECLAIM_PACKAGING : RequestStep.NOTHING;
            case SUCCEEDED, FAILED -> RequestStep.NOTIFY;
            case CANCELLED -> RequestStep.LEAVE_INDEX;
        };
    }

    /** The PACKAGING lease is the time of the claim, the request's {@code updatedAt}. */
    public static boolean packagingLeaseExpired(ExportRequest request, Instant now, Duration packagingLease) {
        return request.state() == RequestState.PACKAGING && request.updatedAt().plus(packagingLease).isBefore(now);
    }

    /**
     * Data API SUBMITTED: accepted, not yet picked up; PICKED/STARTED: the warehouse has it (request RUNNING);
     * FINISHED: package; FAILED/ABORTED: the request failed. Anything else (a status newer than this SDK):
     * wait and look again.
     */
    public static StatementAction forStatement(RequestState requestState, StatusString status) {
        return forExecution(requestState, RedshiftDataWarehouse.stateOf(status));
    }

    /** The same rule on the warehouse port's common states (PENDING is Data API SUBMITTED, Athena QUEUED). */
    public static StatementAction forExecution(RequestState requestState, ExecutionState state) {
        if (state == null) {
            return StatementAction.WAIT;
        }
        return switch (state) {
            case RUNNING -> requestState == RequestState.SUBMITTED ? StatementAction.MARK_RUNNING
                    : StatementAction.WAIT;
            case FINISHED -> StatementAction.PACKAGE;
            case FAILED, ABORTED -> StatementAction.FAIL;
            case PENDING, UNKNOWN -> StatementAction.WAIT;
        };
    }

    /** DescribeStatement says "not found": lost once the request has waited long enough to rule out lag. */
    public static boolean statementLost(ExportRequest request, Instant now) {
        return request.updatedAt().plus(STATEMENT_LOST_AFTER).isBefore(now);
    }
}
