package com.warehouseexport.model.domain;

import java.util.List;
import java.util.Locale;

/**
 * Compression of an export's data files, chosen per request ({@code "compression"} of {@code POST /exports}).
 * The warehouse compresses each part (Redshift UNLOAD's {@code GZIP} / {@code ZSTD}) and names it with the
 * suffix; the poller stores such parts in the zip as they are.
 */
public enum Compression {
    NONE("none", ""),
    GZIP("gzip", ".gz"),
    ZSTD("zstd", ".zst");

    private final String apiName;
    private final String fileSuffix;

    Compression(String apiName, String fileSuffix) {
        this.apiName = apiName;
        this.fileSuffix = fileSuffix;
    }

    /** The lower-case name used in requests and responses. */
    public String apiName() {
        return apiName;
    }

    /** What the warehouse appends to each part's name: {@code ""}, {@code ".gz"} or {@code ".zst"}. */
    public String fileSuffix() {
        return fileSuffix;
    }

    /** Every API name, in declaration order (for error messages and the API description). */
    public static List<String> apiNames() {
        return List.of(NONE.apiName, GZIP.apiName, ZSTD.apiName);
    }

    /** Exactly one of the API names (lower case); {@code null} otherwise. */
    public static Compression fromApiName(String name) {
        for (Compression compression : values()) {
            if (compression.apiName.equals(name)) {
                return compression;
            }
        }
        return null;
    }

    /**
     * As stored on a request item ({@link #name()}); an item written before the attribute existed has none and
     * reads as {@link #NONE}.
     */
    public static Compression fromStored(String stored) {
        return stored == null ? NONE : valueOf(stored.toUpperCase(Locale.ROOT));
    }
}
