package com.warehouseexport.poller;

import static com.warehouseexport.poller.PollRules.RequestStep.DESCRIBE_STATEMENT;
import static com.warehouseexport.poller.PollRules.RequestStep.LEAVE_INDEX;
import static com.warehouseexport.poller.PollRules.RequestStep.NOTHING;
import static com.warehouseexport.poller.PollRules.RequestStep.NOTIFY;
import static com.warehouseexport.poller.PollRules.RequestStep.RECLAIM_PACKAGING;
import static com.warehouseexport.poller.PollRules.StatementAction.FAIL;
import static com.warehouseexport.poller.PollRules.StatementAction.MARK_RUNNING;
import static com.warehouseexport.poller.PollRules.StatementAction.PACKAGE;
import static com.warehouseexport.poller.PollRules.StatementAction.WAIT;
import static com.warehouseexport.poller.TestRequests.T0;
import static com.warehouseexport.poller.TestRequests.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.model.domain.RequestState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

class PollRulesTest {
    private static final Duration LEASE = Duration.ofMinutes(16);
    private static final Instant NOW = T0.plusSeconds(60);

    @Test
    void describeStatesMapToActions() {
        RequestState submitted = RequestState.SUBMITTED;
        RequestState running = RequestState.RUNNING;
        assertEquals(WAIT, PollRules.forStatement(submitted, StatusString.SUBMITTED), "accepted, not picked up yet");
        assertEquals(MARK_RUNNING, PollRules.forStatement(submitted, StatusString.PICKED));
        assertEquals(MARK_RUNNING, PollRules.forStatement(submitted, StatusString.STARTED));
        assertEquals(WAIT, PollRules.forStatement(running, StatusString.PICKED), "already RUNNING");
        assertEquals(WAIT, PollRules.forStatement(running, StatusString.STARTED));
        assertEquals(PACKAGE, PollRules.forStatement(submitted, StatusString.FINISHED), "SUBMITTED may skip RUNNING");
        assertEquals(PACKAGE, PollRules.forStatement(running, StatusString.FINISHED));
        assertEquals(FAIL, PollRules.forStatement(running, StatusString.FAILED));
        assertEquals(FAIL, PollRules.forStatement(submitted, StatusString.ABORTED));
        assertEquals(WAIT, PollRules.forStatement(running, StatusString.UNKNOWN_TO_SDK_VERSION));
        assertEquals(WAIT, PollRules.forStatement(running, null));
    }

    @Test
    void everyRequestStateHasAStep() {
        assertEquals(NOTHING, PollRules.stepFor(request(RequestState.RECEIVED, null, T0), NOW, LEASE));
        assertEquals(NOTHING, PollRules.stepFor(request(RequestState.QUEUED, null, T0), NOW, LEASE));
        assertEquals(NOTHING, PollRules.stepFor(request(RequestState.SUBMITTED, null, T0), NOW, LEASE),
                "the processor is still submitting it");
        assertEquals(DESCRIBE_STATEMENT, PollRules.stepFor(request(RequestState.SUBMITTED, "st-1", T0), NOW, LEASE));
        assertEquals(DESCRIBE_STATEMENT, PollRules.stepFor(request(RequestState.RUNNING, "st-1", T0), NOW, LEASE));
        assertEquals(NOTIFY, PollRules.stepFor(request(RequestState.SUCCEEDED, "st-1", T0), NOW, LEASE));
        assertEquals(NOTIFY, PollRules.stepFor(request(RequestState.FAILED, null, T0), NOW, LEASE));
        assertEquals(LEAVE_INDEX, PollRules.stepFor(request(RequestState.CANCELLED, null, T0), NOW, LEASE));
    }

    @Test
    void packagingIsTakenOverOnlyAfterItsLease() {
        Instant claimed = T0;
        assertEquals(NOTHING, PollRules.stepFor(request(RequestState.PACKAGING, "st-1", claimed),
                claimed.plus(LEASE), LEASE), "lease still running at its last instant");
        assertEquals(RECLAIM_PACKAGING, PollRules.stepFor(request(RequestState.PACKAGING, "st-1", claimed),
                claimed.plus(LEASE).plusMillis(1), LEASE));
        assertFalse(PollRules.packagingLeaseExpired(request(RequestState.RUNNING, "st-1", claimed),
                claimed.plus(Duration.ofDays(1)), LEASE), "only PACKAGING has a lease");
    }

    @Test
    void aStatementIsLostOnlyAfterAWhile() {
        assertFalse(PollRules.statementLost(request(RequestState.RUNNING, "st-1", T0), T0.plusSeconds(30)));
        assertTrue(PollRules.statementLost(request(RequestState.RUNNING, "st-1", T0), T0.plus(Duration.ofHours(1))));
    }
}
