package com.warehouseexport.model.domain;

import java.util.Locale;

/** Output format of an export: CSV with a header line, Parquet, or newline-delimited JSON (one object a row). */
public enum ExportFormat {
    CSV("csv", "csv", true),
    PARQUET("parquet", "parquet", true),
    JSON("json", "json", true);

    private final String apiName;
    private final String fileExtension;
    private final boolean supported;

    ExportFormat(String apiName, String fileExtension, boolean supported) {
        this.apiName = apiName;
        this.fileExtension = fileExtension;
        this.supported = supported;
    }

    /** The lower-case name used in requests and responses. */
    public String apiName() {
        return apiName;
    }

    public String fileExtension() {
        return fileExtension;
    }

    public boolean isSupported() {
        return supported;
    }

    /** Any known format, case-insensitive; {@code null} if unknown. Use {@link #isSupported()} before exporting. */
    public static ExportFormat fromName(String name) {
        if (name == null) {
            return null;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (ExportFormat format : values()) {
            if (format.apiName.equals(lower)) {
                return format;
            }
        }
        return null;
    }
}
