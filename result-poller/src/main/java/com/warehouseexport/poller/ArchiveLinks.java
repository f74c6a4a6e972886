package com.warehouseexport.poller;

import com.warehouseexport.model.links.DownloadLinks;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The download link a finished export gets (emailed, and shown by the status as {@code result.downloadUrl}).
 * Normally a durable link through the API ({@link #durable}); a presigned S3 URL ({@link #presigned}) only when
 * the poller runs without the API (no {@code PUBLIC_API_URL}), because such a URL dies with the credentials that
 * signed it (the function role's session), whatever its expiry says.
 */
@FunctionalInterface
public interface ArchiveLinks {

    /** The link to {@code archiveKey} of request {@code requestId}, valid until {@code expiresAt}. */
    String linkFor(String requestId, String bucket, String archiveKey, Instant signedAt, Instant expiresAt);

    /** {@code <api>/links/<token>}: the API redirects to a freshly presigned URL on every click until expiry. */
    static ArchiveLinks durable(DownloadLinks links) {
        Objects.requireNonNull(links, "links");
        return (requestId, bucket, archiveKey, signedAt, expiresAt) -> links.linkFor(requestId, expiresAt);
    }

    /** A presigned GET of the archive itself. */
    static ArchiveLinks presigned(S3Presigner presigner) {
        Objects.requireNonNull(presigner, "presigner");
        return (requestId, bucket, archiveKey, signedAt, expiresAt) ->
                presign(presigner, bucket, archiveKey, requestId, Duration.between(signedAt, expiresAt));
    }

    /** A presigned GET that also names the file for browsers. */
    static String presign(S3Presigner presigner, String bucket, String key, String requestId, Duration expiry) {
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
