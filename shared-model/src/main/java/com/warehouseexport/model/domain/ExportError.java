package com.warehouseexport.model.domain;

import java.util.Objects;

/** Why a request failed: a stable machine-readable code and a human message. */
public record ExportError(String code, String message) {
    public ExportError {
        Objects.requireNonNull(code, "code");
        message = message == null ? "" : message;
    }
}
