package com.warehouseexport.localaws.redshift;

import com.warehouseexport.localaws.redshift.SqlLexer.Kind;
import com.warehouseexport.localaws.redshift.SqlLexer.SqlSyntaxException;
import com.warehouseexport.localaws.redshift.SqlLexer.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The light pre-parse rewrite that lets DuckDB run Redshift SQL: string literals re-quoted (Redshift's
 * backslash escapes resolved), Data API {@code :name} parameters turned into JDBC {@code ?}, and the Redshift
 * constructs DuckDB cannot take as they are (bare dateparts, SYSDATE, NVL, DECODE, TOP n, TO_CHAR formats,
 * LISTAGG ... WITHIN GROUP, TRUNC(date), 3-argument REGEXP_REPLACE, VARCHAR(MAX)). Functions that only need a
 * different definition are DuckDB macros in {@link Warehouse}. The README lists what is covered.
 */
final class RedshiftSqlRewriter {

    /** DuckDB SQL plus the Data API parameter names in the order of their {@code ?} placeholders. */
    record Rewritten(String sql, List<String> parameterOrder) {
    }

    private static final Set<String> DATEPART_FUNCTIONS = Set.of("dateadd", "datediff", "date_part", "date_trunc",
        "pgdate_part");
    private static final Set<String> STRING_TYPES = Set.of("varchar", "nvarchar", "char", "character", "bpchar",
        "varbyte", "varying");

    private static final Set<String> REWRITTEN_CALLS = Set.of("nvl", "btrim", "decode", "trunc", "regexp_replace",
        "to_char", "to_date", "to_timestamp", "listagg");

    private static final Map<String, String> DATEPART_SYNONYMS = datepartSynonyms();

    private final List<String> parameterOrder = new ArrayList<>();

    private RedshiftSqlRewriter() {
    }

    static Rewritten rewrite(String sql) throws SqlSyntaxException {
        List<Token> tokens = stripTrailingSemicolons(SqlLexer.lex(sql));
        RedshiftSqlRewriter rewriter = new RedshiftSqlRewriter();
        List<Token> out = rewriter.level(tokens, 0, tokens.size());
        return new Rewritten(SqlLexer.render(out), List.copyOf(rewriter.parameterOrder));
    }

    /** Number of statements in the text: a statement is anything but blanks between top-level semicolons. */
    static int statementCount(List<Token> tokens) {
        int count = 0;
        boolean content = false;
        for (Token t : tokens) {
            if (t.kind() == Kind.SEMICOLON) {
                if (content) {
                    count++;
                }
                content = false;
            } else if (!t.isBlank()) {
                content = true;
            }
        }
        return content ? count + 1 : count;
    }

    /** The distinct Data API parameter names used in the SQL (outside literals, comments and {@code ::} casts). */
    static Set<String> parameterNames(List<Token> tokens) {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (Token t : tokens) {
            if (t.kind() == Kind.PARAM) {
                names.add(t.value());
            }
        }
        return names;
    }

    static List<Token> stripTrailingSemicolons(List<Token> tokens) {
        int end = tokens.size();
        while (end > 0 && (tokens.get(end - 1).isBlank() || tokens.get(end - 1).kind() == Kind.SEMICOLON)) {
            end--;
        }
        return new ArrayList<>(tokens.subList(0, end));
    }

    /** Rewrites tokens [from, to) that form one parenthesis level; TOP n becomes a LIMIT at the level's end. */
    private List<Token> level(List<Token> in, int from, int to) throws SqlSyntaxException {
        List<Token> out = new ArrayList<>();
        String topLimit = null;
        int i = from;
        while (i < to) {
            Token t = in.get(i);
            if (t.kind() == Kind.PARAM) {
                parameterOrder.add(t.value());
                out.add(Token.of(Kind.OPERATOR, "?"));
                i++;
                continue;
            }
            if (t.kind() == Kind.LPAREN) {
                int close = matchingParen(in, i, to);
                out.add(t);
                out.addAll(level(in, i + 1, close));
                out.add(in.get(close));
                i = close + 1;
                continue;
            }
            if (t.kind() == Kind.WORD) {
                String name = t.text().toLowerCase(Locale.ROOT);
                int next = nextNonBlank(in, i + 1, to);
                boolean qualified = previousNonBlankKind(out) == Kind.DOT;
                if (next < to && in.get(next).kind() == Kind.LPAREN && !qualified && rewritesCall(name)) {
                    int close = matchingParen(in, next, to);
                    i = call(name, t, in, next, close, to, out);
                    continue;
                }
                if (name.equals("sysdate") && !qualified) {
                    out.add(Token.of(Kind.OPERATOR, "CAST(current_timestamp AS TIMESTAMP)"));
                    i++;
                    continue;
                }
                if (name.equals("top") && next < to && in.get(next).kind() == Kind.NUMBER && followsSelect(out)) {
                    topLimit = in.get(next).text();
                    i = next + 1;
                    continue;
                }
            }
            out.add(t);
            i++;
        }
        if (topLimit != null) {
            out.add(Token.of(Kind.OPERATOR, " LIMIT " + topLimit));
        }
        return out;
    }

    /**
     * Rewrites the call {@code name(args)} whose parenthesis spans [open, close]; appends the result to
     * {@code out} and returns the index after the consumed tokens.
     */
    private int call(String name, Token nameToken, List<Token> in, int open, int close, int to, List<Token> out)
            throws SqlSyntaxException {
        List<List<Token>> args = new ArrayList<>();
        for (int[] range : argumentRanges(in, open + 1, close)) {
            args.add(level(in, range[0], range[1]));
        }
        int after = close + 1;
        switch (name) {
            case "nvl" -> emitCall(out, "coalesce", args);
            case "btrim" -> emitCall(out, "trim", args);
            case "decode" -> emitDecode(out, args);
            case "trunc" -> emitCall(out, args.size() == 1 ? "rs_trunc" : nameToken.text(), args);
            case "regexp_replace" -> {
                if (args.size() == 3) {
                    args.add(List.of(new Token(Kind.STRING, "'g'", "g")));
                }
                emitCall(out, nameToken.text(), args);
            }
            case "to_char" -> {
                String format = literal(args, 1);
                if (args.size() == 2 && format != null && !DatetimeFormat.isNumeric(format)) {
                    emitStrftime(out, args.get(0), format);
                } else {
                    emitCall(out, nameToken.text(), args);
                }
            }
            case "to_date", "to_timestamp" -> {
                String format = literal(args, 1);
                if (args.size() == 2 && format != null) {
                    String parse = "strptime(" + SqlLexer.render(args.get(0)) + ", "
                        + SqlLexer.duckDbLiteral(DatetimeFormat.toStrptime(format)) + ")";
                    out.add(Token.of(Kind.OPERATOR, name.equals("to_date") ? "CAST(" + parse + " AS DATE)" : parse));
                } else {
                    emitCall(out, nameToken.text(), args);
                }
            }
            case "listagg" -> after = emitListagg(out, args, in, after, to);
            default -> {
                if (DATEPART_FUNCTIONS.contains(name) && !args.isEmpty()) {
                    args.set(0, datepart(args.get(0)));
                    emitCall(out, nameToken.text(), args);
                } else if (STRING_TYPES.contains(name) && args.size() == 1 && isWord(args.get(0), "max")) {
                    out.add(nameToken);
                } else {
                    emitCall(out, nameToken.text(), args);
                }
            }
        }
        return after;
    }

    private static boolean rewritesCall(String name) {
        return REWRITTEN_CALLS.contains(name) || DATEPART_FUNCTIONS.contains(name) || STRING_TYPES.contains(name);
    }

    private static void emitCall(List<Token> out, String name, List<List<Token>> args) {
        out.add(Token.of(Kind.WORD, name));
        out.add(Token.of(Kind.LPAREN, "("));
        for (int a = 0; a < args.size(); a++) {
            if (a > 0) {
                out.add(Token.of(Kind.COMMA, ","));
            }
            out.addAll(args.get(a));
        }
        out.add(Token.of(Kind.RPAREN, ")"));
    }

    /** DECODE(expr, search, result, ... [, default]) → CASE; like Redshift, NULL matches NULL. */
    private static void emitDecode(List<Token> out, List<List<Token>> args) throws SqlSyntaxException {
        if (args.size() < 3) {
            throw new SqlSyntaxException("function decode requires at least 3 arguments");
        }
        String expr = SqlLexer.render(args.get(0));
        StringBuilder sql = new StringBuilder("(CASE");
        int a = 1;
        for (; a + 1 < args.size(); a += 2) {
            sql.append(" WHEN (").append(expr).append(") IS NOT DISTINCT FROM (")
                .append(SqlLexer.render(args.get(a))).append(") THEN (")
                .append(SqlLexer.render(args.get(a + 1))).append(')');
        }
        if (a < args.size()) {
            sql.append(" ELSE (").append(SqlLexer.render(args.get(a))).append(')');
        }
        out.add(Token.of(Kind.OPERATOR, sql.append(" END)").toString()));
    }

    private static void emitStrftime(List<Token> out, List<Token> value, String format) {
        DatetimeFormat.Translation t = DatetimeFormat.toStrftime(format);
        String call = "strftime(CAST(" + SqlLexer.render(value) + " AS TIMESTAMP), "
            + SqlLexer.duckDbLiteral(t.pattern()) + ")";
        out.add(Token.of(Kind.OPERATOR, switch (t.textCase()) {
            case UPPER -> "upper(" + call + ")";
            case LOWER -> "lower(" + call + ")";
            case AS_IS -> call;
        }));
    }

    /** LISTAGG(expr [, delim]) [WITHIN GROUP (ORDER BY ...)] → string_agg(expr, delim [ORDER BY ...]). */
    private int emitListagg(List<Token> out, List<List<Token>> args, List<Token> in, int after, int to)
            throws SqlSyntaxException {
        List<Token> orderBy = List.of();
        int within = nextNonBlank(in, after, to);
        if (within < to && in.get(within).isWord("within")) {
            int group = nextNonBlank(in, within + 1, to);
            int open = group < to ? nextNonBlank(in, group + 1, to) : to;
            if (group >= to || !in.get(group).isWord("group") || open >= to || in.get(open).kind() != Kind.LPAREN) {
                throw new SqlSyntaxException("syntax error at or near \"within\"");
            }
            int close = matchingParen(in, open, to);
            orderBy = level(in, open + 1, close);
            after = close + 1;
        }
        out.add(Token.of(Kind.WORD, "string_agg"));
        out.add(Token.of(Kind.LPAREN, "("));
        out.addAll(args.isEmpty() ? List.of() : args.get(0));
        out.add(Token.of(Kind.COMMA, ","));
        out.addAll(args.size() > 1 ? args.get(1) : List.of(new Token(Kind.STRING, "''", "")));
        if (!orderBy.isEmpty()) {
            out.add(Token.of(Kind.SPACE, " "));
            out.addAll(orderBy);
        }
        out.add(Token.of(Kind.RPAREN, ")"));
        return after;
    }

    /** A datepart written as a bare word or a literal becomes the canonical literal DuckDB understands. */
    private static List<Token> datepart(List<Token> arg) {
        List<Token> content = trimmed(arg);
        if (content.size() != 1) {
            return arg;
        }
        Token t = content.get(0);
        String part;
        if (t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_IDENT) {
            part = t.value();
        } else if (t.kind() == Kind.STRING) {
            part = t.value();
        } else {
            return arg;
        }
        String lower = part.trim().toLowerCase(Locale.ROOT);
        String canonical = DATEPART_SYNONYMS.getOrDefault(lower, lower);
        return List.of(new Token(Kind.STRING, SqlLexer.duckDbLiteral(canonical), canonical));
    }

    private static String literal(List<List<Token>> args, int index) {
        if (args.size() <= index) {
            return null;
        }
        List<Token> content = trimmed(args.get(index));
        return content.size() == 1 && content.get(0).kind() == Kind.STRING ? content.get(0).value() : null;
    }

    private static boolean isWord(List<Token> arg, String word) {
        List<Token> content = trimmed(arg);
        return content.size() == 1 && content.get(0).isWord(word);
    }

    private static List<Token> trimmed(List<Token> tokens) {
        return tokens.stream().filter(t -> !t.isBlank()).toList();
    }

    private static boolean followsSelect(List<Token> out) {
        for (int k = out.size() - 1; k >= 0; k--) {
            Token t = out.get(k);
            if (!t.isBlank()) {
                return t.isWord("select") || t.isWord("distinct") || t.isWord("all");
            }
        }
        return false;
    }

    private static Kind previousNonBlankKind(List<Token> out) {
        for (int k = out.size() - 1; k >= 0; k--) {
            if (!out.get(k).isBlank()) {
                return out.get(k).kind();
            }
        }
        return null;
    }

    private static int nextNonBlank(List<Token> in, int from, int to) {
        int i = from;
        while (i < to && in.get(i).isBlank()) {
            i++;
        }
        return i;
    }

    static int matchingParen(List<Token> in, int open, int to) throws SqlSyntaxException {
        int depth = 0;
        for (int i = open; i < to; i++) {
            Kind k = in.get(i).kind();
            if (k == Kind.LPAREN) {
                depth++;
            } else if (k == Kind.RPAREN && --depth == 0) {
                return i;
            }
        }
        throw new SqlSyntaxException("syntax error at end of input");
    }

    /** Index ranges of the comma-separated arguments in [from, to), split only at depth 0. */
    private static List<int[]> argumentRanges(List<Token> in, int from, int to) {
        List<int[]> ranges = new ArrayList<>();
        if (nextNonBlank(in, from, to) >= to) {
            return ranges;
        }
        int depth = 0;
        int start = from;
        for (int i = from; i < to; i++) {
            Kind k = in.get(i).kind();
            if (k == Kind.LPAREN) {
                depth++;
            } else if (k == Kind.RPAREN) {
                depth--;
            } else if (k == Kind.COMMA && depth == 0) {
                ranges.add(new int[] {start, i});
                start = i + 1;
            }
        }
        ranges.add(new int[] {start, to});
        return ranges;
    }

    private static Map<String, String> datepartSynonyms() {
        Map<String, String> m = new java.util.HashMap<>();
        put(m, "millennium", "millennium", "millennia", "mil", "mils");
        put(m, "century", "century", "centuries", "c", "cent", "cents");
        put(m, "decade", "decade", "decades", "dec", "decs");
        put(m, "year", "year", "years", "y", "yr", "yrs");
        put(m, "quarter", "quarter", "quarters", "qtr", "qtrs");
        put(m, "month", "month", "months", "mon", "mons");
        put(m, "week", "week", "weeks", "w");
        put(m, "dow", "dayofweek", "dow", "dw", "weekday");
        put(m, "doy", "dayofyear", "doy", "dy", "yearday");
        put(m, "day", "day", "days", "d");
        put(m, "hour", "hour", "hours", "h", "hr", "hrs");
        put(m, "minute", "minute", "minutes", "m", "min", "mins");
        put(m, "second", "second", "seconds", "s", "sec", "secs");
        put(m, "millisecond", "millisecond", "milliseconds", "ms", "msec", "msecs", "msecond", "mseconds",
            "millisec", "millisecs", "millisecon");
        put(m, "microsecond", "microsecond", "microseconds", "microsec", "microsecs", "usecond", "useconds", "us",
            "usec", "usecs");
        put(m, "epoch", "epoch");
        return Map.copyOf(m);
    }

    private static void put(Map<String, String> m, String canonical, String... names) {
        for (String n : names) {
            m.put(n, canonical);
        }
    }
}
