package com.warehouseexport.poller;

import java.time.Duration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The download link of an archive: a presigned GET that also names the file for browsers. */
public final class ArchiveLinks {
    private ArchiveLinks() {
    }

    public static String presign(S3Presigner presigner, String bucket, String key, String requestId, Duration expiry) {
        return presigner.presignGetObject(p -> p
                        .signatureDuration(expiry)
                        .getObjectRequest(g -> g
                                .bucket(bucket)
                                .key(key)
                                .responseContentDisposition("attachment; filename=\"" + requestId + ".zip\"")))
                .url()
                .toString();
    }
}
