package com.warehouseexport.model.sql;

import com.warehouseexport.model.catalog.ParameterValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A dataset's SQL with {@code :name} placeholders, parsed once when the catalog loads.
 *
 * <ul>
 *   <li>{@code :name} (lower-case letters, digits, underscores; not after a letter, digit, {@code _} or
 *       {@code :}, so {@code ::date} casts are left alone) is replaced by the rendered value.</li>
 *   <li>{@code {{ ... }}} is an optional section: it is kept only when every placeholder in it has a value
 *       (used for clauses such as {@code LIMIT} that have no "no-op" form).</li>
 *   <li>Quoted literals and identifiers are copied as they are; placeholders inside them are not placeholders.</li>
 *   <li>Refused: {@code ;}, backslash, {@code $}, comments ({@code --}, {@code /*}) and control characters
 *       other than whitespace. Whitespace runs outside literals collapse to one space.</li>
 * </ul>
 */
public final class SqlTemplate {

    private sealed interface Segment permits Text, Placeholder, Section {
    }

    private record Text(String sql) implements Segment {
    }

    private record Placeholder(String name) implements Segment {
    }

    private record Section(List<Segment> segments, Set<String> names) implements Segment {
    }

    private final String source;
    private final List<Segment> segments;
    private final Set<String> placeholders;

    private SqlTemplate(String source, List<Segment> segments, Set<String> placeholders) {
        this.source = source;
        this.segments = segments;
        this.placeholders = placeholders;
    }

    /** {@code IllegalArgumentException} with a message saying what is wrong and where. */
    public static SqlTemplate parse(String sql) {
        return new Parser(sql).parse();
    }

    public String source() {
        return source;
    }

    /** Every placeholder name, in order of first appearance. */
    public Set<String> placeholders() {
        return placeholders;
    }

    /** Renders with values for every placeholder (missing ones are an error, not NULL), in Redshift's dialect. */
    public String render(Map<String, ParameterValue> values) {
        return render(values, SqlDialect.REDSHIFT);
    }

    /** Renders with values for every placeholder, string literals escaped for the dialect's warehouse. */
    public String render(Map<String, ParameterValue> values, SqlDialect dialect) {
        StringBuilder out = new StringBuilder(source.length() + 64);
        appendSegments(out, segments, values, dialect);
        return out.toString().trim();
    }

    private static void appendSegments(StringBuilder out, List<Segment> segments, Map<String, ParameterValue> values,
                                       SqlDialect dialect) {
        for (Segment segment : segments) {
            if (segment instanceof Text text) {
                out.append(text.sql());
            } else if (segment instanceof Placeholder placeholder) {
                out.append(SqlLiterals.render(valueOf(values, placeholder.name()), dialect));
            } else if (segment instanceof Section section) {
                boolean allPresent = true;
                for (String name : section.names()) {
                    allPresent &= !valueOf(values, name).isNull();
                }
                if (allPresent) {
                    appendSegments(out, section.segments(), values, dialect);
                }
            }
        }
    }

    private static ParameterValue valueOf(Map<String, ParameterValue> values, String name) {
        ParameterValue value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("No value for placeholder :" + name);
        }
        return value;
    }

    @Override
    public String toString() {
        return source;
    }

    private static final class Parser {
        private final String sql;
        private int pos;
        private final Set<String> names = new LinkedHashSet<>();

        Parser(String sql) {
            if (sql == null || sql.isBlank()) {
                throw new IllegalArgumentException("SQL is empty");
            }
            this.sql = sql;
        }

        SqlTemplate parse() {
            List<Segment> top = new ArrayList<>();
            List<Segment> current = top;
            Set<String> sectionNames = null;
            StringBuilder text = new StringBuilder();
            while (pos < sql.length()) {
                char c = sql.charAt(pos);
                if (c == '\'' || c == '"') {
                    text.append(quoted(c));
                } else if (sql.startsWith("{{", pos)) {
                    if (sectionNames != null) {
                        throw error("optional sections cannot be nested");
                    }
                    flush(text, current);
                    current = new ArrayList<>();
                    sectionNames = new LinkedHashSet<>();
                    pos += 2;
                } else if (sql.startsWith("}}", pos)) {
                    if (sectionNames == null) {
                        throw error("'}}' without '{{'");
                    }
                    flush(text, current);
                    if (sectionNames.isEmpty()) {
                        throw error("an optional section must contain a placeholder");
                    }
                    top.add(new Section(List.copyOf(current), Collections.unmodifiableSet(sectionNames)));
                    current = top;
                    sectionNames = null;
                    pos += 2;
                } else if (c == ':' && startsPlaceholder()) {
                    flush(text, current);
                    String name = placeholderName();
                    names.add(name);
                    if (sectionNames != null) {
                        sectionNames.add(name);
                    }
                    current.add(new Placeholder(name));
                } else if (c == ':' && pos + 1 < sql.length() && sql.charAt(pos + 1) == ':') {
                    text.append("::");
                    pos += 2;
                } else if (Character.isWhitespace(c)) {
                    while (pos < sql.length() && Character.isWhitespace(sql.charAt(pos))) {
                        pos++;
                    }
                    text.append(' ');
                } else {
                    checkPlain(c);
                    text.append(c);
                    pos++;
                }
            }
            if (sectionNames != null) {
                throw error("'{{' without '}}'");
            }
            flush(text, top);
            return new SqlTemplate(sql, List.copyOf(top), Collections.unmodifiableSet(names));
        }

        private void checkPlain(char c) {
            if (c == ';') {
                throw error("';' is not allowed: a dataset is one query");
            }
            if (c == '\\' || c == '$') {
                throw error("'" + c + "' is not allowed");
            }
            if (sql.startsWith("--", pos) || sql.startsWith("/*", pos) || sql.startsWith("*/", pos)) {
                throw error("comments are not allowed");
            }
            if (Character.isISOControl(c)) {
                throw error("control character " + TextRules.describe(c));
            }
        }

        private String quoted(char quote) {
            int start = pos;
            pos++;
            while (pos < sql.length()) {
                char c = sql.charAt(pos);
                if (c == '\\') {
                    throw error("backslash inside a quoted literal is not allowed");
                }
                if (Character.isISOControl(c)) {
                    throw error("control character inside a quoted literal");
                }
                pos++;
                if (c == quote) {
                    if (pos < sql.length() && sql.charAt(pos) == quote) {
                        pos++; // doubled quote
                    } else {
                        return sql.substring(start, pos);
                    }
                }
            }
            pos = start;
            throw error("unterminated " + (quote == '\'' ? "string literal" : "quoted identifier"));
        }

        private boolean startsPlaceholder() {
            if (pos + 1 >= sql.length() || !isNameStart(sql.charAt(pos + 1))) {
                return false;
            }
            return pos == 0 || !(isNamePart(sql.charAt(pos - 1)) || sql.charAt(pos - 1) == ':');
        }

        private String placeholderName() {
            int start = ++pos;
            while (pos < sql.length() && isNamePart(sql.charAt(pos))) {
                pos++;
            }
            return sql.substring(start, pos);
        }

        private static boolean isNameStart(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        }

        private static boolean isNamePart(char c) {
            return isNameStart(c) || (c >= '0' && c <= '9');
        }

        private static void flush(StringBuilder text, List<Segment> into) {
            if (text.length() > 0) {
                into.add(new Text(text.toString()));
                text.setLength(0);
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " (at offset " + pos + " of the SQL)");
        }
    }
}
