package com.warehouseexport.localaws.athena;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * DuckDB error messages in Athena's words: an error name such as {@code TABLE_NOT_FOUND} followed by the text
 * (Athena adds {@code line l:c:}; positions are not known here, so they are left out). Unmapped messages keep
 * DuckDB's text after {@code GENERIC_USER_ERROR: }.
 */
final class AthenaErrors {
    private static final Pattern TABLE_MISSING = Pattern.compile("Table with name (\\S+) does not exist!");
    private static final Pattern SCHEMA_MISSING = Pattern.compile("Schema with name (\\S+) does not exist!");
    private static final Pattern COLUMN_MISSING = Pattern.compile("Referenced column \"([^\"]+)\" not found");
    private static final Pattern FUNCTION_MISSING = Pattern.compile("Function with name (\\S+) does not exist!");
    private static final Pattern SYNTAX = Pattern.compile("syntax error at or near \"(.*)\"");
    private static final Pattern CONVERSION = Pattern.compile("Could not convert string '(.*)' to ([A-Z0-9_]+)");
    private static final Pattern CATEGORY = Pattern.compile("^[A-Za-z ]+ Error: ");

    private AthenaErrors() {
    }

    static String translate(String duckDbMessage, String database) {
        String message = duckDbMessage == null ? "unknown error" : duckDbMessage.strip();
        int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline).strip();
        }
        Matcher m = TABLE_MISSING.matcher(message);
        if (m.find()) {
            String table = m.group(1);
            String qualified = table.contains(".") ? table : (database == null ? "default" : database) + "." + table;
            return "TABLE_NOT_FOUND: Table 'awsdatacatalog." + qualified + "' does not exist";
        }
        m = SCHEMA_MISSING.matcher(message);
        if (m.find()) {
            return "SCHEMA_NOT_FOUND: Schema '" + m.group(1) + "' does not exist";
        }
        m = COLUMN_MISSING.matcher(message);
        if (m.find()) {
            return "COLUMN_NOT_FOUND: Column '" + m.group(1) + "' cannot be resolved or requester is not authorized "
                + "to access requested resources";
        }
        m = FUNCTION_MISSING.matcher(message);
        if (m.find()) {
            return "FUNCTION_NOT_FOUND: Function '" + m.group(1) + "' not registered";
        }
        m = SYNTAX.matcher(message);
        if (m.find()) {
            return "SYNTAX_ERROR: mismatched input '" + m.group(1) + "'";
        }
        if (message.contains("Division by zero")) {
            return "DIVISION_BY_ZERO: Division by zero";
        }
        m = CONVERSION.matcher(message);
        if (m.find()) {
            return "INVALID_CAST_ARGUMENT: Cannot cast '" + m.group(1) + "' to " + m.group(2).toLowerCase();
        }
        return "GENERIC_USER_ERROR: " + CATEGORY.matcher(message).replaceFirst("");
    }

    static String s3(S3Exception e, ResultFiles.S3Location at) {
        String code = e.awsErrorDetails() == null ? "Unknown" : e.awsErrorDetails().errorCode();
        String text = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        if ("NoSuchBucket".equals(code)) {
            return "Unable to verify/create output bucket " + at.bucket();
        }
        if (e.statusCode() == 403) {
            return "Access denied when writing to location: s3://" + at.bucket() + "/" + at.key();
        }
        return "HIVE_FILESYSTEM_ERROR: " + code + ": " + text;
    }
}
