package com.warehouseexport.poller;

import static com.warehouseexport.poller.TestRequests.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportLocations;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import io.airlift.compress.zstd.ZstdOutputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

@LocalAwsTest
class ResultPackagerTest {
    private static final int PART_SIZE = MultipartUploadOutputStream.MIN_PART_SIZE;

    private static ExportRequest packaging(String requestId, ExportFormat format) {
        return new ExportRequest(requestId, "arn:aws:iam::000000000000:user/partner-a", "product_detail",
                TestRequests.skuParameters("FLOWER12"), format, RequestState.PACKAGING, 5, T0, T0, "st-1", null, null);
    }

    /** Writes CSV parts (header + rows) and a VERBOSE manifest as UNLOAD does; returns the parts' texts. */
    static List<String> writeUnloadOutput(S3Client s3, String bucket, String requestId, int[] rowsPerPart) {
        List<String> parts = new ArrayList<>();
        java.util.Random random = new java.util.Random(requestId.hashCode());
        StringBuilder entries = new StringBuilder();
        long totalRows = 0;
        long totalBytes = 0;
        for (int p = 0; p < rowsPerPart.length; p++) {
            StringBuilder csv = new StringBuilder("sku,productname,quantity,token\n");
            for (int r = 0; r < rowsPerPart[p]; r++) {
                csv.append("SKU-").append(p).append('-').append(r).append(",Product number ").append(r)
                        .append(" of part ").append(p).append(',').append(r * 7 % 1000).append(',')
                        .append(Long.toHexString(random.nextLong())).append(Long.toHexString(random.nextLong()))
                        .append('\n');
            }
            String key = ExportLocations.partPrefix(requestId) + String.format("%04d_part_00", p);
            byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
            s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
            parts.add(csv.toString());
            entries.append(p == 0 ? "" : ",").append("{\"url\":\"s3://").append(bucket).append('/').append(key)
                    .append("\",\"meta\":{\"content_length\":").append(bytes.length).append(",\"record_count\":")
                    .append(rowsPerPart[p] + 1).append("}}");
            totalRows += rowsPerPart[p] + 1; // as Redshift does, the manifest counts the header line too
            totalBytes += bytes.length;
        }
        String manifest = "{\"entries\":[" + entries + "],\"schema\":{\"elements\":[{\"name\":\"sku\"}]},"
                + "\"meta\":{\"content_length\":" + totalBytes + ",\"record_count\":" + totalRows + "},"
                + "\"author\":{\"name\":\"Amazon Redshift\",\"version\":\"1.0.0\"}}";
        s3.putObject(b -> b.bucket(bucket).key(ExportLocations.manifestKey(requestId)), RequestBody.fromString(manifest));
        return parts;
    }

    static Map<String, String> unzip(InputStream in) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                zip.transferTo(content);
                entries.put(entry.getName(), content.toString(StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    private static void buckets(S3Client s3, String results, String archive) {
        s3.createBucket(b -> b.bucket(results));
        s3.createBucket(b -> b.bucket(archive));
    }

    @Test
    void zipsEveryPartInManifestOrderAcrossUploadParts(S3Client s3) throws IOException {
        buckets(s3, "pack-results", "pack-archive");
        String id = RequestIds.newId();
        // ~30 MB of CSV with random tokens: the archive spans several 5 MiB upload parts even after deflate
        List<String> parts = writeUnloadOutput(s3, "pack-results", id, new int[] {150_000, 100_000, 0, 130_000});
        ResultPackager packager = new ResultPackager(s3, "pack-results", "pack-archive", PART_SIZE);

        long started = System.nanoTime();
        PackagedArchive archive = packager.build(packaging(id, ExportFormat.CSV));
        long millis = (System.nanoTime() - started) / 1_000_000;
        long csvBytes = parts.stream().mapToLong(p -> p.getBytes(StandardCharsets.UTF_8).length).sum();
        System.out.printf("packaged %,d CSV bytes into a %,d-byte zip in %d ms%n", csvBytes, archive.bytes(), millis);

        assertEquals(ExportLocations.archiveKey(id), archive.archiveKey());
        assertTrue(archive.bytes() > 2L * PART_SIZE, "archive of " + archive.bytes() + " bytes spans 3+ upload parts");
        assertEquals(380_000, archive.rows());
        assertEquals(4, archive.parts());
        assertEquals(archive.bytes(), s3.headObject(b -> b.bucket("pack-archive").key(archive.archiveKey())).contentLength());
        Map<String, String> entries = unzip(s3.getObject(b -> b.bucket("pack-archive").key(archive.archiveKey())));
        assertEquals(List.of("product_detail-part-0000.csv", "product_detail-part-0001.csv",
                "product_detail-part-0002.csv", "product_detail-part-0003.csv"), List.copyOf(entries.keySet()));
        int index = 0;
        for (String content : entries.values()) {
            assertEquals(parts.get(index++), content);
        }
        assertEquals(0, s3.listMultipartUploads(b -> b.bucket("pack-archive")).uploads().size());
    }

    @Test
    void anEmptyResultIsAnEmptyZipAndParquetKeepsItsExtension(S3Client s3) throws IOException {
        buckets(s3, "pack-empty-results", "pack-empty-archive");
        String id = RequestIds.newId();
        writeUnloadOutput(s3, "pack-empty-results", id, new int[] {});
        PackagedArchive archive = new ResultPackager(s3, "pack-empty-results", "pack-empty-archive")
                .build(packaging(id, ExportFormat.PARQUET));
        assertEquals(0, archive.rows());
        assertEquals(0, archive.parts());
        assertTrue(unzip(s3.getObject(b -> b.bucket("pack-empty-archive").key(archive.archiveKey()))).isEmpty());
        assertEquals("product_detail-part-0007.parquet",
                ResultPackager.entryName(packaging(id, ExportFormat.PARQUET), 7));
    }

    @Test
    void abortsUploadsAnEarlierAttemptLeftBehind(S3Client s3) throws IOException {
        buckets(s3, "pack-left-results", "pack-left-archive");
        String id = RequestIds.newId();
        writeUnloadOutput(s3, "pack-left-results", id, new int[] {10});
        String key = ExportLocations.archiveKey(id);
        // a poller that died mid-way: one upload started for the key, one for an unrelated key
        s3.createMultipartUpload(b -> b.bucket("pack-left-archive").key(key));
        s3.createMultipartUpload(b -> b.bucket("pack-left-archive").key(key + ".other"));

        new ResultPackager(s3, "pack-left-results", "pack-left-archive").build(packaging(id, ExportFormat.CSV));

        List<String> pending = s3.listMultipartUploads(b -> b.bucket("pack-left-archive")).uploads().stream()
                .map(u -> u.key()).toList();
        assertEquals(List.of(key + ".other"), pending);
    }

    @Test
    void missingOrForeignPartsAreInvalidAndLeaveNoArchive(S3Client s3) {
        buckets(s3, "pack-bad-results", "pack-bad-archive");
        ResultPackager packager = new ResultPackager(s3, "pack-bad-results", "pack-bad-archive", PART_SIZE);

        String noManifest = RequestIds.newId();
        assertThrows(UnloadManifest.InvalidManifestException.class,
                () -> packager.build(packaging(noManifest, ExportFormat.CSV)));

        String foreign = RequestIds.newId();
        String other = RequestIds.newId();
        writeUnloadOutput(s3, "pack-bad-results", other, new int[] {5});
        String manifest = "{\"entries\":[{\"url\":\"s3://pack-bad-results/" + ExportLocations.partPrefix(other)
                + "0000_part_00\"}],\"meta\":{\"record_count\":5}}";
        s3.putObject(b -> b.bucket("pack-bad-results").key(ExportLocations.manifestKey(foreign)),
                RequestBody.fromString(manifest));
        UnloadManifest.InvalidManifestException refused = assertThrows(UnloadManifest.InvalidManifestException.class,
                () -> packager.build(packaging(foreign, ExportFormat.CSV)));
        assertTrue(refused.getMessage().contains("outside"), refused.getMessage());

        String gone = RequestIds.newId();
        writeUnloadOutput(s3, "pack-bad-results", gone, new int[] {200_000, 5});
        s3.deleteObject(b -> b.bucket("pack-bad-results").key(ExportLocations.partPrefix(gone) + "0001_part_00"));
        assertThrows(UnloadManifest.InvalidManifestException.class, () -> packager.build(packaging(gone, ExportFormat.CSV)));

        for (String id : List.of(noManifest, foreign, gone)) {
            assertThrows(NoSuchKeyException.class,
                    () -> s3.headObject(b -> b.bucket("pack-bad-archive").key(ExportLocations.archiveKey(id))));
        }
        assertEquals(0, s3.listMultipartUploads(b -> b.bucket("pack-bad-archive")).uploads().size(),
                "the failed attempt aborted its upload");
    }

    private static ExportRequest packaging(String requestId, Compression compression) {
        ExportRequest r = packaging(requestId, ExportFormat.CSV);
        return new ExportRequest(r.requestId(), r.owner(), r.dataset(), r.parameters(), r.format(), r.state(),
                r.version(), r.createdAt(), r.updatedAt(), r.statementId(), r.result(), r.error(), compression);
    }

    private static byte[] compress(String text, Compression compression) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        if (compression == Compression.GZIP) {
            // two gzip members, as concatenating writers produce: both must be decoded and counted
            int half = data.length / 2;
            try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
                out.write(data, 0, half);
            }
            ByteArrayOutputStream second = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(second)) {
                out.write(data, half, data.length - half);
            }
            bytes.write(second.toByteArray());
        } else {
            try (ZstdOutputStream out = new ZstdOutputStream(bytes)) {
                out.write(data);
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void compressedPartsAreStoredAsTheyAreAndTheirRowsCounted(S3Client s3) throws IOException {
        buckets(s3, "pack-zip-results", "pack-zip-archive");
        for (Compression compression : List.of(Compression.GZIP, Compression.ZSTD)) {
            String id = RequestIds.newId();
            // quoted line breaks and commas: records, not lines, are counted
            String[] csv = {"sku,note\nA-1,\"two\nlines\"\nA-2,\"x, y\"\n", "sku,note\n",
                    "sku,note\n" + "B-9,\"\"\"quoted\"\"\"\n".repeat(70_000)};
            List<byte[]> stored = new ArrayList<>();
            StringBuilder entries = new StringBuilder();
            for (int p = 0; p < csv.length; p++) {
                byte[] bytes = compress(csv[p], compression);
                stored.add(bytes);
                String key = ExportLocations.partPrefix(id) + String.format("%04d_part_00", p)
                        + compression.fileSuffix();
                s3.putObject(b -> b.bucket("pack-zip-results").key(key), RequestBody.fromBytes(bytes));
                entries.append(p == 0 ? "" : ",").append("{\"url\":\"s3://pack-zip-results/").append(key)
                        .append("\",\"meta\":{\"content_length\":").append(bytes.length).append("}}");
            }
            s3.putObject(b -> b.bucket("pack-zip-results").key(ExportLocations.manifestKey(id)),
                    RequestBody.fromString("{\"entries\":[" + entries + "],\"meta\":{\"record_count\":70005}}"));

            PackagedArchive archive = new ResultPackager(s3, "pack-zip-results", "pack-zip-archive", PART_SIZE)
                    .build(packaging(id, compression));
            assertEquals(70_002, archive.rows(), compression + ": data rows, headers and the manifest aside");
            assertEquals(3, archive.parts());

            Path zipFile = Files.createTempFile("archive", ".zip");
            try {
                Files.write(zipFile, s3.getObjectAsBytes(b -> b.bucket("pack-zip-archive").key(archive.archiveKey()))
                        .asByteArray());
                try (ZipFile zip = new ZipFile(zipFile.toFile())) {
                    List<String> names = zip.stream().map(ZipEntry::getName).toList();
                    String ext = ".csv" + compression.fileSuffix();
                    assertEquals(List.of("product_detail-part-0000" + ext, "product_detail-part-0001" + ext,
                            "product_detail-part-0002" + ext), names);
                    for (int p = 0; p < csv.length; p++) {
                        ZipEntry entry = zip.getEntry(names.get(p));
                        try (InputStream in = zip.getInputStream(entry)) {
                            assertTrue(java.util.Arrays.equals(stored.get(p), in.readAllBytes()), names.get(p));
                        }
                        // deflate level 0: stored blocks, a few bytes of framing per 64 KiB, never smaller
                        long size = stored.get(p).length;
                        assertTrue(entry.getCompressedSize() >= size
                                && entry.getCompressedSize() <= size + 16 + size / 1000,
                                names.get(p) + ": " + size + " → " + entry.getCompressedSize());
                    }
                }
            } finally {
                Files.deleteIfExists(zipFile);
            }
        }
    }
}
