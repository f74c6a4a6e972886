package com.warehouseexport.receiver;

import com.warehouseexport.model.cancel.StatementCanceller;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.lambda.Log;
import com.warehouseexport.model.table.ConflictException;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.RequestUpdate;

import java.util.Objects;
import java.util.Optional;

/**
 * {@code DELETE /exports/{id}}: the caller's request, if not final yet, moves to CANCELLED (conditional write, so
 * it never overwrites a state another writer reached first) and its warehouse statement, if one is recorded, is
 * cancelled.
 *
 * <p>The race with the processor, which stores the statement id after submitting: that store
 * ({@code attribute_not_exists(statementId)}) and the move to CANCELLED are serialized on the item. The request is
 * read again after the move: an id stored before it is seen here and cancelled here; one stored after it finds the
 * request CANCELLED, and the processor cancels the statement itself.
 */
public final class ExportCancellation {
    private static final int CONFLICT_ATTEMPTS = 5;

    private final ControlTable table;
    private final StatementCanceller canceller;

    public ExportCancellation(ControlTable table, StatementCanceller canceller) {
        this.table = Objects.requireNonNull(table, "table");
        this.canceller = Objects.requireNonNull(canceller, "canceller");
    }

    /**
     * @return the request as stored after the cancellation
     * @throws ApiException 404 (missing, another caller's, malformed id), 409 {@code already_final}
     */
    public ExportRequest cancel(String owner, String requestId) {
        Objects.requireNonNull(owner, "owner");
        if (!RequestIds.isWellFormed(requestId)) {
            throw ApiException.notFound(requestId);
        }
        ExportRequest current = find(owner, requestId);
        for (int attempt = 1; ; attempt++) {
            if (current.state().isFinal()) {
                throw ApiException.of(409, "already_final", "Export " + requestId + " is " + current.state()
                        + "; only a request that has not finished can be cancelled");
            }
            try {
                ExportRequest cancelled = table.transition(requestId, current.state(), current.version(),
                        RequestState.CANCELLED, "cancelled by the caller", RequestUpdate.none());
                cancelStatement(cancelled);
                return cancelled;
            } catch (ConflictException e) {
                // another writer moved it first (e.g. QUEUED → SUBMITTED): decide again on what is stored now
                if (attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
                current = e.current().orElseGet(() -> find(owner, requestId));
            }
        }
    }

    private ExportRequest find(String owner, String requestId) {
        Optional<ExportRequest> request = table.get(requestId).filter(r -> r.owner().equals(owner));
        return request.orElseThrow(() -> ApiException.notFound(requestId));
    }

    private void cancelStatement(ExportRequest cancelled) {
        String statementId = cancelled.statementId();
        if (statementId == null) {
            Log.info("request %s: cancelled before a statement was recorded", cancelled.requestId());
            return;
        }
        try {
            StatementCanceller.Outcome outcome = canceller.cancel(statementId);
            Log.info("request %s: cancelled; statement %s: %s", cancelled.requestId(), statementId, outcome);
        } catch (RuntimeException e) {
            // The request stays CANCELLED (nobody packages or emails it); the statement may run to its end.
            Log.warn("request %s: cancelled, but statement %s could not be cancelled: %s", cancelled.requestId(),
                    statementId, e);
        }
    }
}
