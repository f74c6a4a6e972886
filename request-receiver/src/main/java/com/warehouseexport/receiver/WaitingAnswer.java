package com.warehouseexport.receiver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.json.RequestViews;
import com.warehouseexport.model.lambda.Log;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /exports} with {@code "wait": N}: after the request is queued, waits up to N seconds for a final
 * state. Final in time: the status body ({@link RequestViews#status}), plus the rows inline when it SUCCEEDED small
 * (see {@link InlineRows}). Not final in time: empty, and the caller answers 202 as without waiting.
 */
public final class WaitingAnswer {
    private final FinalStateWaiter waiter;
    private final InlineRows inlineRows;

    /** @param inlineRows null for answers without inline rows */
    public WaitingAnswer(FinalStateWaiter waiter, InlineRows inlineRows) {
        this.waiter = Objects.requireNonNull(waiter, "waiter");
        this.inlineRows = inlineRows;
    }

    public Optional<ObjectNode> await(ExportRequest queued, int waitSeconds) {
        if (waitSeconds <= 0 || queued.state().isFinal()) {
            return Optional.empty();
        }
        return waiter.awaitFinal(queued.requestId(), Duration.ofSeconds(waitSeconds)).map(this::body);
    }

    private ObjectNode body(ExportRequest finished) {
        ObjectNode body = RequestViews.status(finished);
        if (inlineRows != null) {
            try {
                inlineRows.read(finished).ifPresent(rows -> body.set("inline", rows));
            } catch (RuntimeException e) {
                // the export itself succeeded: answer with the link alone
                Log.warn("request %s: inline rows not read: %s", finished.requestId(), e);
            }
        }
        return body;
    }
}
