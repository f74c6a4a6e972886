package com.warehouseexport.model.catalog;

import java.util.List;

/** Outcome of {@link Dataset#validate}: the typed parameters, or every problem found (never both). */
public final class Validation {
    private final ValidatedParameters parameters;
    private final List<FieldError> errors;

    private Validation(ValidatedParameters parameters, List<FieldError> errors) {
        this.parameters = parameters;
        this.errors = errors;
    }

    static Validation valid(ValidatedParameters parameters) {
        return new Validation(parameters, List.of());
    }

    static Validation invalid(List<FieldError> errors) {
        return new Validation(null, List.copyOf(errors));
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    /** The typed parameters; {@code IllegalStateException} if validation failed. */
    public ValidatedParameters parameters() {
        if (parameters == null) {
            throw new IllegalStateException("parameters are invalid: " + errors);
        }
        return parameters;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
