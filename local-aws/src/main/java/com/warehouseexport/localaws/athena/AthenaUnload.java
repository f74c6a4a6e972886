package com.warehouseexport.localaws.athena;

import com.warehouseexport.localaws.athena.AthenaSql.Kind;
import com.warehouseexport.localaws.athena.AthenaSql.SyntaxException;
import com.warehouseexport.localaws.athena.AthenaSql.Token;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed Athena {@code UNLOAD (SELECT ...) TO 's3://bucket/prefix/' WITH (format = '...', ...)}. Unlike
 * Redshift's, the query is not a string literal: its literals are the query's own, with Athena's rules.
 */
record AthenaUnload(List<Token> query, String bucket, String prefix, Format format, Compression compression,
                    char fieldDelimiter) {

    enum Format { PARQUET, TEXTFILE, JSON }

    enum Compression { NONE, GZIP, ZSTD, SNAPPY }

    /** Hive's default field delimiter (Ctrl-A), which Athena's TEXTFILE uses unless told otherwise. */
    static final char DEFAULT_TEXT_DELIMITER = '\u0001';

    private static final Set<String> KNOWN = Set.of("format", "compression", "field_delimiter", "partitioned_by");

    static boolean isUnload(List<Token> significant) {
        return !significant.isEmpty() && significant.get(0).isWord("unload");
    }

    /** Parses the significant tokens of an UNLOAD statement. */
    static AthenaUnload parse(List<Token> t) throws SyntaxException {
        int pos = 1;
        if (pos >= t.size() || t.get(pos).kind() != Kind.LPAREN) {
            throw mismatched(t, pos, "'('");
        }
        int depth = 0;
        int close = -1;
        for (int i = pos; i < t.size(); i++) {
            if (t.get(i).kind() == Kind.LPAREN) {
                depth++;
            } else if (t.get(i).kind() == Kind.RPAREN && --depth == 0) {
                close = i;
                break;
            }
        }
        if (close < 0) {
            throw new SyntaxException("line 1:1: mismatched input '<EOF>'. Expecting: ')'");
        }
        List<Token> query = t.subList(pos + 1, close);
        if (query.isEmpty() || !(query.get(0).isWord("select") || query.get(0).isWord("with")
                || query.get(0).isWord("values") || query.get(0).isWord("table")
                || query.get(0).kind() == Kind.LPAREN)) {
            throw new SyntaxException("line 1:9: mismatched input '" + (query.isEmpty() ? ")" : query.get(0).text())
                + "'. Expecting: 'SELECT', 'TABLE', 'VALUES', 'WITH'");
        }
        pos = close + 1;
        if (pos >= t.size() || !t.get(pos).isWord("to")) {
            throw mismatched(t, pos, "'TO'");
        }
        pos++;
        if (pos >= t.size() || t.get(pos).kind() != Kind.STRING) {
            throw mismatched(t, pos, "<string>");
        }
        String location = t.get(pos++).value();
        if (!location.startsWith("s3://") || location.length() <= 5 || location.substring(5).startsWith("/")) {
            throw new SyntaxException("INVALID_TABLE_PROPERTY: Invalid location: " + location);
        }
        String rest = location.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix += "/";
        }
        Map<String, String> props = new HashMap<>();
        if (pos < t.size()) {
            if (!t.get(pos).isWord("with")) {
                throw mismatched(t, pos, "'WITH', <EOF>");
            }
            pos++;
            if (pos >= t.size() || t.get(pos).kind() != Kind.LPAREN) {
                throw mismatched(t, pos, "'('");
            }
            pos++;
            while (true) {
                if (pos + 2 >= t.size()) {
                    throw new SyntaxException("line 1:1: mismatched input '<EOF>'. Expecting: ')'");
                }
                Token key = t.get(pos);
                String name = key.kind() == Kind.QUOTED_IDENT ? key.value() : key.text();
                name = name.toLowerCase(Locale.ROOT);
                if (t.get(pos + 1).kind() != Kind.OPERATOR || !t.get(pos + 1).text().equals("=")) {
                    throw mismatched(t, pos + 1, "'='");
                }
                Token value = t.get(pos + 2);
                if (!KNOWN.contains(name)) {
                    throw new SyntaxException("INVALID_TABLE_PROPERTY: Catalog 'awsdatacatalog' table property '"
                        + name + "' does not exist");
                }
                if (name.equals("partitioned_by")) {
                    throw new SyntaxException("NOT_SUPPORTED: UNLOAD property partitioned_by is not supported by "
                        + "the local Athena emulator");
                }
                if (value.kind() != Kind.STRING) {
                    throw mismatched(t, pos + 2, "<string>");
                }
                if (props.put(name, value.value()) != null) {
                    throw new SyntaxException("INVALID_TABLE_PROPERTY: Duplicate property: " + name);
                }
                pos += 3;
                if (t.get(pos).kind() == Kind.COMMA) {
                    pos++;
                } else if (t.get(pos).kind() == Kind.RPAREN) {
                    pos++;
                    break;
                } else {
                    throw mismatched(t, pos, "',', ')'");
                }
            }
        }
        if (pos < t.size()) {
            throw mismatched(t, pos, "<EOF>");
        }
        String formatName = props.get("format");
        if (formatName == null) {
            throw new SyntaxException("INVALID_TABLE_PROPERTY: UNLOAD needs the format property "
                + "(PARQUET, TEXTFILE or JSON in the local Athena emulator)");
        }
        Format format;
        try {
            format = Format.valueOf(formatName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SyntaxException("INVALID_TABLE_PROPERTY: format " + formatName + " is not supported by the "
                + "local Athena emulator (PARQUET, TEXTFILE, JSON)");
        }
        Compression compression = Compression.GZIP;
        String compressionName = props.get("compression");
        if (compressionName != null) {
            try {
                compression = Compression.valueOf(compressionName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SyntaxException("INVALID_TABLE_PROPERTY: compression " + compressionName
                    + " is not supported (GZIP, ZSTD, SNAPPY, NONE)");
            }
        }
        if (compression == Compression.SNAPPY && format != Format.PARQUET) {
            throw new SyntaxException("INVALID_TABLE_PROPERTY: SNAPPY compression is supported for PARQUET only "
                + "in the local Athena emulator");
        }
        char delimiter = DEFAULT_TEXT_DELIMITER;
        String delimiterText = props.get("field_delimiter");
        if (delimiterText != null) {
            if (format != Format.TEXTFILE) {
                throw new SyntaxException("INVALID_TABLE_PROPERTY: field_delimiter is only valid for TEXTFILE");
            }
            if (delimiterText.length() != 1) {
                throw new SyntaxException("INVALID_TABLE_PROPERTY: field_delimiter must be a single character");
            }
            delimiter = delimiterText.charAt(0);
        }
        return new AthenaUnload(List.copyOf(query), bucket, prefix, format, compression, delimiter);
    }

    /** The suffix of each written file. */
    String extension() {
        return switch (compression) {
            case GZIP -> format == Format.PARQUET ? "" : ".gz";
            case ZSTD -> format == Format.PARQUET ? "" : ".zst";
            default -> "";
        };
    }

    private static SyntaxException mismatched(List<Token> t, int pos, String expecting) {
        String found = pos < t.size() ? t.get(pos).text() : "<EOF>";
        return new SyntaxException("line 1:1: mismatched input '" + found + "'. Expecting: " + expecting);
    }
}
