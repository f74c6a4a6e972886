package com.warehouseexport.model.domain;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static com.warehouseexport.model.domain.RequestState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestStateTest {

    @Test
    void finalAndInFlightStatesPartitionTheStates() {
        assertEquals(EnumSet.of(SUCCEEDED, FAILED, CANCELLED), states(RequestState::isFinal));
        assertEquals(EnumSet.of(RECEIVED, QUEUED, SUBMITTED, RUNNING, PACKAGING), states(RequestState::isInFlight));
    }

    @Test
    void theFullTransitionTable() {
        // Every allowed move, spelled out; everything else must be refused.
        Set<String> allowed = Set.of(
                "RECEIVED>QUEUED", "RECEIVED>SUBMITTED", "RECEIVED>RUNNING", "RECEIVED>PACKAGING",
                "QUEUED>SUBMITTED", "QUEUED>RUNNING", "QUEUED>PACKAGING",
                "SUBMITTED>RUNNING", "SUBMITTED>PACKAGING",
                "RUNNING>PACKAGING",
                "PACKAGING>SUCCEEDED",
                "RECEIVED>FAILED", "QUEUED>FAILED", "SUBMITTED>FAILED", "RUNNING>FAILED", "PACKAGING>FAILED",
                "RECEIVED>CANCELLED", "QUEUED>CANCELLED", "SUBMITTED>CANCELLED", "RUNNING>CANCELLED",
                "PACKAGING>CANCELLED");
        int checked = 0;
        for (RequestState from : values()) {
            for (RequestState to : values()) {
                boolean expected = allowed.contains(from + ">" + to);
                assertEquals(expected, from.canMoveTo(to), from + " -> " + to);
                checked++;
            }
            assertFalse(from.canMoveTo(null));
        }
        assertEquals(64, checked);
    }

    @Test
    void neverBackwardsNorOutOfAFinalState() {
        assertFalse(RUNNING.canMoveTo(SUBMITTED));
        assertFalse(PACKAGING.canMoveTo(QUEUED));
        assertFalse(QUEUED.canMoveTo(RECEIVED));
        assertFalse(SUCCEEDED.canMoveTo(FAILED));
        assertFalse(FAILED.canMoveTo(CANCELLED));
        assertFalse(CANCELLED.canMoveTo(QUEUED));
        assertFalse(RUNNING.canMoveTo(SUCCEEDED), "a result exists only after packaging");
    }

    @Test
    void parsesNamesCaseInsensitively() {
        assertEquals(QUEUED, RequestState.parse("queued"));
        assertEquals(PACKAGING, RequestState.parse("PACKAGING"));
        assertThrows(IllegalArgumentException.class, () -> RequestState.parse("DONE"));
        assertThrows(IllegalArgumentException.class, () -> RequestState.parse(null));
    }

    private static Set<RequestState> states(java.util.function.Predicate<RequestState> test) {
        Set<RequestState> set = EnumSet.noneOf(RequestState.class);
        for (RequestState state : values()) {
            if (test.test(state)) {
                set.add(state);
            }
        }
        return set;
    }
}
