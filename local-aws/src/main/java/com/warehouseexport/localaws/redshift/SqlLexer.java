package com.warehouseexport.localaws.redshift;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits Redshift SQL into tokens. String literals follow Redshift's rules (PostgreSQL 8.0): inside
 * {@code '...'} a quote is written {@code ''} or {@code \'}, and a backslash escapes the next character
 * ({@code \n}, {@code \t}, {@code \b}, {@code \f}, {@code \r}, octal {@code \ooo}; any other character stands
 * for itself, so {@code \\} is one backslash). The decoded text of a literal is kept in {@link Token#value()}.
 */
final class SqlLexer {

    enum Kind { WORD, QUOTED_IDENT, STRING, NUMBER, PARAM, LPAREN, RPAREN, COMMA, SEMICOLON, DOT, OPERATOR, SPACE, COMMENT }

    /** One token; {@code value} is the decoded literal for STRING, the name for PARAM and QUOTED_IDENT. */
    record Token(Kind kind, String text, String value) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isBlank() {
            return kind == Kind.SPACE || kind == Kind.COMMENT;
        }

        static Token of(Kind kind, String text) {
            return new Token(kind, text, text);
        }
    }

    /** SQL that cannot be tokenized, e.g. an unterminated literal; the message is Redshift's. */
    static final class SqlSyntaxException extends Exception {
        SqlSyntaxException(String message) {
            super(message);
        }
    }

    private final String sql;
    private int pos;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    static List<Token> lex(String sql) throws SqlSyntaxException {
        return new SqlLexer(sql).run();
    }

    private List<Token> run() throws SqlSyntaxException {
        List<Token> tokens = new ArrayList<>();
        while (pos < sql.length()) {
            tokens.add(next());
        }
        return tokens;
    }

    private Token next() throws SqlSyntaxException {
        int start = pos;
        char c = sql.charAt(pos);
        if (Character.isWhitespace(c)) {
            while (pos < sql.length() && Character.isWhitespace(sql.charAt(pos))) {
                pos++;
            }
            return Token.of(Kind.SPACE, sql.substring(start, pos));
        }
        if (c == '-' && peek(1) == '-') {
            while (pos < sql.length() && sql.charAt(pos) != '\n') {
                pos++;
            }
            return Token.of(Kind.COMMENT, sql.substring(start, pos));
        }
        if (c == '/' && peek(1) == '*') {
            int end = sql.indexOf("*/", pos + 2);
            if (end < 0) {
                throw new SqlSyntaxException("unterminated /* comment at or near \"" + snippet(start) + "\"");
            }
            pos = end + 2;
            return Token.of(Kind.COMMENT, sql.substring(start, pos));
        }
        if (c == '\'') {
            return string(start, start + 1);
        }
        if ((c == 'E' || c == 'e') && peek(1) == '\'') {
            return string(start, start + 2);
        }
        if (c == '"') {
            return quotedIdentifier(start);
        }
        if (Character.isLetter(c) || c == '_') {
            pos++;
            while (pos < sql.length() && isWordPart(sql.charAt(pos))) {
                pos++;
            }
            return Token.of(Kind.WORD, sql.substring(start, pos));
        }
        if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
            return number(start);
        }
        if (c == ':' && peek(1) == ':') {
            pos += 2;
            return Token.of(Kind.OPERATOR, "::");
        }
        if (c == ':' && isWordPart(peek(1))) {
            pos++;
            while (pos < sql.length() && isParamPart(sql.charAt(pos))) {
                pos++;
            }
            return new Token(Kind.PARAM, sql.substring(start, pos), sql.substring(start + 1, pos));
        }
        pos++;
        return switch (c) {
            case '(' -> Token.of(Kind.LPAREN, "(");
            case ')' -> Token.of(Kind.RPAREN, ")");
            case ',' -> Token.of(Kind.COMMA, ",");
            case ';' -> Token.of(Kind.SEMICOLON, ";");
            case '.' -> Token.of(Kind.DOT, ".");
            default -> Token.of(Kind.OPERATOR, String.valueOf(c));
        };
    }

    private Token string(int start, int contentStart) throws SqlSyntaxException {
        StringBuilder value = new StringBuilder();
        pos = contentStart;
        while (true) {
            if (pos >= sql.length()) {
                throw new SqlSyntaxException("unterminated quoted string at or near \"" + snippet(start) + "\"");
            }
            char c = sql.charAt(pos);
            if (c == '\'') {
                if (peek(1) == '\'') {
                    value.append('\'');
                    pos += 2;
                    continue;
                }
                pos++;
                return new Token(Kind.STRING, sql.substring(start, pos), value.toString());
            }
            if (c == '\\' && pos + 1 < sql.length()) {
                pos = escape(value, pos + 1);
                continue;
            }
            value.append(c);
            pos++;
        }
    }

    /** Decodes one backslash escape whose first character is at {@code at}; returns the index after it. */
    private int escape(StringBuilder value, int at) {
        char e = sql.charAt(at);
        switch (e) {
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 't' -> value.append('\t');
            default -> {
                if (e >= '0' && e <= '7') {
                    int end = at;
                    while (end < sql.length() && end < at + 3 && sql.charAt(end) >= '0' && sql.charAt(end) <= '7') {
                        end++;
                    }
                    value.append((char) Integer.parseInt(sql.substring(at, end), 8));
                    return end;
                }
                value.append(e);
            }
        }
        return at + 1;
    }

    private Token quotedIdentifier(int start) throws SqlSyntaxException {
        StringBuilder value = new StringBuilder();
        pos = start + 1;
        while (true) {
            if (pos >= sql.length()) {
                throw new SqlSyntaxException("unterminated quoted identifier at or near \"" + snippet(start) + "\"");
            }
            char c = sql.charAt(pos);
            if (c == '"') {
                if (peek(1) == '"') {
                    value.append('"');
                    pos += 2;
                    continue;
                }
                pos++;
                return new Token(Kind.QUOTED_IDENT, sql.substring(start, pos), value.toString());
            }
            value.append(c);
            pos++;
        }
    }

    private Token number(int start) {
        while (pos < sql.length() && (Character.isDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < sql.length() && (sql.charAt(pos) == 'e' || sql.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < sql.length() && (sql.charAt(pos) == '+' || sql.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
                while (pos < sql.length() && Character.isDigit(sql.charAt(pos))) {
                    pos++;
                }
            } else {
                pos = save;
            }
        }
        return Token.of(Kind.NUMBER, sql.substring(start, pos));
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < sql.length() ? sql.charAt(i) : '\0';
    }

    private String snippet(int start) {
        return sql.substring(start, Math.min(sql.length(), start + 20));
    }

    private static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static boolean isParamPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** The text of the tokens, with Redshift string literals re-quoted for DuckDB (no backslash escapes). */
    static String render(List<Token> tokens) {
        StringBuilder out = new StringBuilder();
        for (Token t : tokens) {
            out.append(t.kind() == Kind.STRING ? duckDbLiteral(t.value()) : t.text());
        }
        return out.toString();
    }

    /** A DuckDB string literal holding exactly {@code value}: DuckDB only knows the doubled quote. */
    static String duckDbLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
