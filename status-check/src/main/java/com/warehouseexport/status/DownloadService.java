package com.warehouseexport.status;

import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.domain.Timestamps;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.json.ApiResponse;
import com.warehouseexport.model.lambda.Log;
import com.warehouseexport.model.links.LinkTokens;
import com.warehouseexport.model.table.ControlTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The two ways to the archive of a finished export, both answered with a redirect to an S3 URL presigned at that
 * moment (so it lives only minutes and never outlives the credentials that signed it):
 * <ul>
 *   <li>{@code GET /exports/{id}/download}, SigV4-signed, for the request's owner;</li>
 *   <li>{@code GET /links/{token}}, unsigned (people click it in the email), where the HMAC-signed token names the
 *       request and the link's expiry.</li>
 * </ul>
 * The link's expiry is the request's {@code resultExpiresAt}: completion plus {@code LINK_EXPIRY_SECONDS}.
 */
public final class DownloadService {
    /** Lifetime of the presigned URL a redirect points at; shorter when the link expires sooner. */
    public static final Duration PRESIGNED_LIFETIME = Duration.ofMinutes(10);

    private final StatusService status;
    private final ControlTable table;
    private final S3Presigner presigner;
    private final String archiveBucket;
    private final LinkTokens tokens;
    private final Clock clock;

    public DownloadService(StatusService status, S3Presigner presigner, String archiveBucket, LinkTokens tokens,
                           Clock clock) {
        this.status = Objects.requireNonNull(status, "status");
        this.table = status.table();
        this.presigner = Objects.requireNonNull(presigner, "presigner");
        this.archiveBucket = Objects.requireNonNull(archiveBucket, "archiveBucket");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@code GET /exports/{id}/download}: 302 to the archive; 404 as for status (missing, another caller's,
     * malformed id); 409 {@code not_ready} before SUCCEEDED; 410 {@code expired} after the link's expiry.
     */
    public ApiResponse download(String owner, String requestId) {
        ExportRequest request = status.find(owner, requestId);
        if (request.state() != RequestState.SUCCEEDED || request.result() == null
                || request.result().archiveKey() == null) {
            String why = request.state() == RequestState.FAILED || request.state() == RequestState.CANCELLED
                    ? "; it will not produce an archive" : "; try again when it is SUCCEEDED";
            throw ApiException.of(409, "not_ready", "export request " + request.requestId() + " is "
                    + request.state() + why);
        }
        Instant now = clock.instant();
        ExportResult result = request.result();
        if (result.expiresAt() != null && !now.isBefore(result.expiresAt())) {
            throw ApiException.of(410, "expired", "the download of export request " + request.requestId()
                    + " expired at " + Timestamps.format(result.expiresAt()));
        }
        return redirect(presign(request, now), "application/json");
    }

    /**
     * {@code GET /links/{token}}: 302 to the archive while the token is valid; 410 once it has expired; 403 for
     * anything that is not a token we signed (the page says nothing more); 404 when the export is gone.
     */
    public ApiResponse follow(String token) {
        LinkTokens.Verification verification = tokens.verify(token);
        if (verification instanceof LinkTokens.Invalid invalid) {
            Log.info("download link refused: %s", invalid.reason());
            return LinkPages.invalid();
        }
        if (verification instanceof LinkTokens.Expired expired) {
            return LinkPages.expired(expired.token().expiresAt());
        }
        String requestId = ((LinkTokens.Valid) verification).token().requestId();
        Optional<ExportRequest> request = RequestIds.isWellFormed(requestId) ? table.get(requestId) : Optional.empty();
        if (request.isEmpty() || request.get().state() != RequestState.SUCCEEDED || request.get().result() == null
                || request.get().result().archiveKey() == null) {
            Log.warn("download link for request %s: no archive to serve", requestId);
            return LinkPages.gone();
        }
        return redirect(presign(request.get(), clock.instant()), "text/html; charset=utf-8");
    }

    private String presign(ExportRequest request, Instant now) {
        Duration lifetime = PRESIGNED_LIFETIME;
        Instant expiresAt = request.result().expiresAt();
        // never outlive the link itself
        if (expiresAt != null && Duration.between(now, expiresAt).compareTo(lifetime) < 0) {
            lifetime = Duration.ofSeconds(Math.max(1, Duration.between(now, expiresAt).getSeconds()));
        }
        Duration signatureDuration = lifetime;
        return presigner.presignGetObject(p -> p
                        .signatureDuration(signatureDuration)
                        .getObjectRequest(g -> g
                                .bucket(archiveBucket)
                                .key(request.result().archiveKey())
                                .responseContentDisposition("attachment; filename=\"" + request.requestId()
                                        + ".zip\"")))
                .url()
                .toString();
    }

    private static ApiResponse redirect(String location, String contentType) {
        // no-referrer: the S3 request must not carry the link (and its token) as Referer
        return new ApiResponse(302, Map.of(
                "Location", location,
                "Content-Type", contentType,
                "Cache-Control", "no-store",
                "Referrer-Policy", "no-referrer"), "");
    }
}
