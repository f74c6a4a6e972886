package com.warehouseexport.model.warehouse;

/** The warehouse does not know the execution (never did, or forgot it). */
public final class ExecutionNotFoundException extends RuntimeException {
    public ExecutionNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
