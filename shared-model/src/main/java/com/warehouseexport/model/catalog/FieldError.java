package com.warehouseexport.model.catalog;

/**
 * One problem with one request parameter. {@code code} is stable for clients:
 * {@code unknown_parameter}, {@code missing_required}, {@code wrong_type}, {@code out_of_range},
 * {@code too_long}, {@code too_short}, {@code pattern_mismatch}, {@code invalid_characters},
 * {@code not_allowed}, {@code invalid_date}, {@code too_many_decimals}.
 */
public record FieldError(String field, String code, String message) {
    /** Field of the error about the {@code parameters} value as a whole. */
    public static final String PARAMETERS = "parameters";

    /** A sentence for the caller, e.g. {@code parameter 'sku' must match ^[A-Z]+$}. */
    public String describe() {
        return (PARAMETERS.equals(field) ? "parameters " : "parameter '" + field + "' ") + message;
    }
}
