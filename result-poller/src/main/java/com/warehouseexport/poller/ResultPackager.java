package com.warehouseexport.poller;

import com.warehouseexport.model.lambda.Log;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportLocations;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import com.warehouseexport.model.warehouse.ResultFiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Streams an export's parts into one zip in the archive bucket: Redshift's parts as its UNLOAD manifest lists
 * them, Athena's (no manifest of its own in the results prefix) by listing the prefix the warehouse port names. Memory stays
 * bounded whatever the size: each part is read as a stream and copied into the zip, whose bytes go to S3 as
 * the parts of a multipart upload; nothing is held whole, nothing touches the disk.
 */
public final class ResultPackager {
    private static final int COPY_BUFFER = 64 * 1024;

    private final S3Client s3;
    private final String resultsBucket;
    private final String archiveBucket;
    private final int uploadPartSize;

    public ResultPackager(S3Client s3, String resultsBucket, String archiveBucket) {
        this(s3, resultsBucket, archiveBucket, MultipartUploadOutputStream.DEFAULT_PART_SIZE);
    }

    public ResultPackager(S3Client s3, String resultsBucket, String archiveBucket, int uploadPartSize) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.resultsBucket = Objects.requireNonNull(resultsBucket, "resultsBucket");
        this.archiveBucket = Objects.requireNonNull(archiveBucket, "archiveBucket");
        this.uploadPartSize = uploadPartSize;
    }

    public String archiveBucket() {
        return archiveBucket;
    }

    public String resultsBucket() {
        return resultsBucket;
    }

    /**
     * Packages the files the warehouse says the execution wrote: {@code null} or a MANIFEST layout is Redshift's
     * UNLOAD manifest ({@link #build(ExportRequest)}); a PREFIX layout is every data object under the prefix.
     */
    public PackagedArchive build(ExportRequest request, ResultFiles files) throws IOException {
        if (files == null || files.layout() == ResultFiles.Layout.MANIFEST) {
            return build(request);
        }
        return build(request, listParts(request.requestId(), files), -1);
    }

    /**
     * Writes {@code archives/<id>/<id>.zip}, replacing any earlier one. Rows: for CSV the data records counted
     * while copying (compressed parts decoded on the way; the manifest also counts each part's header line), for
     * Parquet the manifest's count (or the footers'), for Athena's JSON the lines counted while copying. Uploads an
     * earlier attempt left
     * unfinished for that key are aborted first. On failure nothing new is left in the archive bucket.
     *
     * @throws UnloadManifest.InvalidManifestException when the manifest or a part is missing or foreign:
     *                                                 trying again cannot help
     * @throws IOException                             or a {@code RuntimeException} from S3 for anything else
     */
    public PackagedArchive build(ExportRequest request) throws IOException {
        UnloadManifest manifest = readManifest(request.requestId());
        return build(request, manifest, manifest.recordCount());
    }

    /** {@code manifestRows}: Parquet rows as the manifest counts them, -1 to read them from each part's footer. */
    private PackagedArchive build(ExportRequest request, UnloadManifest manifest, long manifestRows)
            throws IOException {
        String requestId = request.requestId();
        String archiveKey = ExportLocations.archiveKey(requestId);
        abortLeftoverUploads(archiveKey);

        MultipartUploadOutputStream upload =
                new MultipartUploadOutputStream(s3, archiveBucket, archiveKey, "application/zip", uploadPartSize);
        long csvDataRows = 0;
        long jsonRows = 0;
        long parquetRows = 0;
        boolean csv = request.format() == ExportFormat.CSV;
        // Redshift's manifest counts JSON rows; Athena's UNLOAD leaves them to be counted here
        boolean countJson = request.format() == ExportFormat.JSON && manifestRows < 0;
        try {
            ZipOutputStream zip = new ZipOutputStream(upload);
            int index = 0;
            for (UnloadManifest.Entry entry : manifest.entries()) {
                boolean gunzip = unpacked(request, entry);
                // Already-compressed parts are stored as they are: deflating them again costs CPU and gains nothing.
                // (Level 0 writes stored deflate blocks: a true STORED entry would need its CRC before its bytes.)
                zip.setLevel(!gunzip && alreadyCompressed(request, entry) ? Deflater.NO_COMPRESSION
                        : Deflater.DEFAULT_COMPRESSION);
                zip.putNextEntry(new ZipEntry(entryName(request, index++)));
                RecordCounter counter = csv ? new CsvRecordCounter() : countJson ? new JsonLineCounter() : null;
                long copied = copyPart(entry, zip, gunzip, counter, request.compression());
                if (entry.contentLength() >= 0 && copied != entry.contentLength()) {
                    throw new IOException("part s3://" + entry.bucket() + "/" + entry.key() + " has " + copied
                            + " bytes, the manifest says " + entry.contentLength());
                }
                if (csv) {
                    csvDataRows += Math.max(0, counter.records() - 1); // every CSV part starts with the header
                } else if (countJson) {
                    jsonRows += counter.records();
                } else if (manifestRows < 0) {
                    parquetRows += parquetRows(entry);
                }
                zip.closeEntry();
            }
            zip.close(); // writes the central directory, then completes the upload
        } catch (IOException | RuntimeException e) {
            upload.abort();
            throw e;
        }
        long rows = csv ? csvDataRows : countJson ? jsonRows : manifestRows >= 0 ? manifestRows : parquetRows;
        if (manifestRows >= 0 && rows != manifest.recordCount()) {
            // Redshift's VERBOSE manifest counts each CSV part's header line as a record.
            Log.info("request %s: %d data rows (the manifest counts %d records in %d part(s))", requestId, rows,
                    manifest.recordCount(), manifest.entries().size());
        }
        return new PackagedArchive(archiveKey, upload.bytesWritten(), rows, manifest.entries().size());
    }

    /** Parquet (Snappy inside), and parts UNLOAD wrote with GZIP or ZSTD. */
    static boolean alreadyCompressed(ExportRequest request, UnloadManifest.Entry entry) {
        String key = entry.key();
        return request.format() == ExportFormat.PARQUET || request.compression() != Compression.NONE || key.endsWith(".parquet") || key.endsWith(".gz")
                || key.endsWith(".zst");
    }

    /**
     * Athena gzips every JSON UNLOAD: those parts go into the zip unpacked, so a JSON archive holds plain
     * {@code .json} files whichever engine ran it (the zip deflates them, as it does CSV).
     */
    static boolean unpacked(ExportRequest request, UnloadManifest.Entry entry) {
        return request.format() == ExportFormat.JSON && entry.key().endsWith(".gz");
    }

    /** {@code <dataset>-part-0000.csv} ({@code .csv.gz}, {@code .csv.zst} when compressed), in manifest order. */
    static String entryName(ExportRequest request, int index) {
        return String.format("%s-part-%04d.%s", request.dataset(), index, request.fileExtension());
    }

    UnloadManifest readManifest(String requestId) throws IOException {
        String manifestKey = ExportLocations.manifestKey(requestId);
        UnloadManifest manifest;
        try (InputStream in = s3.getObject(b -> b.bucket(resultsBucket).key(manifestKey))) {
            manifest = UnloadManifest.parse(Json.parse(in));
        } catch (NoSuchKeyException e) {
            throw new UnloadManifest.InvalidManifestException("no manifest at s3://" + resultsBucket + "/" + manifestKey);
        } catch (Json.MalformedJsonException e) {
            throw new UnloadManifest.InvalidManifestException("manifest s3://" + resultsBucket + "/" + manifestKey
                    + " is not JSON: " + e.getMessage());
        }
        // Only this request's own parts: the manifest is data, not an instruction to read other objects.
        String prefix = ExportLocations.resultsPrefix(requestId);
        for (UnloadManifest.Entry entry : manifest.entries()) {
            if (!entry.bucket().equals(resultsBucket) || !entry.key().startsWith(prefix)
                    || entry.key().contains("..")) {
                throw new UnloadManifest.InvalidManifestException("manifest lists s3://" + entry.bucket() + "/"
                        + entry.key() + ", outside s3://" + resultsBucket + "/" + prefix);
            }
        }
        return manifest;
    }

    /**
     * The data objects under the prefix the warehouse named, in key order, as a manifest of this request's own
     * results (anything outside {@code exports/<id>/} of the results bucket is refused, as for a manifest).
     */
    UnloadManifest listParts(String requestId, ResultFiles files) {
        String own = ExportLocations.resultsPrefix(requestId);
        if (!files.bucket().equals(resultsBucket) || !files.key().startsWith(own) || files.key().contains("..")) {
            throw new UnloadManifest.InvalidManifestException("the warehouse names s3://" + files.bucket() + "/"
                    + files.key() + ", outside s3://" + resultsBucket + "/" + own);
        }
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(resultsBucket).prefix(files.key())).contents().forEach(o -> {
            if (!ResultFiles.isBookkeeping(o.key())) {
                objects.add(o);
            }
        });
        if (objects.isEmpty()) {
            throw new UnloadManifest.InvalidManifestException("no result files under s3://" + resultsBucket + "/"
                    + files.key());
        }
        objects.sort(Comparator.comparing(S3Object::key));
        List<UnloadManifest.Entry> entries = new ArrayList<>();
        long bytes = 0;
        for (S3Object o : objects) {
            entries.add(new UnloadManifest.Entry(resultsBucket, o.key(), o.size()));
            bytes += o.size();
        }
        return new UnloadManifest(entries, bytes, -1, null);
    }

    /** Rows of one Parquet part from its footer: two ranged reads of the object's end. */
    private long parquetRows(UnloadManifest.Entry entry) throws IOException {
        long size = entry.contentLength();
        if (size < 12) {
            throw new UnloadManifest.InvalidManifestException("part s3://" + entry.bucket() + "/" + entry.key()
                    + " is too short for Parquet");
        }
        byte[] tail = s3.getObjectAsBytes(b -> b.bucket(entry.bucket()).key(entry.key())
                .range("bytes=" + (size - 8) + "-" + (size - 1))).asByteArray();
        int length = ParquetRowCount.footerLength(tail);
        byte[] footer = s3.getObjectAsBytes(b -> b.bucket(entry.bucket()).key(entry.key())
                .range("bytes=" + (size - 8 - length) + "-" + (size - 9))).asByteArray();
        return ParquetRowCount.numRows(footer);
    }

    /**
     * Copies one part into the open zip entry, counting records of what goes in when asked: a gzip part of Athena's
     * JSON goes in decoded; a compressed CSV part (the caller's {@code compression}) goes in as it is, decoded only
     * for counting. Returns the part's own (stored) bytes.
     */
    private long copyPart(UnloadManifest.Entry entry, ZipOutputStream zip, boolean gunzip, RecordCounter counter,
                          Compression compression) throws IOException {
        try (ResponseInputStream<GetObjectResponse> part =
                     s3.getObject(b -> b.bucket(entry.bucket()).key(entry.key()))) {
            if (gunzip) {
                return CompressedPart.copyDecoded(part, zip, counter);
            }
            if (counter != null && compression != Compression.NONE) {
                return CompressedPart.copyCounting(part, zip, compression, counter);
            }
            byte[] buffer = new byte[COPY_BUFFER];
            long copied = 0;
            for (int read; (read = part.read(buffer)) >= 0; ) {
                zip.write(buffer, 0, read);
                if (counter != null) {
                    counter.update(buffer, 0, read);
                }
                copied += read;
            }
            return copied;
        } catch (NoSuchKeyException e) {
            throw new UnloadManifest.InvalidManifestException("part s3://" + entry.bucket() + "/" + entry.key()
                    + " listed in the manifest does not exist");
        }
    }

    /**
     * Best effort: the bucket's lifecycle rule for incomplete uploads is the safety net, so a failure here
     * (say, a role without {@code s3:ListBucketMultipartUploads}) must not stop the packaging.
     */
    private void abortLeftoverUploads(String archiveKey) {
        try {
            for (MultipartUpload upload : s3.listMultipartUploads(b -> b.bucket(archiveBucket).prefix(archiveKey))
                    .uploads()) {
                if (upload.key().equals(archiveKey)) {
                    Log.info("aborting upload %s left unfinished for s3://%s/%s", upload.uploadId(), archiveBucket,
                            archiveKey);
                    s3.abortMultipartUpload(b -> b.bucket(archiveBucket).key(archiveKey).uploadId(upload.uploadId()));
                }
            }
        } catch (S3Exception e) {
            Log.warn("could not abort leftover uploads of s3://%s/%s: %s", archiveBucket, archiveKey, e.getMessage());
        }
    }
}
