package com.warehouseexport.processor;

/** What to do with an SQS message once its request has been handled. */
public enum SubmitOutcome {
    /** Delete the message: the request moved on, or can never move (malformed, missing, failed for good). */
    DONE,
    /** Report the message in {@code batchItemFailures}: SQS delivers it again after the visibility timeout. */
    RETRY
}
