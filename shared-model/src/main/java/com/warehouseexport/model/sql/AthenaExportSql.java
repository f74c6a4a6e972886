package com.warehouseexport.model.sql;

import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.ExportFormat;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The Athena statement of an export. String values are written with {@link SqlLiterals#athenaStringLiteral}
 * (Athena has no backslash escapes: Redshift's escaping would put a doubled backslash into the data). CSV is the
 * plain query: Athena writes its result as RFC 4180 CSV with a header row to the query's output location. Parquet
 * is {@code UNLOAD (<query>) TO '<target>' WITH (format = 'PARQUET', compression = 'SNAPPY')}; the query is SQL
 * there, not a literal, so it is not escaped a second time. JSON is {@code UNLOAD ... WITH (format = 'JSON')}:
 * newline-delimited objects, which Athena always gzips ({@code .gz} files).
 */
public final class AthenaExportSql {
    /** Athena refuses query strings over 262,144 bytes. */
    public static final int MAX_QUERY_BYTES = 262_144;
    private static final Pattern S3_TARGET = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9/_.=-]*/");

    private AthenaExportSql() {
    }

    /** @param unloadTarget where a Parquet UNLOAD writes, e.g. {@code s3://bucket/exports/<id>/data/} */
    public static String render(Dataset dataset, ValidatedParameters parameters, ExportFormat format,
                                String unloadTarget) {
        if (!dataset.supports(format)) {
            throw new IllegalArgumentException("Dataset " + dataset.name() + " is not offered as " + format.apiName());
        }
        String query = UnloadSql.innerQuery(dataset, parameters, SqlDialect.ATHENA);
        String statement;
        if (format == ExportFormat.CSV) {
            statement = query;
        } else if (format == ExportFormat.PARQUET || format == ExportFormat.JSON) {
            if (unloadTarget == null || !S3_TARGET.matcher(unloadTarget).matches()) {
                throw new IllegalArgumentException("Invalid UNLOAD target: " + unloadTarget);
            }
            // JSON takes no compression property: Athena writes it gzip-compressed (newline-delimited objects)
            statement = "UNLOAD (" + query + ") TO '" + unloadTarget + "' WITH ("
                    + (format == ExportFormat.PARQUET ? "format = 'PARQUET', compression = 'SNAPPY'" : "format = 'JSON'")
                    + ")";
        } else {
            throw new IllegalArgumentException("Unsupported export format: " + format);
        }
        int bytes = statement.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_QUERY_BYTES) {
            throw new IllegalArgumentException("Athena query is " + bytes + " bytes, over the limit of "
                    + MAX_QUERY_BYTES);
        }
        return statement;
    }
}
