package com.warehouseexport.model.warehouse;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.warehouseexport.model.domain.ExportLocations;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A small Redshift CSV result read from its UNLOAD parts ({@code exports/<id>/part_*}, manifest left out): sizes
 * from the listing before anything is read, then the parts stream-parsed, each part's header skipped, rows counted
 * on the way. Values are the CSV's text, an empty field is {@code null} (UNLOAD writes NULL so); every column type
 * is {@code string}, as UNLOAD's CSV carries none. Parts of a gzip export ({@code .gz}) are decoded while read,
 * the byte limit then holding for the decoded CSV too; a zstd export ({@code .zst}) is not read (no decoder here).
 * Needs jackson-dataformat-csv (only the receiver has it).
 */
public final class UnloadPartsReader {
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();

    private final S3Client s3;
    private final String resultsBucket;

    public UnloadPartsReader(S3Client s3, String resultsBucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.resultsBucket = Objects.requireNonNull(resultsBucket, "resultsBucket");
    }

    public Optional<InlineResult> read(String requestId, InlineResult.Limits limits) {
        String manifest = ExportLocations.manifestKey(requestId);
        List<S3Object> parts = new ArrayList<>();
        long bytes = 0;
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(resultsBucket)
                .prefix(ExportLocations.partPrefix(requestId))).contents()) {
            if (object.key().equals(manifest)) {
                continue;
            }
            if (object.key().endsWith(".zst")) {
                return Optional.empty();
            }
            bytes += object.size();
            if (bytes > limits.maxBytes()) {
                return Optional.empty();
            }
            parts.add(object);
        }
        parts.sort(Comparator.comparing(S3Object::key));
        List<InlineResult.Column> columns = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (S3Object part : parts) {
            try (InputStream raw = s3.getObject(r -> r.bucket(resultsBucket).key(part.key()));
                 InputStream in = part.key().endsWith(".gz") ? new Decoded(raw, limits.maxBytes()) : raw;
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
                                columns.add(new InlineResult.Column(name, "string"));
                            }
                        }
                        continue;
                    }
                    if (rows.size() >= limits.maxRows()) {
                        return Optional.empty();
                    }
                    rows.add(Arrays.stream(record).map(v -> v == null || v.isEmpty() ? null : v).toList());
                }
                if (in instanceof Decoded decoded && decoded.overLimit) {
                    return Optional.empty();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + part.key() + " of the results bucket", e);
            }
        }
        return Optional.of(new InlineResult(columns, rows));
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
