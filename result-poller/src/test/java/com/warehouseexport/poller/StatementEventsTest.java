package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatementEventsTest {

    @Test
    void fixturesAreToldApart() {
        assertEquals(Optional.of("3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13"),
                StatementEvents.requestIdOf(Fixtures.scheduledEvent("redshift-data-status-change.json")));
        assertEquals(Optional.of("9a0e7d42-51c3-4f8b-b6a1-c07e2d95f384"),
                StatementEvents.requestIdOf(Fixtures.scheduledEvent("redshift-data-status-failed.json")));
        ScheduledEvent schedule = Fixtures.scheduledEvent("schedule.json");
        assertFalse(StatementEvents.isStatementEvent(schedule));
        assertEquals(Optional.empty(), StatementEvents.requestIdOf(schedule));
    }

    @Test
    void statementsOfOthersNameNoRequest() {
        ScheduledEvent other = new ScheduledEvent().withSource("aws.redshift-data")
                .withDetail(Map.of("statementName", "nightly-vacuum"));
        assertTrue(StatementEvents.isStatementEvent(other));
        assertEquals(Optional.empty(), StatementEvents.requestIdOf(other));
        assertEquals(Optional.empty(), StatementEvents.requestIdOf(new ScheduledEvent().withSource("aws.redshift-data")
                .withDetail(Map.of("statementName", "export-not-an-id"))));
        assertEquals(Optional.empty(), StatementEvents.requestIdOf(new ScheduledEvent().withSource("aws.redshift-data")));
        assertEquals(Optional.empty(), StatementEvents.requestIdOf(null));
    }
}
