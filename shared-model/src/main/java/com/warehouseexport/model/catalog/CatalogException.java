package com.warehouseexport.model.catalog;

/** The dataset catalog (built-in resource or override file) is unreadable or invalid. Thrown at start-up. */
public final class CatalogException extends RuntimeException {
    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
