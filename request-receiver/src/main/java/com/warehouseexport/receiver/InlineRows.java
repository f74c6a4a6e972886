package com.warehouseexport.receiver;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportLocations;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The rows of a small finished CSV export, read from its UNLOAD parts in the results bucket, for an inline answer:
 * {@code {"columns":[{"name","type"}],"rows":[[...],...]}}. Nothing is returned (and the caller uses the download
 * link) when the export is not a succeeded CSV export or is over the limits: {@link Limits#maxBytes()} of part data
 * (checked from the listing, before anything is read) or {@link Limits#maxRows()} rows (checked from the recorded
 * row count, and again while reading). The parts are parsed as a stream; every part starts with the header line.
 * Parts of a {@code gzip} export are decoded while read (the byte limit then holds for the decoded CSV too);
 * a {@code zstd} export gets no inline rows.
 *
 * <p>Values are the CSV's text; an empty field is {@code null} (UNLOAD writes NULL as an empty field). Column
 * types are {@code "string"}: the dataset catalog declares no column types.
 */
public final class InlineRows {
    /** When an export is small enough to be answered inline. */
    public record Limits(long maxBytes, int maxRows) {
        public static final Limits DEFAULT = new Limits(1024 * 1024, 10_000);
    }

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    private final S3Client s3;
    private final String resultsBucket;
    private final Limits limits;

    public InlineRows(S3Client s3, String resultsBucket, Limits limits) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.resultsBucket = Objects.requireNonNull(resultsBucket, "resultsBucket");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** The inline body for a succeeded, small CSV export; empty otherwise. */
    public Optional<ObjectNode> read(ExportRequest request) {
        if (request.state() != RequestState.SUCCEEDED || request.format() != ExportFormat.CSV) {
            return Optional.empty();
        }
        // gzip parts are decoded with the JDK; zstd would need a decoder in this jar for a small convenience
        if (request.compression() == Compression.ZSTD) {
            return Optional.empty();
        }
        if (request.result() != null && request.result().rows() > limits.maxRows()) {
            return Optional.empty();
        }
        String manifest = ExportLocations.manifestKey(request.requestId());
        List<S3Object> parts = new ArrayList<>();
        long bytes = 0;
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(resultsBucket)
                .prefix(ExportLocations.partPrefix(request.requestId()))).contents()) {
            if (object.key().equals(manifest)) {
                continue;
            }
            bytes += object.size();
            if (bytes > limits.maxBytes()) {
                return Optional.empty();
            }
            parts.add(object);
        }
        parts.sort(Comparator.comparing(S3Object::key));
        return readParts(parts, request.compression() == Compression.GZIP);
    }

    private Optional<ObjectNode> readParts(List<S3Object> parts, boolean gzip) {
        ObjectNode inline = Json.object();
        ArrayNode columns = inline.putArray("columns");
        ArrayNode rows = inline.putArray("rows");
        int count = 0;
        for (S3Object part : parts) {
            try (InputStream raw = s3.getObject(r -> r.bucket(resultsBucket).key(part.key()));
                 InputStream in = gzip ? new Decoded(raw, limits.maxBytes()) : raw;
                 Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
                 MappingIterator<String[]> records = CSV.readerFor(String[].class).with(CsvSchema.emptySchema())
                         .readValues(reader)) {
                boolean header = true;
                while (records.hasNextValue()) {
                    String[] record = records.nextValue();
                    if (header) {
                        header = false;
                        if (columns.isEmpty()) {
                            for (String name : record) {
                                columns.addObject().put("name", name).put("type", "string");
                            }
                        }
                        continue;
                    }
                    if (++count > limits.maxRows()) {
                        return Optional.empty();
                    }
                    ArrayNode row = rows.addArray();
                    for (String value : record) {
                        if (value == null || value.isEmpty()) {
                            row.addNull();
                        } else {
                            row.add(value);
                        }
                    }
                }
                if (in instanceof Decoded decoded && decoded.overLimit) {
                    return Optional.empty();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + part.key() + " of the results bucket", e);
            }
        }
        return Optional.of(inline);
    }

    /**
     * A gzip part decoded, its CSV held to the same byte limit as uncompressed parts: past it the stream ends
     * early and says so ({@link Decoded#overLimit}); the caller then answers without inline rows.
     */
    private static final class Decoded extends FilterInputStream {
        private final long max;
        private long read;
        private boolean overLimit;

        Decoded(InputStream gzip, long max) throws IOException {
            super(new GZIPInputStream(gzip, 64 * 1024));
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (overLimit) {
                return -1;
            }
            int n = super.read(buffer, offset, length);
            read += Math.max(n, 0);
            if (read > max) {
                overLimit = true;
                return -1;
            }
            return n;
        }
    }
}
