package com.warehouseexport.localaws.redshift;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * The cancel switch of one running statement. The worker registers the JDBC statement it is executing, so a
 * cancel interrupts DuckDB mid-query; between steps (e.g. S3 uploads) the worker polls {@link #check()}.
 */
final class CancelSignal {

    /** Thrown inside the worker once the statement has been cancelled. */
    static final class CancelledException extends RuntimeException {
        CancelledException() {
            super("cancelled", null, false, false);
        }
    }

    private volatile boolean cancelled;
    private Statement current;

    synchronized void register(Statement statement) {
        current = statement;
        if (cancelled) {
            cancelCurrent();
        }
    }

    synchronized void unregister() {
        current = null;
    }

    synchronized void cancel() {
        cancelled = true;
        cancelCurrent();
    }

    boolean cancelled() {
        return cancelled;
    }

    void check() {
        if (cancelled) {
            throw new CancelledException();
        }
    }

    private void cancelCurrent() {
        if (current != null) {
            try {
                current.cancel();
            } catch (SQLException e) {
                // the statement may have just finished; the worker sees the flag either way
            }
        }
    }
}
