package com.warehouseexport.processor;

/** Whether trying the same request again could succeed. */
public enum FailureKind {
    /** Will fail the same way every time: the request becomes FAILED at once. */
    PERMANENT,
    /** May pass on a later attempt (throttling, capacity, outages, network): the message is retried. */
    TRANSIENT
}
