package com.warehouseexport.poller;

import com.warehouseexport.model.lambda.Log;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Writes one S3 object of any size through a fixed buffer: each time the buffer fills it becomes a part of a
 * multipart upload, {@link #close()} uploads the rest and completes the upload, and any failure aborts it, so
 * the object either appears whole or not at all. Memory is the buffer, whatever the object's size.
 *
 * <p>A writer whose own work fails must call {@link #abort()} rather than {@code close()}: closing means
 * "this is the whole object" and would publish a truncated one. So never put this stream in a
 * try-with-resources block. The upload is created with the first part, so a stream abandoned before a full
 * buffer was written leaves nothing behind in S3. Not thread-safe.
 */
public final class MultipartUploadOutputStream extends OutputStream {
    /** S3 refuses parts under 5 MiB, except the last one. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    /** S3's limit on the number of parts; with 8 MiB parts that is about 78 GiB. */
    public static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String contentType;
    private final byte[] buffer;
    private final List<CompletedPart> parts = new ArrayList<>();

    private int buffered;
    private long bytesWritten;
    private String uploadId;
    private boolean closed;
    private boolean aborted;

    public MultipartUploadOutputStream(S3Client s3, String bucket, String key, String contentType) {
        this(s3, bucket, key, contentType, DEFAULT_PART_SIZE);
    }

    public MultipartUploadOutputStream(S3Client s3, String bucket, String key, String contentType, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size " + partSize + " is under S3's minimum of " + MIN_PART_SIZE);
        }
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
        this.key = Objects.requireNonNull(key, "key");
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.buffer = new byte[partSize];
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        buffer[buffered++] = (byte) b;
        bytesWritten++;
        if (buffered == buffer.length) {
            uploadBufferedPart();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureOpen();
        while (length > 0) {
            int chunk = Math.min(length, buffer.length - buffered);
            System.arraycopy(bytes, offset, buffer, buffered, chunk);
            buffered += chunk;
            bytesWritten += chunk;
            offset += chunk;
            length -= chunk;
            if (buffered == buffer.length) {
                uploadBufferedPart();
            }
        }
    }

    /** Does nothing: a part can only be sent once it is full (or the last one, on close). */
    @Override
    public void flush() {
    }

    /** Uploads what is buffered as the last part and completes the upload. A failure aborts it. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        ensureOpen();
        try {
            // An object needs at least one part; an empty last part is accepted.
            if (buffered > 0 || parts.isEmpty()) {
                uploadBufferedPart();
            }
            s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder()
                    .bucket(bucket)
                    .key(key)
                    .uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
                    .build());
            closed = true;
        } catch (IOException | RuntimeException e) {
            abort();
            throw e instanceof IOException io ? io : new IOException("completing upload of s3://" + bucket + "/" + key
                    + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Abandons the object: aborts the multipart upload (if one was started) so its parts stop costing
     * storage. Safe to call more than once and after a failure; never throws.
     */
    public void abort() {
        if (closed || aborted) {
            return;
        }
        aborted = true;
        if (uploadId != null) {
            try {
                s3.abortMultipartUpload(AbortMultipartUploadRequest.builder()
                        .bucket(bucket).key(key).uploadId(uploadId).build());
            } catch (RuntimeException e) {
                // A bucket lifecycle rule for incomplete uploads is the safety net; the original error matters more.
                Log.warn("abort of upload %s of s3://%s/%s failed: %s", uploadId, bucket, key, e);
            }
        }
    }

    /** Bytes accepted so far: once closed, the size of the object. */
    public long bytesWritten() {
        return bytesWritten;
    }

    public int partsUploaded() {
        return parts.size();
    }

    public boolean isAborted() {
        return aborted;
    }

    private void uploadBufferedPart() throws IOException {
        int partNumber = parts.size() + 1;
        if (partNumber > MAX_PARTS) {
            abort();
            throw new IOException("s3://" + bucket + "/" + key + " would need more than " + MAX_PARTS + " parts");
        }
        try {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(CreateMultipartUploadRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .contentType(contentType)
                        .checksumAlgorithm(ChecksumAlgorithm.CRC32)
                        .build()).uploadId();
            }
            int length = buffered;
            // A fresh stream over the buffer for every attempt: the SDK can retry without a copy of the part.
            UploadPartResponse response = s3.uploadPart(UploadPartRequest.builder()
                            .bucket(bucket)
                            .key(key)
                            .uploadId(uploadId)
                            .partNumber(partNumber)
                            .contentLength((long) length)
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32)
                            .build(),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                            "application/octet-stream"));
            parts.add(CompletedPart.builder()
                    .partNumber(partNumber)
                    .eTag(response.eTag())
                    .checksumCRC32(response.checksumCRC32())
                    .build());
            buffered = 0;
        } catch (RuntimeException e) {
            abort();
            throw new IOException("uploading part " + partNumber + " of s3://" + bucket + "/" + key + " failed: "
                    + e.getMessage(), e);
        }
    }

    private void ensureOpen() throws IOException {
        if (aborted) {
            throw new IOException("upload of s3://" + bucket + "/" + key + " was aborted");
        }
        if (closed) {
            throw new IOException("stream is closed");
        }
    }
}
