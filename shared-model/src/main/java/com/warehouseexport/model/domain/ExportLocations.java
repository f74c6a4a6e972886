package com.warehouseexport.model.domain;

/** Where an export's files live (design page, export flow). Request ids are checked so keys stay predictable. */
public final class ExportLocations {
    private ExportLocations() {
    }

    /** {@code exports/<id>/}: everything UNLOAD writes for the request, in RESULTS_BUCKET. */
    public static String resultsPrefix(String requestId) {
        return "exports/" + checked(requestId) + "/";
    }

    /** {@code exports/<id>/part_}: the UNLOAD name prefix; parts are {@code part_0000_part_00} etc. */
    public static String partPrefix(String requestId) {
        return resultsPrefix(requestId) + "part_";
    }

    /** {@code exports/<id>/part_manifest}: the manifest UNLOAD writes with MANIFEST. */
    public static String manifestKey(String requestId) {
        return partPrefix(requestId) + "manifest";
    }

    /** {@code s3://<bucket>/exports/<id>/part_}: the UNLOAD {@code TO} target. */
    public static String unloadTarget(String resultsBucket, String requestId) {
        return "s3://" + resultsBucket + "/" + partPrefix(requestId);
    }

    /** {@code archives/<id>/<id>.zip} in ARCHIVE_BUCKET. */
    public static String archiveKey(String requestId) {
        String id = checked(requestId);
        return "archives/" + id + "/" + id + ".zip";
    }

    private static String checked(String requestId) {
        if (!RequestIds.isWellFormed(requestId)) {
            throw new IllegalArgumentException("not a request id: " + requestId);
        }
        return requestId;
    }
}
