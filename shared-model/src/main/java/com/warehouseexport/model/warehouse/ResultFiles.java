package com.warehouseexport.model.warehouse;

import java.util.Objects;

/**
 * Where an execution's result files are. {@code MANIFEST}: Redshift's UNLOAD manifest at {@code key} lists the
 * parts. {@code PREFIX}: every object whose key starts with {@code key} is a part, in key order (Athena: the
 * query's {@code <id>.csv}, or the UNLOAD's target directory), except Athena's own {@code .metadata} and
 * {@code -manifest.csv} files.
 */
public record ResultFiles(Layout layout, String bucket, String key) {
    public enum Layout {
        MANIFEST,
        PREFIX
    }

    public ResultFiles {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
    }

    /** True for files a PREFIX listing holds that are not data: Athena's metadata and data manifest. */
    public static boolean isBookkeeping(String key) {
        return key.endsWith(".metadata") || key.endsWith("-manifest.csv") || key.endsWith("/");
    }
}
