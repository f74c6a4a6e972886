package com.warehouseexport.localaws.athena;

import com.warehouseexport.localaws.athena.AthenaService.QueryFailure;
import com.warehouseexport.localaws.athena.ResultFiles.S3Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs an Athena UNLOAD: the target must be empty (Athena never overwrites), DuckDB writes the result with
 * {@code COPY ... TO} into a local temporary directory (no httpfs offline), the files are uploaded to the target
 * with Trino-style names, and the data manifest ({@code <id>-manifest.csv}, one S3 URL per line) and
 * {@code <id>.metadata} go to the query's output location.
 */
final class AthenaUnloader {
    /** DuckDB starts a new file past this size; Athena writes many files in parallel. */
    static final long FILE_SIZE_BYTES = 256L * 1024 * 1024;
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")
        .withZone(ZoneOffset.UTC);

    /** How the unloader reports to the query it runs for. */
    interface Control extends ResultFiles.CancelCheck {
        void register(Statement s);

        void unregister();

        /** The target was found empty and writing begins. */
        void started();
    }

    private final S3Client s3;

    AthenaUnloader(S3Client s3) {
        this.s3 = s3;
    }

    void run(Connection c, QueryExecution q, AthenaUnload unload, String select, Control control)
            throws QueryFailure, SQLException {
        S3Location target = new S3Location(unload.bucket(), unload.prefix());
        boolean rerun;
        synchronized (q) {
            rerun = q.unloadStarted;
        }
        if (rerun) {
            // an earlier attempt of this same query died while writing: its files are not someone else's data
            deleteAll(target);
        } else if (!listKeys(target, 1).isEmpty()) {
            throw new QueryFailure("HIVE_PATH_ALREADY_EXISTS: Target directory for table '"
                + (q.database == null ? "default" : q.database) + ".unload_" + q.id.replace("-", "")
                + "' already exists: s3://" + unload.bucket() + "/" + unload.prefix() + ". You may need to manually "
                + "clean the data at location 's3://" + unload.bucket() + "/" + unload.prefix() + "' before "
                + "retrying. Athena will not delete data in your account.");
        }
        control.started();
        Path dir;
        try {
            dir = Files.createTempDirectory("athena-unload-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            String sql = "COPY (" + select + ") TO " + AthenaSql.literal(dir.resolve("out").toString()) + " ("
                + options(unload) + ", FILE_SIZE_BYTES " + FILE_SIZE_BYTES + ", RETURN_FILES true)";
            long rows;
            List<Path> files = new ArrayList<>();
            try (Statement s = c.createStatement()) {
                control.register(s);
                try (ResultSet r = s.executeQuery(sql)) {
                    r.next();
                    rows = r.getLong("Count");
                    Array names = r.getArray("Files");
                    for (Object name : (Object[]) names.getArray()) {
                        files.add(Path.of(name.toString()));
                    }
                } finally {
                    control.unregister();
                }
            }
            control.check();
            files.sort(Comparator.comparing(Path::toString));
            String stem = NAME_TIME.format(q.submittedAt) + "_" + String.format(Locale.ROOT, "%05d",
                Math.abs(q.id.hashCode()) % 100000) + "_" + q.id.substring(0, 5);
            List<String> urls = new ArrayList<>();
            long bytes = 0;
            for (Path file : files) {
                control.check();
                String key = unload.prefix() + stem + "_" + UUID.randomUUID() + unload.extension();
                bytes += Files.size(file);
                ResultFiles.put(s3, new S3Location(unload.bucket(), key), RequestBody.fromFile(file),
                    "application/octet-stream");
                urls.add("s3://" + unload.bucket() + "/" + key);
            }
            S3Location output = S3Location.parse(q.outputDirectory);
            String manifestKey = output.key() + q.id + "-manifest.csv";
            StringBuilder manifest = new StringBuilder();
            urls.forEach(u -> manifest.append(u).append('\n'));
            ResultFiles.put(s3, new S3Location(output.bucket(), manifestKey),
                RequestBody.fromString(manifest.toString(), StandardCharsets.UTF_8), "text/csv");
            ResultFiles.put(s3, new S3Location(output.bucket(), output.key() + q.id + ".metadata"),
                RequestBody.fromString("{\"format\":\"" + unload.format() + "\",\"rows\":" + rows + "}",
                    StandardCharsets.UTF_8), "application/json");
            synchronized (q) {
                q.rows = rows;
                q.bytes = bytes;
                q.dataManifestLocation = "s3://" + output.bucket() + "/" + manifestKey;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static String options(AthenaUnload u) {
        String compression = switch (u.compression()) {
            case GZIP -> "gzip";
            case ZSTD -> "zstd";
            case SNAPPY -> "snappy";
            case NONE -> u.format() == AthenaUnload.Format.PARQUET ? "uncompressed" : "none";
        };
        return switch (u.format()) {
            case PARQUET -> "FORMAT parquet, COMPRESSION " + compression;
            // Hive text: no quoting, NULL as \N, no header
            case TEXTFILE -> "FORMAT csv, DELIMITER " + AthenaSql.literal(String.valueOf(u.fieldDelimiter()))
                + ", QUOTE '', ESCAPE '', HEADER false, NULLSTR '\\N', COMPRESSION " + compression;
            case JSON -> "FORMAT json, COMPRESSION " + compression;
        };
    }

    private List<String> listKeys(S3Location at, int max) throws QueryFailure {
        try {
            List<String> keys = new ArrayList<>();
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(at.bucket()).prefix(at.key()).maxKeys(
                    Math.min(max, 1000)))) {
                for (S3Object o : page.contents()) {
                    keys.add(o.key());
                    if (keys.size() >= max) {
                        return keys;
                    }
                }
            }
            return keys;
        } catch (S3Exception e) {
            throw new QueryFailure(AthenaErrors.s3(e, at));
        } catch (SdkClientException e) {
            throw new QueryFailure("HIVE_FILESYSTEM_ERROR: S3 request failed: " + e.getMessage());
        }
    }

    private void deleteAll(S3Location at) throws QueryFailure {
        List<String> keys = listKeys(at, Integer.MAX_VALUE);
        try {
            for (int from = 0; from < keys.size(); from += 1000) {
                List<ObjectIdentifier> ids = keys.subList(from, Math.min(keys.size(), from + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
                s3.deleteObjects(b -> b.bucket(at.bucket()).delete(Delete.builder().objects(ids).quiet(true).build()));
            }
        } catch (S3Exception e) {
            throw new QueryFailure(AthenaErrors.s3(e, at));
        }
    }

    private static void deleteRecursively(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
