package com.warehouseexport.model.domain;

import java.time.Instant;
import java.util.Objects;

/** One entry of a request's history: the state it entered, when, at which version, and why (may be null). */
public record StatusEvent(RequestState state, Instant at, long version, String detail) {
    public StatusEvent {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
    }
}
