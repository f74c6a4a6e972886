package com.warehouseexport.localaws.redshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lexer, the rewriter and the DuckDB macros together: Redshift SQL in, Redshift's answer out. */
class RedshiftSqlRewriterTest {
    private static Warehouse warehouse;
    private static Connection connection;

    @BeforeAll
    static void open() throws SQLException {
        warehouse = Warehouse.open(null, 1, "512MB");
        connection = warehouse.connect();
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
        warehouse.close();
    }

    private static Object value(String redshiftSql) throws Exception {
        String sql = RedshiftSqlRewriter.rewrite(redshiftSql).sql();
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            Object v = r.getObject(1);
            return v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : v;
        }
    }

    private static String text(String redshiftSql) throws Exception {
        return String.valueOf(value(redshiftSql));
    }

    @Test
    void redshiftStringLiteralsKeepTheirMeaningInDuckDb() throws Exception {
        assertEquals("it's", text("select 'it''s'"));
        assertEquals("it's", text("select 'it\\'s'"));
        assertEquals("back\\slash", text("select 'back\\\\slash'"));
        assertEquals("both ' and \\", text("select 'both \\' and \\\\'"));
        assertEquals("tab\there", text("select 'tab\\there'"));
        assertEquals("x", text("select E'\\x'"));
        assertEquals("A", text("select '\\101'"));
    }

    @Test
    void lexerFindsParametersOnlyOutsideLiteralsCommentsAndCasts() throws Exception {
        List<SqlLexer.Token> tokens = SqlLexer.lex(
            "select ':no' , x::int, :yes /* :no */ -- :no\n from t where a = :other and b = :yes");
        assertEquals(java.util.Set.of("yes", "other"), RedshiftSqlRewriter.parameterNames(tokens));
        RedshiftSqlRewriter.Rewritten r = RedshiftSqlRewriter.rewrite("select :a, :b, :a");
        assertEquals(List.of("a", "b", "a"), r.parameterOrder());
        assertEquals("select ?, ?, ?", r.sql());
    }

    @Test
    void statementsAreCountedAtTopLevelSemicolons() throws Exception {
        assertEquals(1, RedshiftSqlRewriter.statementCount(SqlLexer.lex("select 1;")));
        assertEquals(1, RedshiftSqlRewriter.statementCount(SqlLexer.lex("select ';' ; -- done")));
        assertEquals(2, RedshiftSqlRewriter.statementCount(SqlLexer.lex("select 1; select 2")));
    }

    @Test
    void unterminatedLiteralIsASyntaxError() {
        SqlLexer.SqlSyntaxException e = assertThrows(SqlLexer.SqlSyntaxException.class,
            () -> SqlLexer.lex("select 'open"));
        assertEquals("unterminated quoted string at or near \"'open\"", e.getMessage());
    }

    @Test
    void integerDivisionTruncatesLikeRedshift() throws Exception {
        assertEquals(3, value("select 7/2"));
        assertEquals("3.5", text("select 7/2.0"));
    }

    @Test
    void nullHandlingFunctions() throws Exception {
        assertEquals(3, value("select nvl(null, 3)"));
        assertEquals(4, value("select nvl(null, null, 4)"));
        assertEquals("yes", text("select nvl2(1, 'yes', 'no')"));
        assertEquals("no", text("select nvl2(null, 'yes', 'no')"));
        assertEquals("two", text("select decode(2, 1, 'one', 2, 'two', 'other')"));
        assertEquals("other", text("select decode(9, 1, 'one', 2, 'two', 'other')"));
        assertEquals("null", text("select decode(null, null, 'null', 'x')"));
    }

    @Test
    void dateFunctionsAcceptBareAndQuotedDateparts() throws Exception {
        assertEquals("2024-01-31 00:00:00", text("select to_char(dateadd(day, 30, '2024-01-01'), 'YYYY-MM-DD HH24:MI:SS')"));
        assertEquals("2024-04-01", text("select to_char(dateadd('month', 3, date '2024-01-01'), 'YYYY-MM-DD')"));
        assertEquals("2024-01-01 02:00:00", text("select to_char(dateadd(hrs, 2, timestamp '2024-01-01'), 'YYYY-MM-DD HH24:MI:SS')"));
        assertEquals(64L, value("select datediff(day, '2024-01-01', '2024-03-05')"));
        assertEquals(2L, value("select datediff(months, date '2024-01-31', date '2024-03-01')"));
        assertEquals(1L, value("select datediff(year, '2023-12-31', '2024-01-01')"));
        assertEquals(2024L, value("select date_part(year, date '2024-05-06')"));
        assertEquals(1L, value("select date_part(dow, date '2024-05-06')"));
        assertEquals("2024-05-06", text("select trunc(timestamp '2024-05-06 13:14:15')"));
        assertEquals("12.0", text("select trunc(12.75)"));
        assertEquals("2024-03-31 00:00:00", text("select to_char(add_months('2024-01-31', 2), 'YYYY-MM-DD HH24:MI:SS')"));
        assertEquals("06-MAY-2024", text("select to_char(date '2024-05-06', 'DD-MON-YYYY')"));
        assertEquals("May 6, 2024", text("select to_char(date '2024-05-06', 'Mon FMDD, YYYY')"));
        assertEquals("2024-05-06", text("select to_date('06/05/2024', 'DD/MM/YYYY')"));
        assertEquals("2024-05-06 07:08:09", text("select to_char(to_timestamp('2024-05-06 07:08:09', 'YYYY-MM-DD HH24:MI:SS'), 'YYYY-MM-DD HH24:MI:SS')"));
        assertEquals("2024-01-02 05:00:00", text("select to_char(convert_timezone('America/New_York', 'UTC', '2024-01-02 00:00:00'), 'YYYY-MM-DD HH24:MI:SS')"));
    }

    @Test
    void currentTimeFunctions() throws Exception {
        assertEquals(Boolean.TRUE, value("select getdate() <= sysdate + interval '1 second'"));
        assertEquals(Boolean.TRUE, value("select getdate() = date_trunc('second', getdate())"));
    }

    @Test
    void stringFunctions() throws Exception {
        assertEquals(5L, value("select len('hello')"));
        assertEquals(3L, value("select charindex('l', 'hello')"));
        assertEquals("xbxbx", text("select regexp_replace('abab a', '(a| )', 'x')").substring(0, 5));
        assertEquals("b,a", text("select listagg(v, ',') within group (order by v desc) from (values ('a'), ('b')) t(v)"));
        assertEquals("ab", text("select listagg(v) within group (order by v) from (values ('b'), ('a')) t(v)"));
        assertEquals("x", text("select btrim('  x  ')"));
        assertEquals("abc", text("select cast('abc' as varchar(max))"));
    }

    @Test
    void topBecomesLimit() throws Exception {
        assertEquals("select  v from (values (1), (2), (3)) t(v) order by v desc LIMIT 2",
            RedshiftSqlRewriter.rewrite("select top 2 v from (values (1), (2), (3)) t(v) order by v desc").sql());
        assertEquals(3L, value("select count(*) from (select top 3 * from range(10))"));
    }

    @Test
    void errorsReadLikeRedshift() {
        assertEquals("ERROR: relation \"rsdataapi.nope\" does not exist", RedshiftErrors.translate(
            "Catalog Error: Table with name nope does not exist!\nDid you mean \"x\"?\n\nLINE 1: ...",
            "select * from rsdataapi.nope"));
        assertEquals("ERROR: column \"x\" does not exist in product_detail", RedshiftErrors.translate(
            "Binder Error: Referenced column \"x\" not found in FROM clause!\nCandidate bindings: \"sku\"",
            "select x from rsdataapi.product_detail"));
        assertEquals("ERROR: syntax error at or near \"selec\"",
            RedshiftErrors.translate("Parser Error: syntax error at or near \"selec\"\n\nLINE 1: selec 1", "selec 1"));
        assertEquals("ERROR: division by zero",
            RedshiftErrors.translate("Invalid Input Error: Division by zero in expression (1 // 0).", "select 1/0"));
        assertEquals("ERROR: invalid input syntax for integer: \"abc\"",
            RedshiftErrors.translate("Conversion Error: Could not convert string 'abc' to INT32", "select 'abc'::int"));
        assertEquals("ERROR: Something else", RedshiftErrors.translate("Binder Error: Something else", "x"));
    }
}
