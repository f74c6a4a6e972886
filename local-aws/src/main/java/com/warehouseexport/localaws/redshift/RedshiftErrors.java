package com.warehouseexport.localaws.redshift;

import com.warehouseexport.localaws.redshift.SqlLexer.Kind;
import com.warehouseexport.localaws.redshift.SqlLexer.Token;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns DuckDB error messages into the text Redshift reports in DescribeStatement's {@code Error}, so code and
 * people reading the errors see what they would see on a cluster. Unmapped messages keep DuckDB's wording
 * (without its "Binder Error:"-style category and its caret diagram), prefixed {@code ERROR: }.
 */
final class RedshiftErrors {

    private static final Pattern TABLE_MISSING = Pattern.compile("Table with name (\\S+) does not exist!");
    private static final Pattern SCHEMA_MISSING = Pattern.compile("Schema with name (\\S+) does not exist!");
    private static final Pattern TABLE_EXISTS = Pattern.compile("Table with name \"?([^\"!\\s]+)\"? already exists!");
    private static final Pattern COLUMN_MISSING = Pattern.compile("Referenced column \"([^\"]+)\" not found");
    private static final Pattern TABLE_COLUMN_MISSING =
        Pattern.compile("Table \"([^\"]+)\" does not have a column named \"([^\"]+)\"");
    private static final Pattern FUNCTION_MISSING = Pattern.compile("Function with name (\\S+) does not exist!");
    private static final Pattern SYNTAX = Pattern.compile("syntax error at or near \"(.*)\"");
    private static final Pattern CONVERSION =
        Pattern.compile("Could not convert string '(.*)' to ([A-Z0-9_]+)");
    private static final Pattern CATEGORY = Pattern.compile("^[A-Za-z ]+ Error: ");

    private RedshiftErrors() {
    }

    /** The Redshift-style error for a DuckDB message raised by {@code sql}. */
    static String translate(String duckDbMessage, String sql) {
        String message = firstLine(duckDbMessage == null ? "unknown error" : duckDbMessage);
        Matcher m = TABLE_MISSING.matcher(message);
        if (m.find()) {
            return "ERROR: relation \"" + qualified(m.group(1), sql) + "\" does not exist";
        }
        m = SCHEMA_MISSING.matcher(message);
        if (m.find()) {
            return "ERROR: schema \"" + m.group(1) + "\" does not exist";
        }
        m = TABLE_EXISTS.matcher(message);
        if (m.find()) {
            return "ERROR: relation \"" + m.group(1) + "\" already exists";
        }
        m = TABLE_COLUMN_MISSING.matcher(message);
        if (m.find()) {
            return "ERROR: column \"" + m.group(2) + "\" does not exist in " + m.group(1);
        }
        m = COLUMN_MISSING.matcher(message);
        if (m.find()) {
            String table = singleTable(sql);
            return "ERROR: column \"" + m.group(1) + "\" does not exist" + (table == null ? "" : " in " + table);
        }
        m = FUNCTION_MISSING.matcher(message);
        if (m.find()) {
            return "ERROR: function " + m.group(1) + " does not exist";
        }
        m = SYNTAX.matcher(message);
        if (m.find()) {
            return "ERROR: syntax error at or near \"" + m.group(1) + "\"";
        }
        if (message.contains("syntax error at end of input")) {
            return "ERROR: syntax error at end of input";
        }
        if (message.contains("Division by zero")) {
            return "ERROR: division by zero";
        }
        m = CONVERSION.matcher(message);
        if (m.find()) {
            return "ERROR: invalid input syntax for " + pgType(m.group(2)) + ": \"" + m.group(1) + "\"";
        }
        return "ERROR: " + CATEGORY.matcher(message).replaceFirst("");
    }

    private static String firstLine(String message) {
        String line = message.strip();
        int newline = line.indexOf('\n');
        if (newline >= 0) {
            line = line.substring(0, newline).strip();
        }
        return line;
    }

    private static String pgType(String duckType) {
        return switch (duckType) {
            case "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64" -> "integer";
            case "DOUBLE", "FLOAT" -> "type double precision";
            case "DATE" -> "type date";
            case "TIMESTAMP" -> "type timestamp";
            case "BOOL", "BOOLEAN" -> "type boolean";
            default -> "type " + duckType.toLowerCase(Locale.ROOT);
        };
    }

    /** The name as the SQL wrote it, schema included (DuckDB reports only the table part). */
    private static String qualified(String table, String sql) {
        List<Token> tokens = tokens(sql);
        for (int i = 2; i < tokens.size(); i++) {
            if (nameOf(tokens.get(i)).equalsIgnoreCase(table) && tokens.get(i - 1).kind() == Kind.DOT) {
                return nameOf(tokens.get(i - 2)) + "." + nameOf(tokens.get(i));
            }
        }
        return table;
    }

    /** The table of a single-table FROM clause, or null. */
    private static String singleTable(String sql) {
        List<Token> tokens = tokens(sql);
        String found = null;
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isWord("from") || tokens.get(i).isWord("join")) {
                if (found != null || tokens.get(i).isWord("join") || i + 1 >= tokens.size()) {
                    return null;
                }
                int j = i + 1;
                if (tokens.get(j).kind() != Kind.WORD && tokens.get(j).kind() != Kind.QUOTED_IDENT) {
                    return null;
                }
                found = nameOf(tokens.get(j));
                if (j + 2 < tokens.size() && tokens.get(j + 1).kind() == Kind.DOT) {
                    found = nameOf(tokens.get(j + 2));
                }
            }
        }
        return found;
    }

    private static String nameOf(Token t) {
        return t.kind() == Kind.QUOTED_IDENT ? t.value() : t.text();
    }

    private static List<Token> tokens(String sql) {
        try {
            return SqlLexer.lex(sql).stream().filter(t -> !t.isBlank()).toList();
        } catch (SqlLexer.SqlSyntaxException e) {
            return List.of();
        }
    }
}
