package com.warehouseexport.model.sql;

import com.warehouseexport.model.catalog.ParameterValue;
import com.warehouseexport.model.catalog.ParameterValue.BooleanValue;
import com.warehouseexport.model.catalog.ParameterValue.DateValue;
import com.warehouseexport.model.catalog.ParameterValue.DecimalValue;
import com.warehouseexport.model.catalog.ParameterValue.EnumValue;
import com.warehouseexport.model.catalog.ParameterValue.IntegerValue;
import com.warehouseexport.model.catalog.ParameterValue.NullValue;
import com.warehouseexport.model.catalog.ParameterValue.StringValue;

/**
 * The only way a parameter value becomes SQL text.
 *
 * <p>Redshift follows PostgreSQL 8.0 literal rules: inside {@code '...'} a backslash escapes the next
 * character and {@code ''} is a quote. The query of an UNLOAD is itself such a literal, so a string value
 * goes through two levels: {@link #nestedStringLiteral} writes it as a literal of the inner query, and
 * {@link #unloadQueryLiteral} then escapes the whole inner query once for the UNLOAD literal.
 * Numbers, booleans and dates are written from their parsed Java values.
 */
public final class SqlLiterals {
    private SqlLiterals() {
    }

    /**
     * A string literal of the inner (unloaded) query: {@code \} → {@code \\}, {@code '} → {@code ''},
     * wrapped in quotes. Control and other forbidden characters are refused (validation already refused
     * them; this keeps the guarantee even for values that did not come through validation).
     */
    public static String nestedStringLiteral(String value) {
        int bad = TextRules.firstForbidden(value);
        if (bad >= 0) {
            throw new IllegalArgumentException("Refusing to render a string with a forbidden character ("
                    + TextRules.describe(value.codePointAt(bad)) + " at index " + bad + ")");
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        out.append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\'') {
                out.append("''");
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    /** The inner query as the UNLOAD's literal: {@code \} → {@code \\}, {@code '} → {@code \'}, in quotes. */
    public static String unloadQueryLiteral(String innerQuery) {
        StringBuilder out = new StringBuilder(innerQuery.length() + 32);
        out.append('\'');
        for (int i = 0; i < innerQuery.length(); i++) {
            char c = innerQuery.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\'') {
                out.append("\\'");
            } else {
                out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    /**
     * An Athena (Trino) string literal: {@code '} → {@code ''}, nothing else. Athena has no backslash escapes, so
     * a backslash stands for itself and must not be doubled; the query of an Athena UNLOAD is SQL, not a literal,
     * so there is no second level. Forbidden characters are refused as in {@link #nestedStringLiteral}.
     */
    public static String athenaStringLiteral(String value) {
        int bad = TextRules.firstForbidden(value);
        if (bad >= 0) {
            throw new IllegalArgumentException("Refusing to render a string with a forbidden character ("
                    + TextRules.describe(value.codePointAt(bad)) + " at index " + bad + ")");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    /** SQL text of one validated value, for the inner query of a Redshift UNLOAD. */
    public static String render(ParameterValue value) {
        return render(value, SqlDialect.REDSHIFT);
    }

    /** SQL text of one validated value in the given dialect: only strings differ (their escaping). */
    public static String render(ParameterValue value, SqlDialect dialect) {
        if (value instanceof StringValue s) {
            return stringLiteral(s.value(), dialect);
        }
        if (value instanceof EnumValue e) {
            return stringLiteral(e.value(), dialect);
        }
        if (value instanceof IntegerValue i) {
            return signed(Long.toString(i.value()));
        }
        if (value instanceof DecimalValue d) {
            return signed(d.value().toPlainString());
        }
        if (value instanceof DateValue d) {
            // LocalDate.toString is always ISO yyyy-MM-dd for the years validation allows.
            return "CAST(" + stringLiteral(d.value().toString(), dialect) + " AS DATE)";
        }
        if (value instanceof BooleanValue b) {
            return b.value() ? "TRUE" : "FALSE";
        }
        if (value instanceof NullValue) {
            return "NULL";
        }
        throw new IllegalArgumentException("Unknown parameter value " + value);
    }

    private static String stringLiteral(String value, SqlDialect dialect) {
        return dialect == SqlDialect.ATHENA ? athenaStringLiteral(value) : nestedStringLiteral(value);
    }

    // A negative number goes in parentheses so that "a -:x" can never turn into a "--" comment.
    private static String signed(String number) {
        return number.startsWith("-") ? "(" + number + ")" : number;
    }
}
