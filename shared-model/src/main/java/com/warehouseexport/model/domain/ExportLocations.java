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

    /** {@code s3://<bucket>/exports/<id>/}: an Athena export's output location (its {@code <query id>.csv}). */
    public static String athenaOutputLocation(String resultsBucket, String requestId) {
        return "s3://" + resultsBucket + "/" + resultsPrefix(requestId);
    }

    /** {@code exports/<id>/data/}: where an Athena UNLOAD (Parquet) writes, apart from Athena's own files. */
    public static String athenaDataPrefix(String requestId) {
        return resultsPrefix(requestId) + "data/";
    }

    /** The request id of the first {@code exports/<id>/} in the text (an S3 URL or a statement), or null. */
    public static String requestIdIn(String text) {
        int from = 0;
        while (true) {
            int at = text.indexOf("exports/", from);
            if (at < 0 || at + "exports/".length() + 37 > text.length()) {
                return null;
            }
            String candidate = text.substring(at + "exports/".length(), at + "exports/".length() + 36);
            if (RequestIds.isWellFormed(candidate) && text.charAt(at + "exports/".length() + 36) == '/') {
                return candidate;
            }
            from = at + 1;
        }
    }

    private static String checked(String requestId) {
        if (!RequestIds.isWellFormed(requestId)) {
            throw new IllegalArgumentException("not a request id: " + requestId);
        }
        return requestId;
    }
}
