package com.warehouseexport.model.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Test-only reader of Redshift SQL text, written from PostgreSQL 8.0's lexer rules (which Redshift follows)
 * independently of the production escaping code: string literals with {@code ''} and backslash escapes
 * ({@code \b \f \n \r \t}, octal {@code \ooo}, any other character stands for itself), literal continuation
 * across a newline, comments, dollar quotes, quoted identifiers, words, numbers and operators. Used to check
 * that what we render means exactly what we intended.
 */
final class RedshiftSqlReader {

    enum Kind { WORD, NUMBER, STRING, QUOTED_IDENTIFIER, OPERATOR, PUNCTUATION, COMMENT, DOLLAR_QUOTE, SEMICOLON }

    record Token(Kind kind, String text) {
        @Override
        public String toString() {
            return kind + "(" + text + ")";
        }
    }

    record Literal(String value, int end) {
    }

    private RedshiftSqlReader() {
    }

    /** Decodes the string literal that starts at {@code start} (a quote); {@code end} is just past it. */
    static Literal decodeLiteral(String sql, int start) {
        if (sql.charAt(start) != '\'') {
            throw new IllegalArgumentException("no literal at " + start);
        }
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (true) {
            if (i >= sql.length()) {
                throw new IllegalArgumentException("unterminated literal starting at " + start);
            }
            char c = sql.charAt(i);
            if (c == '\'') {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == '\'') {
                    value.append('\'');
                    i += 2;
                    continue;
                }
                // 'abc'<whitespace with a newline>'def' continues the same literal
                int j = i + 1;
                boolean newline = false;
                while (j < sql.length() && Character.isWhitespace(sql.charAt(j))) {
                    newline |= sql.charAt(j) == '\n' || sql.charAt(j) == '\r';
                    j++;
                }
                if (newline && j < sql.length() && sql.charAt(j) == '\'') {
                    i = j + 1;
                    continue;
                }
                return new Literal(value.toString(), i + 1);
            }
            if (c == '\\') {
                if (i + 1 >= sql.length()) {
                    throw new IllegalArgumentException("backslash at end of text");
                }
                char n = sql.charAt(i + 1);
                if (n >= '0' && n <= '7') {
                    int j = i + 1;
                    int code = 0;
                    while (j < sql.length() && j < i + 4 && sql.charAt(j) >= '0' && sql.charAt(j) <= '7') {
                        code = code * 8 + (sql.charAt(j) - '0');
                        j++;
                    }
                    value.append((char) code);
                    i = j;
                    continue;
                }
                switch (n) {
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    default -> value.append(n);
                }
                i += 2;
                continue;
            }
            value.append(c);
            i++;
        }
    }

    static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                tokens.add(new Token(Kind.COMMENT, sql.substring(i, end)));
                i = end;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? sql.length() : end + 2;
                tokens.add(new Token(Kind.COMMENT, sql.substring(i, end)));
                i = end;
            } else if (c == '\'') {
                Literal literal = decodeLiteral(sql, i);
                tokens.add(new Token(Kind.STRING, literal.value()));
                i = literal.end();
            } else if (c == '"') {
                int end = i + 1;
                StringBuilder name = new StringBuilder();
                while (true) {
                    if (end >= sql.length()) {
                        throw new IllegalArgumentException("unterminated quoted identifier");
                    }
                    if (sql.charAt(end) == '"') {
                        if (end + 1 < sql.length() && sql.charAt(end + 1) == '"') {
                            name.append('"');
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    name.append(sql.charAt(end++));
                }
                tokens.add(new Token(Kind.QUOTED_IDENTIFIER, name.toString()));
                i = end + 1;
            } else if (c == '$') {
                tokens.add(new Token(Kind.DOLLAR_QUOTE, "$"));
                i++;
            } else if (c == ';') {
                tokens.add(new Token(Kind.SEMICOLON, ";"));
                i++;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_'
                        || sql.charAt(end) == '$')) {
                    end++;
                }
                tokens.add(new Token(Kind.WORD, sql.substring(i, end)));
                i = end;
            } else if (Character.isDigit(c)) {
                int end = i;
                while (end < sql.length() && (Character.isDigit(sql.charAt(end)) || sql.charAt(end) == '.')) {
                    end++;
                }
                tokens.add(new Token(Kind.NUMBER, sql.substring(i, end)));
                i = end;
            } else if ("<>=!".indexOf(c) >= 0) {
                int end = i;
                while (end < sql.length() && "<>=!".indexOf(sql.charAt(end)) >= 0) {
                    end++;
                }
                tokens.add(new Token(Kind.OPERATOR, sql.substring(i, end)));
                i = end;
            } else if ("+-*/%^|&~@#".indexOf(c) >= 0) {
                tokens.add(new Token(Kind.OPERATOR, String.valueOf(c)));
                i++;
            } else {
                tokens.add(new Token(Kind.PUNCTUATION, String.valueOf(c)));
                i++;
            }
        }
        return tokens;
    }

    static Token word(String text) {
        return new Token(Kind.WORD, text);
    }

    static Token string(String value) {
        return new Token(Kind.STRING, value);
    }

    static Token op(String text) {
        return new Token(Kind.OPERATOR, text);
    }

    static Token punct(String text) {
        return new Token(Kind.PUNCTUATION, text);
    }

    static Token number(String text) {
        return new Token(Kind.NUMBER, text);
    }
}
