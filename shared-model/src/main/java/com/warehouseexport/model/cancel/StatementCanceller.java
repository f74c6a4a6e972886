package com.warehouseexport.model.cancel;

/**
 * Stops a warehouse statement that an export request started. The one warehouse call a cancellation needs, behind
 * an interface so the warehouse behind it can change (Redshift Data API today).
 */
@FunctionalInterface
public interface StatementCanceller {
    /** What the warehouse said. */
    enum Outcome {
        /** The statement was running (or waiting) and is now cancelled. */
        CANCELLED,
        /** It had already finished, failed or been cancelled, or the warehouse no longer knows it: nothing to do. */
        ALREADY_FINISHED
    }

    /**
     * Cancels the statement; a statement that is already final or unknown is not an error.
     *
     * @throws RuntimeException when the warehouse could not be asked (network, throttling, permissions)
     */
    Outcome cancel(String statementId);
}
