package com.warehouseexport.processor;

import com.warehouseexport.model.domain.ExportError;

/** The request itself cannot be exported (its dataset vanished, its parameters no longer validate …). */
public final class PermanentExportException extends RuntimeException {
    private final String code;

    public PermanentExportException(String code, String message) {
        super(message);
        this.code = code;
    }

    public ExportError toExportError() {
        return new ExportError(code, getMessage());
    }
}
