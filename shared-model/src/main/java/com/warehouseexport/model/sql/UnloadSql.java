package com.warehouseexport.model.sql;

import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.ParameterSpec;
import com.warehouseexport.model.catalog.ParameterValue;
import com.warehouseexport.model.catalog.ValidatedParameters;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportFormat;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Builds the UNLOAD statement for a dataset and validated parameters:
 * {@code UNLOAD ('<query>') TO 's3://…' IAM_ROLE '…' FORMAT AS CSV HEADER [GZIP|ZSTD] MANIFEST VERBOSE ALLOWOVERWRITE}.
 * Values enter the query only through {@link SqlLiterals}; the target and role are checked against strict
 * patterns rather than escaped, since they come from configuration and must never need escaping.
 */
public final class UnloadSql {
    /** The Redshift Data API refuses SQL text over 100 KB. */
    public static final int MAX_STATEMENT_BYTES = 100_000;

    private static final Pattern S3_TARGET = Pattern.compile("s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9/_.=-]*");
    private static final Pattern ROLE_ARNS = Pattern.compile(
            "arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=.@_/-]{1,512}"
                    + "(,arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=.@_/-]{1,512}){0,9}");

    private UnloadSql() {
    }

    /**
     * @param s3Target  e.g. {@code s3://bucket/exports/<id>/part_}
     * @param iamRole   role ARN (or comma-separated chain), or {@code default} for the cluster's default role
     */
    public static String render(Dataset dataset, ValidatedParameters parameters, String s3Target,
                                String iamRole, ExportFormat format) {
        return render(dataset, parameters, s3Target, iamRole, format, Compression.NONE);
    }

    /**
     * As above, with the parts compressed: CSV only, {@code FORMAT AS CSV HEADER GZIP} or {@code … ZSTD}
     * (Redshift then names each part {@code …_part_00.gz} / {@code .zst}).
     */
    public static String render(Dataset dataset, ValidatedParameters parameters, String s3Target,
                                String iamRole, ExportFormat format, Compression compression) {
        String inner = innerQuery(dataset, parameters);
        if (s3Target == null || !S3_TARGET.matcher(s3Target).matches()) {
            throw new IllegalArgumentException("Invalid UNLOAD target: " + s3Target);
        }
        String role;
        if ("default".equals(iamRole)) {
            role = "default";
        } else if (iamRole != null && ROLE_ARNS.matcher(iamRole).matches()) {
            role = "'" + iamRole + "'";
        } else {
            throw new IllegalArgumentException("Invalid UNLOAD IAM role: " + iamRole);
        }
        String formatClause;
        if (format == ExportFormat.CSV) {
            formatClause = "FORMAT AS CSV HEADER";
        } else if (format == ExportFormat.PARQUET) {
            formatClause = "FORMAT AS PARQUET";
        } else if (format == ExportFormat.JSON) {
            formatClause = "FORMAT AS JSON";
        } else {
            throw new IllegalArgumentException("Unsupported export format: " + format);
        }
        if (compression == null) {
            throw new IllegalArgumentException("compression is required (NONE for uncompressed parts)");
        }
        if (compression != Compression.NONE) {
            if (format != ExportFormat.CSV) {
                throw new IllegalArgumentException("Compressed parts are offered for CSV only, not "
                        + format.apiName());
            }
            formatClause += " " + compression.name();
        }
        if (!dataset.supports(format)) {
            throw new IllegalArgumentException("Dataset " + dataset.name() + " is not offered as " + format.apiName());
        }
        String statement = "UNLOAD (" + SqlLiterals.unloadQueryLiteral(inner) + ") TO '" + s3Target + "' IAM_ROLE "
                + role + " " + formatClause + " MANIFEST VERBOSE ALLOWOVERWRITE";
        int bytes = statement.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_STATEMENT_BYTES) {
            throw new IllegalArgumentException("UNLOAD statement is " + bytes + " bytes, over the Data API limit of "
                    + MAX_STATEMENT_BYTES);
        }
        return statement;
    }

    /**
     * The dataset's query with parameter values rendered. Every declared parameter must have a value of its
     * declared type (a NULL counts), and no other values may be present.
     */
    public static String innerQuery(Dataset dataset, ValidatedParameters parameters) {
        return innerQuery(dataset, parameters, SqlDialect.REDSHIFT);
    }

    /** {@link #innerQuery(Dataset, ValidatedParameters)} with string literals escaped for the dialect. */
    public static String innerQuery(Dataset dataset, ValidatedParameters parameters, SqlDialect dialect) {
        if (parameters.asMap().size() != dataset.parameters().size()) {
            throw new IllegalArgumentException("Parameters " + parameters.asMap().keySet()
                    + " do not match dataset " + dataset.name());
        }
        for (ParameterSpec spec : dataset.parameters()) {
            ParameterValue value = parameters.get(spec.name());
            if (value == null || value.type() != spec.type()) {
                throw new IllegalArgumentException("Parameter " + spec.name() + " of dataset " + dataset.name()
                        + " needs a " + spec.type().jsonName() + " value, got " + value);
            }
            if (value.isNull() && spec.required()) {
                throw new IllegalArgumentException("Required parameter " + spec.name() + " is NULL");
            }
        }
        return dataset.sql().render(parameters.asMap(), dialect);
    }
}
