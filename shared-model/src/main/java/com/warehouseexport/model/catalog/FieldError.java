package com.warehouseexport.model.catalog;

/**
 * One problem with one request parameter. {@code code} is stable for clients:
 * {@code unknown_parameter}, {@code missing_required}, {@code wrong_type}, {@code out_of_range},
 * {@code too_long}, {@code too_short}, {@code pattern_mismatch}, {@code invalid_characters},
 * {@code not_allowed}, {@code invalid_date}, {@code too_many_decimals}.
 */
public record FieldError(String field, String code, String message) {
}
