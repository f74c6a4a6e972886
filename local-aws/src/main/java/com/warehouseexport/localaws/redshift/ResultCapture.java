package com.warehouseexport.localaws.redshift;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Reads a JDBC result into the Data API's wire shape: {@code ColumnMetadata} (Redshift type names such as
 * int4, varchar, numeric) and {@code Records}, one list of typed {@code Field}s per row — integers as
 * longValue, floating point as doubleValue, booleans as booleanValue, binary as blobValue, everything else
 * (DECIMAL and dates included, as the real API does) as stringValue.
 */
final class ResultCapture {

    /** The Data API refuses results larger than this. */
    static final long MAX_RESULT_BYTES = 100L * 1024 * 1024;

    /** Raised when a result exceeds the Data API's size limit. */
    static final class TooLargeException extends Exception {
        TooLargeException() {
            super("ERROR: Database response exceeded size limit (100 MB); use LIMIT or UNLOAD for large results");
        }
    }

    record Captured(ObjectNode data, long rows, long bytes) {
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private ResultCapture() {
    }

    static Captured read(ResultSet rs, CancelSignal cancel, long maxBytes) throws SQLException, TooLargeException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode data = f.objectNode();
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        String[] types = new String[n];
        ArrayNode columns = data.putArray("ColumnMetadata");
        for (int i = 1; i <= n; i++) {
            types[i - 1] = md.getColumnTypeName(i);
            String redshiftType = redshiftTypeName(types[i - 1]);
            ObjectNode col = columns.addObject();
            col.put("isCaseSensitive", redshiftType.equals("varchar"));
            col.put("isCurrency", false);
            col.put("isSigned", md.isSigned(i));
            col.put("label", md.getColumnLabel(i));
            col.put("length", 0);
            col.put("name", md.getColumnName(i));
            col.put("nullable", 1);
            col.put("precision", Math.max(0, md.getPrecision(i)));
            col.put("scale", Math.max(0, md.getScale(i)));
            col.put("schemaName", "");
            col.put("tableName", "");
            col.put("typeName", redshiftType);
        }
        ArrayNode records = data.putArray("Records");
        long rows = 0;
        long bytes = 0;
        while (rs.next()) {
            if (++rows % 1024 == 0) {
                cancel.check();
            }
            ArrayNode record = records.addArray();
            for (int i = 1; i <= n; i++) {
                bytes += field(record.addObject(), rs, i, types[i - 1]);
            }
            if (bytes > maxBytes) {
                throw new TooLargeException();
            }
        }
        return new Captured(data, rows, bytes);
    }

    /** Fills one Field and returns roughly how many bytes of result it stands for. */
    private static long field(ObjectNode field, ResultSet rs, int i, String type) throws SQLException {
        Object value = rs.getObject(i);
        if (value == null) {
            field.put("isNull", true);
            return 1;
        }
        switch (baseType(type)) {
            case "BOOLEAN" -> {
                field.put("booleanValue", rs.getBoolean(i));
                return 1;
            }
            case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER" -> {
                field.put("longValue", rs.getLong(i));
                return 8;
            }
            case "FLOAT", "DOUBLE" -> {
                field.put("doubleValue", rs.getDouble(i));
                return 8;
            }
            case "BLOB" -> {
                byte[] b = rs.getBytes(i);
                field.put("blobValue", b);
                return b.length;
            }
            default -> {
                String text = text(value, rs, i);
                field.put("stringValue", text);
                return text.length();
            }
        }
    }

    private static String text(Object value, ResultSet rs, int i) throws SQLException {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Timestamp ts) {
            return timestamp(ts.toLocalDateTime());
        }
        if (value instanceof LocalDateTime ldt) {
            return timestamp(ldt);
        }
        if (value instanceof OffsetDateTime odt) {
            return timestamp(odt.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()) + "+00";
        }
        return rs.getString(i);
    }

    /** Redshift prints timestamps as {@code 2024-01-02 03:04:05[.ffffff]} without trailing zeros. */
    static String timestamp(LocalDateTime t) {
        String text = t.format(SECONDS);
        int nanos = t.getNano();
        if (nanos == 0) {
            return text;
        }
        String fraction = String.format(Locale.ROOT, "%06d", nanos / 1000).replaceAll("0+$", "");
        return fraction.isEmpty() ? text : text + "." + fraction;
    }

    private static String baseType(String duckType) {
        int paren = duckType.indexOf('(');
        return paren < 0 ? duckType : duckType.substring(0, paren);
    }

    static String redshiftTypeName(String duckType) {
        return switch (baseType(duckType)) {
            case "BOOLEAN" -> "bool";
            case "TINYINT", "SMALLINT", "UTINYINT" -> "int2";
            case "INTEGER", "USMALLINT" -> "int4";
            case "BIGINT", "UINTEGER" -> "int8";
            case "HUGEINT", "UBIGINT", "UHUGEINT", "DECIMAL" -> "numeric";
            case "FLOAT" -> "float4";
            case "DOUBLE" -> "float8";
            case "DATE" -> "date";
            case "TIMESTAMP" -> "timestamp";
            case "TIMESTAMP WITH TIME ZONE" -> "timestamptz";
            case "TIME" -> "time";
            case "BLOB" -> "varbyte";
            default -> "varchar";
        };
    }
}
