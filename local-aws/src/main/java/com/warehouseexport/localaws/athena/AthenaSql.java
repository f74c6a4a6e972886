package com.warehouseexport.localaws.athena;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Athena (Trino) SQL as far as the emulator needs it: a tokenizer with Athena's literal rules, execution
 * parameters ({@code ?}) substituted, and the {@code awsdatacatalog.} catalog prefix dropped so DuckDB resolves
 * {@code database.table}. Athena string literals know only the doubled quote: {@code 'it''s'}; a backslash is an
 * ordinary character. DuckDB's literals follow the same rule, so literals reach DuckDB as written.
 */
final class AthenaSql {

    enum Kind { WORD, QUOTED_IDENT, STRING, NUMBER, PARAM, LPAREN, RPAREN, COMMA, SEMICOLON, DOT, OPERATOR, SPACE, COMMENT }

    /**
     * One token; {@code value} is the decoded text of a STRING or QUOTED_IDENT; {@code spaceBefore} tells whether
     * blanks or a comment came before it, so significant tokens render back into valid SQL.
     */
    record Token(Kind kind, String text, String value, boolean spaceBefore) {
        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isBlank() {
            return kind == Kind.SPACE || kind == Kind.COMMENT;
        }
    }

    /** SQL Athena would refuse to parse; the message is in Athena's style. */
    static final class SyntaxException extends Exception {
        SyntaxException(String message) {
            super(message);
        }
    }

    private AthenaSql() {
    }

    static List<Token> lex(String sql) throws SyntaxException {
        List<Token> tokens = new ArrayList<>();
        int pos = 0;
        while (pos < sql.length()) {
            int start = pos;
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                while (pos < sql.length() && Character.isWhitespace(sql.charAt(pos))) {
                    pos++;
                }
                tokens.add(new Token(Kind.SPACE, sql.substring(start, pos), null, false));
            } else if (sql.startsWith("--", pos)) {
                while (pos < sql.length() && sql.charAt(pos) != '\n') {
                    pos++;
                }
                tokens.add(new Token(Kind.COMMENT, sql.substring(start, pos), null, false));
            } else if (sql.startsWith("/*", pos)) {
                int end = sql.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new SyntaxException(at(sql, start) + "mismatched input '/*'");
                }
                pos = end + 2;
                tokens.add(new Token(Kind.COMMENT, sql.substring(start, pos), null, false));
            } else if (c == '\'' || c == '"') {
                StringBuilder value = new StringBuilder();
                pos++;
                while (true) {
                    if (pos >= sql.length()) {
                        throw new SyntaxException(at(sql, start) + (c == '\'' ? "mismatched input ''''"
                            : "mismatched input '\"'") + ". Unterminated " + (c == '\'' ? "string literal"
                            : "quoted identifier"));
                    }
                    char d = sql.charAt(pos);
                    if (d == c) {
                        if (pos + 1 < sql.length() && sql.charAt(pos + 1) == c) {
                            value.append(c);
                            pos += 2;
                            continue;
                        }
                        pos++;
                        break;
                    }
                    value.append(d);
                    pos++;
                }
                tokens.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED_IDENT, sql.substring(start, pos),
                    value.toString(), false));
            } else if (Character.isLetter(c) || c == '_') {
                while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '_')) {
                    pos++;
                }
                tokens.add(new Token(Kind.WORD, sql.substring(start, pos), null, false));
            } else if (Character.isDigit(c) || (c == '.' && pos + 1 < sql.length()
                    && Character.isDigit(sql.charAt(pos + 1)))) {
                while (pos < sql.length() && (Character.isLetterOrDigit(sql.charAt(pos)) || sql.charAt(pos) == '.')) {
                    pos++;
                }
                tokens.add(new Token(Kind.NUMBER, sql.substring(start, pos), null, false));
            } else {
                pos++;
                Kind kind = switch (c) {
                    case '(' -> Kind.LPAREN;
                    case ')' -> Kind.RPAREN;
                    case ',' -> Kind.COMMA;
                    case ';' -> Kind.SEMICOLON;
                    case '.' -> Kind.DOT;
                    case '?' -> Kind.PARAM;
                    default -> Kind.OPERATOR;
                };
                tokens.add(new Token(kind, String.valueOf(c), null, false));
            }
        }
        List<Token> marked = new ArrayList<>(tokens.size());
        boolean blank = false;
        for (Token t : tokens) {
            marked.add(new Token(t.kind(), t.text(), t.value(), blank));
            blank = t.isBlank();
        }
        return marked;
    }

    /** Non-blank tokens without trailing semicolons (Athena accepts one trailing {@code ;}). */
    static List<Token> significant(List<Token> tokens) {
        List<Token> out = new ArrayList<>(tokens.stream().filter(t -> !t.isBlank()).toList());
        while (!out.isEmpty() && out.get(out.size() - 1).kind() == Kind.SEMICOLON) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /** How many {@code ?} placeholders the query has. */
    static int parameterCount(List<Token> tokens) {
        return (int) tokens.stream().filter(t -> t.kind() == Kind.PARAM).count();
    }

    /**
     * Checks that an execution parameter is one literal: a quoted string, a number (optionally signed), TRUE,
     * FALSE, NULL, or a typed literal such as {@code DATE '2024-01-01'}. Athena substitutes it as it is written.
     */
    static void checkParameterLiteral(String value) throws SyntaxException {
        List<Token> t = significant(lex(value));
        boolean ok = switch (t.size()) {
            case 1 -> t.get(0).kind() == Kind.STRING || t.get(0).kind() == Kind.NUMBER
                || t.get(0).isWord("true") || t.get(0).isWord("false") || t.get(0).isWord("null");
            case 2 -> (t.get(0).kind() == Kind.OPERATOR && (t.get(0).text().equals("-") || t.get(0).text().equals("+"))
                && t.get(1).kind() == Kind.NUMBER)
                || (t.get(0).kind() == Kind.WORD && t.get(1).kind() == Kind.STRING
                && List.of("date", "timestamp", "time", "decimal", "varchar", "char", "interval")
                    .contains(t.get(0).text().toLowerCase(Locale.ROOT)));
            default -> false;
        };
        if (!ok) {
            throw new SyntaxException("line 1:1: Execution parameter is not a literal: " + value);
        }
    }

    /**
     * The query as DuckDB runs it: {@code ?} replaced by the execution parameters in order, the
     * {@code awsdatacatalog} catalog prefix dropped (DuckDB schemas stand for Athena databases).
     */
    static String toDuckDb(List<Token> tokens, List<String> parameters) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.spaceBefore() && out.length() > 0) {
                out.append(' ');
            }
            if (t.kind() == Kind.PARAM) {
                out.append(parameters.get(next++));
            } else if (isCatalogName(t) && i + 1 < tokens.size() && tokens.get(i + 1).kind() == Kind.DOT
                    && (i == 0 || tokens.get(i - 1).kind() != Kind.DOT)) {
                i++; // skip the catalog and its dot
            } else {
                out.append(t.text());
            }
        }
        return out.toString();
    }

    private static boolean isCatalogName(Token t) {
        return (t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_IDENT)
            && (t.kind() == Kind.WORD ? t.text() : t.value()).equalsIgnoreCase(AthenaService.DEFAULT_CATALOG);
    }

    /** The text of tokens, as written. */
    static String text(List<Token> tokens) {
        StringBuilder out = new StringBuilder();
        tokens.forEach(t -> out.append(t.text()));
        return out.toString();
    }

    /** A DuckDB (and Athena) string literal holding exactly {@code value}. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String at(String sql, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset; i++) {
            if (sql.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return "line " + line + ":" + column + ": ";
    }
}
