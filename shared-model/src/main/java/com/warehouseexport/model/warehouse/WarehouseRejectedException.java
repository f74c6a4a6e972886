package com.warehouseexport.model.warehouse;

/** The warehouse refused the statement or its settings as written: submitting again cannot help. */
public final class WarehouseRejectedException extends RuntimeException {
    public WarehouseRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
