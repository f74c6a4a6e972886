package com.warehouseexport.model.catalog;

/** Thrown by a {@link ParameterSpec} for a bad value; becomes a {@link FieldError}. No stack trace: it is control flow. */
final class InvalidValue extends Exception {
    private final String code;

    InvalidValue(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }
}
