package com.warehouseexport.localaws.redshift;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.redshift.UnloadCommand.Format;
import com.warehouseexport.localaws.redshift.UnloadCommand.UnloadException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs an UNLOAD: DuckDB writes the query result with {@code COPY ... TO} into a local temporary directory
 * (there is no httpfs offline), then the parts are streamed to S3 with Redshift's names and, if asked, the
 * manifest is written last. Temporary files are deleted whatever happens.
 */
final class Unloader {

    /** What an UNLOAD did: rows written and the S3 keys it created (data parts, then the manifest). */
    record Result(long rows, List<String> keys) {
    }

    /** Told the keys an UNLOAD is about to write, before the first upload (so a crash can clean them up). */
    interface UploadListener {
        void beforeUpload(List<String> keys);
    }

    private record Column(String name, String duckType) {
    }

    private record Part(Path file, long rows, long size) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATA_FILE_INDEX = Pattern.compile("data_(\\d+)");

    private final S3Client s3;
    private volatile long multipartThreshold = 256 * UnloadCommand.MB;
    private volatile long multipartPartSize = 64 * UnloadCommand.MB;

    Unloader(S3Client s3) {
        this.s3 = s3;
    }

    /** Files above {@code threshold} bytes go up as multipart uploads of {@code partSize} (S3 needs ≥ 5 MB). */
    void setMultipart(long threshold, long partSize) {
        if (partSize < 5 * UnloadCommand.MB) {
            throw new IllegalArgumentException("S3 parts must be at least 5 MB");
        }
        this.multipartThreshold = threshold;
        this.multipartPartSize = partSize;
    }

    Result run(Connection c, UnloadCommand cmd, CancelSignal cancel, UploadListener listener)
            throws UnloadException, SQLException {
        try {
            return unload(c, cmd, cancel, listener);
        } catch (SQLException e) {
            if (cancel.cancelled()) {
                throw e;
            }
            // name the inner query's relations and columns, not the UNLOAD around them
            throw new UnloadException(RedshiftErrors.translate(e.getMessage(), cmd.query()), e);
        }
    }

    private Result unload(Connection c, UnloadCommand cmd, CancelSignal cancel, UploadListener listener)
            throws UnloadException, SQLException {
        if (s3 == null) {
            throw new UnloadException("ERROR: UNLOAD is not available: this local warehouse has no S3 client");
        }
        String query;
        try {
            query = RedshiftSqlRewriter.rewrite(cmd.query()).sql();
        } catch (SqlLexer.SqlSyntaxException e) {
            throw new UnloadException("ERROR: " + e.getMessage());
        }
        checkTarget(cmd);
        List<Column> columns = describe(c, query, cancel);
        String select = projection(columns, query, cmd.format());
        Path dir;
        try {
            dir = Files.createTempDirectory("rs-unload-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<Part> parts = cmd.parallel() ? writeParallel(c, cmd, select, dir, cancel)
                : writeSerial(c, cmd, select, dir, cancel);
            if (cmd.manifestVerbose()) {
                parts = withRowCounts(c, cmd, parts, cancel);
            }
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                keys.add(cmd.keyPrefix() + partName(cmd, i));
            }
            List<String> allKeys = new ArrayList<>(keys);
            if (cmd.manifest()) {
                allKeys.add(cmd.keyPrefix() + "manifest");
            }
            cancel.check();
            if (cmd.cleanPath()) {
                deleteAll(cmd.bucket(), cmd.keyPrefix());
            }
            listener.beforeUpload(List.copyOf(allKeys));
            long rows = 0;
            for (int i = 0; i < parts.size(); i++) {
                cancel.check();
                upload(cmd.bucket(), keys.get(i), parts.get(i).file(), cancel);
            }
            for (Part p : parts) {
                rows += p.rows();
            }
            if (cmd.manifestVerbose() && cmd.header()) {
                rows -= parts.size();
            }
            if (cmd.manifest()) {
                cancel.check();
                byte[] manifest = manifest(cmd, keys, parts, columns);
                putBytes(cmd.bucket(), cmd.keyPrefix() + "manifest", manifest);
            }
            return new Result(rows, List.copyOf(allKeys));
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Deletes objects an interrupted earlier attempt of the same statement wrote. */
    void deleteKeys(String bucket, List<String> keys) throws UnloadException {
        if (keys.isEmpty()) {
            return;
        }
        try {
            for (int from = 0; from < keys.size(); from += 1000) {
                List<ObjectIdentifier> ids = keys.subList(from, Math.min(keys.size(), from + 1000)).stream()
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
                s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(ids).quiet(true).build()));
            }
        } catch (S3Exception e) {
            throw new UnloadException(s3Error(e), e);
        } catch (SdkClientException e) {
            throw new UnloadException("ERROR: S3 request failed: " + e.getMessage(), e);
        }
    }

    private void checkTarget(UnloadCommand cmd) throws UnloadException {
        try {
            boolean empty = s3.listObjectsV2(b -> b.bucket(cmd.bucket()).prefix(cmd.keyPrefix()).maxKeys(1))
                .contents().isEmpty();
            if (!empty && !cmd.allowOverwrite() && !cmd.cleanPath()) {
                throw new UnloadException("ERROR: Specified unload destination on S3 is not empty. Consider using "
                    + "a different bucket / prefix, manually removing the target files in S3, or using the "
                    + "ALLOWOVERWRITE option.");
            }
        } catch (S3Exception e) {
            throw new UnloadException(s3Error(e), e);
        } catch (SdkClientException e) {
            throw new UnloadException("ERROR: S3 request failed: " + e.getMessage(), e);
        }
    }

    private static List<Column> describe(Connection c, String query, CancelSignal cancel) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            cancel.register(s);
            try (ResultSet r = s.executeQuery("DESCRIBE " + query)) {
                while (r.next()) {
                    columns.add(new Column(r.getString("column_name"), r.getString("column_type")));
                }
            } finally {
                cancel.unregister();
            }
        }
        cancel.check();
        return columns;
    }

    /** Redshift writes booleans as t/f in text, CSV and JSON; columns are renamed positionally first. */
    private static String projection(List<Column> columns, String query, Format format) {
        boolean anyBoolean = columns.stream().anyMatch(col -> col.duckType().equals("BOOLEAN"));
        if (format == Format.PARQUET || !anyBoolean) {
            return query;
        }
        List<String> aliases = new ArrayList<>();
        List<String> select = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String alias = "__c" + (i + 1);
            aliases.add(alias);
            String name = quoteIdent(columns.get(i).name());
            select.add(columns.get(i).duckType().equals("BOOLEAN")
                ? "CASE WHEN q." + alias + " THEN 't' WHEN NOT q." + alias + " THEN 'f' END AS " + name
                : "q." + alias + " AS " + name);
        }
        return "SELECT " + String.join(", ", select) + " FROM (" + query + ") AS q(" + String.join(", ", aliases)
            + ")";
    }

    private List<Part> writeParallel(Connection c, UnloadCommand cmd, String select, Path dir, CancelSignal cancel)
            throws SQLException {
        // DuckDB starts a new file once one reaches FILE_SIZE_BYTES; aim a little lower so parts stay under.
        long target = Math.max(1, cmd.maxFileSize() - cmd.maxFileSize() / 20);
        String sql = "COPY (" + select + ") TO " + SqlLexer.duckDbLiteral(dir.resolve("data").toString()) + " ("
            + copyOptions(cmd) + ", FILE_SIZE_BYTES " + target + ", "
            + (cmd.format() == Format.PARQUET ? "RETURN_STATS true" : "RETURN_FILES true") + ")";
        List<Part> parts = copy(c, sql, cmd, cancel);
        parts.sort(Comparator.comparingLong(p -> fileIndex(p.file())));
        return parts;
    }

    /**
     * PARALLEL OFF writes one file in query order; only when it is larger than MAXFILESIZE is the result
     * materialized and cut into ordered row ranges sized from the first attempt.
     */
    private List<Part> writeSerial(Connection c, UnloadCommand cmd, String select, Path dir, CancelSignal cancel)
            throws SQLException {
        Path single = dir.resolve("serial.out");
        List<Part> whole = copy(c, "COPY (" + select + ") TO " + SqlLexer.duckDbLiteral(single.toString()) + " ("
            + copyOptions(cmd) + ", " + returning(cmd) + ")", cmd, cancel);
        Part only = whole.get(0);
        if (only.size() <= cmd.maxFileSize()) {
            return whole;
        }
        long total = only.rows();
        long perPart = Math.max(1, (long) (total * (cmd.maxFileSize() * 0.9) / only.size()));
        deleteRecursively(single);
        String table = "__unload_" + UUID.randomUUID().toString().replace("-", "");
        List<Part> parts = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            cancel.register(s);
            try {
                s.execute("CREATE TEMP TABLE " + table + " AS " + select);
            } finally {
                cancel.unregister();
            }
        }
        try {
            for (long offset = 0, k = 0; offset < total; offset += perPart, k++) {
                cancel.check();
                Path file = dir.resolve("serial_" + k + ".out");
                parts.addAll(copy(c, "COPY (SELECT * FROM " + table + " LIMIT " + perPart + " OFFSET " + offset
                    + ") TO " + SqlLexer.duckDbLiteral(file.toString()) + " (" + copyOptions(cmd) + ", "
                    + returning(cmd) + ")", cmd, cancel));
            }
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        return parts;
    }

    /** Runs a COPY that returns its files; rows per file are known for Parquet (stats) or a single file. */
    private List<Part> copy(Connection c, String sql, UnloadCommand cmd, CancelSignal cancel) throws SQLException {
        List<Part> parts = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            cancel.register(s);
            try (ResultSet r = s.executeQuery(sql)) {
                if (cmd.format() == Format.PARQUET) {
                    while (r.next()) {
                        Path file = Path.of(r.getString("filename"));
                        parts.add(new Part(file, r.getLong("count"), size(file)));
                    }
                } else {
                    r.next();
                    long count = r.getLong("Count");
                    Array files = r.getArray("Files");
                    Object[] names = (Object[]) files.getArray();
                    for (Object name : names) {
                        Path file = Path.of(name.toString());
                        parts.add(new Part(file, names.length == 1 ? count : -1, size(file)));
                    }
                    if (names.length > 1) {
                        // only the total is known; keep it on the first part until rows are counted per file
                        parts.set(0, new Part(parts.get(0).file(), count, parts.get(0).size()));
                        for (int i = 1; i < parts.size(); i++) {
                            parts.set(i, new Part(parts.get(i).file(), 0, parts.get(i).size()));
                        }
                    }
                }
            } finally {
                cancel.unregister();
            }
        }
        cancel.check();
        return parts;
    }

    private static String returning(UnloadCommand cmd) {
        return cmd.format() == Format.PARQUET ? "RETURN_STATS true" : "RETURN_FILES true";
    }

    private static String copyOptions(UnloadCommand cmd) {
        StringBuilder o = new StringBuilder();
        switch (cmd.format()) {
            case TEXT -> o.append("FORMAT csv, DELIMITER ")
                .append(SqlLexer.duckDbLiteral(String.valueOf(cmd.delimiter() == null ? '|' : cmd.delimiter())))
                .append(", QUOTE '', ESCAPE '', HEADER ").append(cmd.header());
            case CSV -> o.append("FORMAT csv, DELIMITER ")
                .append(SqlLexer.duckDbLiteral(String.valueOf(cmd.delimiter() == null ? ',' : cmd.delimiter())))
                .append(", QUOTE '\"', ESCAPE '\"', HEADER ").append(cmd.header());
            case JSON -> o.append("FORMAT json");
            case PARQUET -> o.append("FORMAT parquet, COMPRESSION snappy");
        }
        switch (cmd.compression()) {
            case GZIP -> o.append(", COMPRESSION gzip");
            case ZSTD -> o.append(", COMPRESSION zstd");
            case NONE -> {
            }
        }
        return o.toString();
    }

    /** Rows per file for the verbose manifest (Redshift counts the header line too). */
    private List<Part> withRowCounts(Connection c, UnloadCommand cmd, List<Part> parts, CancelSignal cancel)
            throws SQLException {
        List<Part> counted = new ArrayList<>();
        boolean known = parts.size() == 1 || cmd.format() == Format.PARQUET;
        for (Part p : parts) {
            long rows = known ? p.rows() : countRows(c, cmd, p.file(), cancel);
            counted.add(new Part(p.file(), cmd.header() ? rows + 1 : rows, p.size()));
        }
        return counted;
    }

    private static long countRows(Connection c, UnloadCommand cmd, Path file, CancelSignal cancel)
            throws SQLException {
        String path = SqlLexer.duckDbLiteral(file.toString());
        String compression = switch (cmd.compression()) {
            case GZIP -> "gzip";
            case ZSTD -> "zstd";
            case NONE -> "none";
        };
        String sql;
        if (cmd.format() == Format.JSON) {
            sql = "SELECT count(*) FROM read_json_objects(" + path + ", format = 'newline_delimited', "
                + "compression = '" + compression + "')";
        } else {
            char delimiter = cmd.delimiter() != null ? cmd.delimiter() : cmd.format() == Format.CSV ? ',' : '|';
            String quote = cmd.format() == Format.CSV ? "'\"'" : "''";
            sql = "SELECT count(*) FROM read_csv(" + path + ", header = " + cmd.header() + ", delim = "
                + SqlLexer.duckDbLiteral(String.valueOf(delimiter)) + ", quote = " + quote + ", escape = " + quote
                + ", all_varchar = true, null_padding = true, compression = '" + compression + "')";
        }
        try (Statement s = c.createStatement()) {
            cancel.register(s);
            try (ResultSet r = s.executeQuery(sql)) {
                r.next();
                return r.getLong(1);
            } finally {
                cancel.unregister();
            }
        }
    }

    private static String partName(UnloadCommand cmd, int index) {
        String base = cmd.parallel() ? String.format(Locale.ROOT, "%04d_part_00", index)
            : String.format(Locale.ROOT, "%03d", index);
        return base + cmd.extension();
    }

    private byte[] manifest(UnloadCommand cmd, List<String> keys, List<Part> parts, List<Column> columns) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode entries = root.putArray("entries");
        long totalSize = 0;
        long totalRows = 0;
        for (int i = 0; i < parts.size(); i++) {
            ObjectNode entry = entries.addObject();
            entry.put("url", "s3://" + cmd.bucket() + "/" + keys.get(i));
            ObjectNode meta = entry.putObject("meta");
            meta.put("content_length", parts.get(i).size());
            if (cmd.manifestVerbose()) {
                meta.put("record_count", parts.get(i).rows());
            }
            totalSize += parts.get(i).size();
            totalRows += parts.get(i).rows();
        }
        if (cmd.manifestVerbose()) {
            ArrayNode elements = root.putObject("schema").putArray("elements");
            for (Column col : columns) {
                ObjectNode element = elements.addObject();
                element.put("name", col.name());
                redshiftType(element.putObject("type"), col.duckType());
            }
            ObjectNode meta = root.putObject("meta");
            meta.put("content_length", totalSize);
            meta.put("record_count", totalRows);
            ObjectNode author = root.putObject("author");
            author.put("name", "Amazon Redshift");
            author.put("version", "1.0.0");
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Redshift type name (and dimensions) of a DuckDB column type, as the verbose manifest lists it. */
    static void redshiftType(ObjectNode type, String duckType) {
        Matcher decimal = Pattern.compile("DECIMAL\\((\\d+),\\s*(\\d+)\\)").matcher(duckType);
        if (decimal.matches()) {
            type.put("base", "numeric");
            type.putArray("dimensions").addArray().add(Integer.parseInt(decimal.group(1)))
                .add(Integer.parseInt(decimal.group(2)));
            return;
        }
        switch (duckType) {
            case "BOOLEAN" -> type.put("base", "boolean");
            case "TINYINT", "SMALLINT", "UTINYINT" -> type.put("base", "smallint");
            case "INTEGER", "USMALLINT" -> type.put("base", "integer");
            case "BIGINT", "UINTEGER" -> type.put("base", "bigint");
            case "HUGEINT", "UBIGINT", "UHUGEINT" -> {
                type.put("base", "numeric");
                type.putArray("dimensions").addArray().add(38).add(0);
            }
            case "FLOAT" -> type.put("base", "real");
            case "DOUBLE" -> type.put("base", "double precision");
            case "DATE" -> type.put("base", "date");
            case "TIMESTAMP" -> type.put("base", "timestamp without time zone");
            case "TIMESTAMP WITH TIME ZONE" -> type.put("base", "timestamp with time zone");
            case "TIME" -> type.put("base", "time without time zone");
            case "BLOB" -> type.put("base", "varbyte");
            case "VARCHAR" -> {
                // DuckDB does not keep declared lengths; 256 is Redshift's default VARCHAR length
                type.put("base", "character varying");
                type.putArray("dimensions").addArray().add(256);
            }
            default -> type.put("base", duckType.toLowerCase(Locale.ROOT));
        }
    }

    private void deleteAll(String bucket, String prefix) throws UnloadException {
        try {
            List<String> keys = new ArrayList<>();
            for (var page : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix)
                    .build())) {
                page.contents().stream().map(S3Object::key).forEach(keys::add);
            }
            deleteKeys(bucket, keys);
        } catch (S3Exception e) {
            throw new UnloadException(s3Error(e), e);
        }
    }

    private void upload(String bucket, String key, Path file, CancelSignal cancel) throws UnloadException {
        try {
            long size = Files.size(file);
            if (size <= multipartThreshold) {
                s3.putObject(b -> b.bucket(bucket).key(key).contentLength(size), RequestBody.fromFile(file));
            } else {
                uploadMultipart(bucket, key, file, size, cancel);
            }
        } catch (S3Exception e) {
            throw new UnloadException(s3Error(e), e);
        } catch (SdkClientException e) {
            cancel.check();
            throw new UnloadException("ERROR: S3 request failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void uploadMultipart(String bucket, String key, Path file, long size, CancelSignal cancel) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
        try {
            List<CompletedPart> done = new ArrayList<>();
            long partSize = multipartPartSize;
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                cancel.check();
                long from = offset;
                long length = Math.min(partSize, size - offset);
                int partNumber = number;
                String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                        .contentLength(length),
                    RequestBody.fromContentProvider(() -> range(file, from, length), length,
                        "application/octet-stream")).eTag();
                done.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(done)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    private void putBytes(String bucket, String key, byte[] bytes) throws UnloadException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(bytes));
        } catch (S3Exception e) {
            throw new UnloadException(s3Error(e), e);
        } catch (SdkClientException e) {
            throw new UnloadException("ERROR: S3 request failed: " + e.getMessage(), e);
        }
    }

    /** A stream over [offset, offset + length) of the file, read as it is sent. */
    private static InputStream range(Path file, long offset, long length) {
        try {
            InputStream in = Files.newInputStream(file);
            in.skipNBytes(offset);
            return new FilterInputStream(in) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buf, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String s3Error(S3Exception e) {
        String code = e.awsErrorDetails() == null ? "Unknown" : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return "ERROR: S3ServiceException:" + message + ",Status " + e.statusCode() + ",Error " + code
            + ",Rid " + e.requestId();
    }

    private static long fileIndex(Path file) {
        Matcher m = DATA_FILE_INDEX.matcher(file.getFileName().toString());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a leftover temp file must not fail the statement
                }
            });
        } catch (IOException e) {
            // best effort, as above
        }
    }
}
