package com.warehouseexport.localaws.athena;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A SELECT's result file as Athena writes it: {@code <id>.csv} with a header row of the column names, every value
 * in double quotes ({@code "} doubled inside), NULL as an empty unquoted field, lines ending in {@code \n};
 * values printed as Athena prints them (timestamps with milliseconds, booleans {@code true}/{@code false}). Next
 * to it {@code <id>.csv.metadata}: Athena's is binary, this one is the column list as JSON.
 */
final class ResultFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /** Checked between rows so a cancel stops a long result. */
    interface CancelCheck {
        void check() throws AthenaService.QueryFailure;
    }

    record Written(long rows, long bytes, ArrayNode columns) {
    }

    record S3Location(String bucket, String key) {
        static S3Location parse(String url) {
            String rest = url.substring("s3://".length());
            int slash = rest.indexOf('/');
            return new S3Location(slash < 0 ? rest : rest.substring(0, slash), slash < 0 ? "" : rest.substring(slash + 1));
        }
    }

    private ResultFiles() {
    }

    static Written writeCsv(ResultSet rs, S3Client s3, String location, CancelCheck cancel)
            throws SQLException, AthenaService.QueryFailure {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        ArrayNode columns = columnInfo(md);
        Path file;
        long rows = 0;
        try {
            file = Files.createTempFile("athena-result-", ".csv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (int i = 1; i <= n; i++) {
                    out.write((i > 1 ? "," : "") + quote(md.getColumnLabel(i)));
                }
                out.write('\n');
                while (rs.next()) {
                    if (++rows % 1024 == 0) {
                        cancel.check();
                    }
                    for (int i = 1; i <= n; i++) {
                        if (i > 1) {
                            out.write(',');
                        }
                        String value = value(rs, i);
                        if (value != null) {
                            out.write(quote(value));
                        }
                    }
                    out.write('\n');
                }
            }
            cancel.check();
            long bytes = Files.size(file);
            S3Location target = S3Location.parse(location);
            put(s3, target, RequestBody.fromFile(file), "text/csv");
            ObjectNode metadata = JsonNodeFactory.instance.objectNode();
            metadata.set("ColumnInfo", columns);
            metadata.put("rows", rows);
            put(s3, new S3Location(target.bucket(), target.key() + ".metadata"),
                RequestBody.fromBytes(JSON.writeValueAsBytes(metadata)), "application/json");
            return new Written(rows, bytes, columns);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file must not fail the query
            }
        }
    }

    static void put(S3Client s3, S3Location target, RequestBody body, String contentType)
            throws AthenaService.QueryFailure {
        try {
            s3.putObject(b -> b.bucket(target.bucket()).key(target.key()).contentType(contentType), body);
        } catch (S3Exception e) {
            throw new AthenaService.QueryFailure(AthenaErrors.s3(e, target));
        } catch (SdkClientException e) {
            throw new AthenaService.QueryFailure("HIVE_CANNOT_OPEN_SPLIT: S3 request failed: " + e.getMessage());
        }
    }

    /** The rows of a result file (header row included); an empty field is NULL, {@code ""} an empty string. */
    static List<List<String>> readCsv(S3Client s3, String location) {
        S3Location source = S3Location.parse(location);
        List<List<String>> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                s3.getObject(b -> b.bucket(source.bucket()).key(source.key())), StandardCharsets.UTF_8))) {
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean inQuotes = false;
            int c;
            while ((c = in.read()) >= 0) {
                char ch = (char) c;
                if (inQuotes) {
                    if (ch == '"') {
                        in.mark(1);
                        int next = in.read();
                        if (next == '"') {
                            field.append('"');
                        } else {
                            inQuotes = false;
                            if (next >= 0) {
                                in.reset();
                            }
                        }
                    } else {
                        field.append(ch);
                    }
                } else if (ch == '"') {
                    inQuotes = true;
                    quoted = true;
                } else if (ch == ',') {
                    row.add(quoted ? field.toString() : null);
                    field.setLength(0);
                    quoted = false;
                } else if (ch == '\n') {
                    row.add(quoted ? field.toString() : null);
                    rows.add(row);
                    row = new ArrayList<>();
                    field.setLength(0);
                    quoted = false;
                } else {
                    field.append(ch);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    private static String quote(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    /** A value as Athena prints it in result files; null for SQL NULL. */
    static String value(ResultSet rs, int i) throws SQLException {
        Object v = rs.getObject(i);
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Timestamp ts) {
            return ts.toLocalDateTime().format(TIMESTAMP);
        }
        if (v instanceof LocalDateTime t) {
            return t.format(TIMESTAMP);
        }
        if (v instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime().format(TIMESTAMP) + " UTC";
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        if (v instanceof byte[] bytes) {
            return HexFormat.ofDelimiter(" ").formatHex(bytes);
        }
        return rs.getString(i);
    }

    /** Athena's ColumnInfo for each column, with Presto/Trino type names. */
    static ArrayNode columnInfo(ResultSetMetaData md) throws SQLException {
        ArrayNode columns = JsonNodeFactory.instance.arrayNode();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String duck = md.getColumnTypeName(i);
            String type = athenaType(duck);
            ObjectNode c = columns.addObject();
            c.put("CatalogName", "hive");
            c.put("SchemaName", "");
            c.put("TableName", "");
            c.put("Name", md.getColumnLabel(i));
            c.put("Label", md.getColumnLabel(i));
            c.put("Type", type);
            int precision = switch (type) {
                case "varchar", "varbinary" -> 2147483647;
                case "tinyint" -> 3;
                case "smallint" -> 5;
                case "integer" -> 10;
                case "bigint" -> 19;
                case "double" -> 17;
                case "real" -> 9;
                case "timestamp", "timestamp with time zone" -> 3;
                case "decimal" -> Math.max(0, md.getPrecision(i));
                default -> 0;
            };
            c.put("Precision", precision);
            c.put("Scale", type.equals("decimal") ? Math.max(0, md.getScale(i)) : 0);
            c.put("Nullable", "UNKNOWN");
            c.put("CaseSensitive", type.equals("varchar"));
        }
        return columns;
    }

    static String athenaType(String duckType) {
        int paren = duckType.indexOf('(');
        String base = paren < 0 ? duckType : duckType.substring(0, paren);
        if (base.endsWith("[]")) {
            return "array";
        }
        return switch (base) {
            case "BOOLEAN" -> "boolean";
            case "TINYINT", "UTINYINT" -> "tinyint";
            case "SMALLINT", "USMALLINT" -> "smallint";
            case "INTEGER", "UINTEGER" -> "integer";
            case "BIGINT" -> "bigint";
            case "HUGEINT", "UBIGINT", "UHUGEINT", "DECIMAL" -> "decimal";
            case "FLOAT" -> "real";
            case "DOUBLE" -> "double";
            case "DATE" -> "date";
            case "TIMESTAMP" -> "timestamp";
            case "TIMESTAMP WITH TIME ZONE" -> "timestamp with time zone";
            case "TIME" -> "time";
            case "BLOB" -> "varbinary";
            case "STRUCT" -> "row";
            case "MAP" -> "map";
            default -> "varchar";
        };
    }
}
