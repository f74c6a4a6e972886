package com.warehouseexport.localaws.redshift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.redshift.UnloadCommand.Compression;
import com.warehouseexport.localaws.redshift.UnloadCommand.Format;
import com.warehouseexport.localaws.redshift.UnloadCommand.UnloadException;
import org.junit.jupiter.api.Test;

class UnloadCommandTest {

    private static UnloadCommand parse(String sql) throws Exception {
        return UnloadCommand.parse(SqlLexer.lex(sql));
    }

    private static String error(String sql) {
        return assertThrows(UnloadException.class, () -> parse(sql)).getMessage();
    }

    @Test
    void defaultsAreRedshifts() throws Exception {
        UnloadCommand c = parse("unload ('select 1') to 's3://bucket/some/prefix_' iam_role default");
        assertEquals("select 1", c.query());
        assertEquals("bucket", c.bucket());
        assertEquals("some/prefix_", c.keyPrefix());
        assertEquals(Format.TEXT, c.format());
        assertTrue(c.parallel());
        assertEquals(UnloadCommand.MAX_FILE_SIZE, c.maxFileSize());
        assertFalse(c.manifest());
        assertEquals("", c.extension());
    }

    @Test
    void optionsInAnyOrderAndCase() throws Exception {
        UnloadCommand c = parse("UNLOAD ('select 1') TO 's3://b/p/' Manifest Verbose maxfilesize as 10 mb "
            + "FORMAT AS CSV allowoverwrite HEADER DELIMITER AS ';' PARALLEL OFF gzip "
            + "IAM_ROLE 'arn:aws:iam::000000000000:role/unload';");
        assertEquals(Format.CSV, c.format());
        assertTrue(c.header() && c.manifest() && c.manifestVerbose() && c.allowOverwrite());
        assertEquals(';', c.delimiter());
        assertFalse(c.parallel());
        assertEquals(10 * UnloadCommand.MB, c.maxFileSize());
        assertEquals(Compression.GZIP, c.compression());
        assertEquals(".gz", c.extension());
        assertEquals("arn:aws:iam::000000000000:role/unload", c.iamRole());

        UnloadCommand p = parse("unload ('select 1') to 's3://b/p' parquet cleanpath parallel true maxfilesize 1 gb "
            + "iam_role default");
        assertEquals(Format.PARQUET, p.format());
        assertEquals(".parquet", p.extension());
        assertTrue(p.cleanPath() && p.parallel());
        assertEquals(1024 * UnloadCommand.MB, p.maxFileSize());
        assertEquals('\t', parse("unload ('select 1') to 's3://b/p' iam_role default delimiter '\\t'").delimiter());
    }

    @Test
    void queryLiteralFollowsRedshiftEscapes() throws Exception {
        assertEquals("select * from t where name = 'O''Brien'",
            parse("unload ('select * from t where name = ''O''''Brien''') to 's3://b/p' iam_role default").query());
        assertEquals("select * from t where name = 'O\\'Brien'",
            parse("unload ('select * from t where name = \\'O\\\\\\'Brien\\'') to 's3://b/p' iam_role default")
                .query());
        assertEquals("select 'a\\\\b'",
            parse("unload ('select ''a\\\\\\\\b''') to 's3://b/p' iam_role default").query());
    }

    @Test
    void unsupportedOptionsAreRefusedByName() {
        for (String option : new String[] {"ADDQUOTES", "ESCAPE", "ENCRYPTED", "BZIP2", "NULL AS 'x'",
            "PARTITION BY (a)", "FIXEDWIDTH 'a:1'", "REGION 'us-west-2'"}) {
            String message = error("unload ('select 1') to 's3://b/p' iam_role default " + option);
            String word = option.split(" ")[0];
            assertTrue(message.startsWith("ERROR: UNLOAD option " + word + " is not supported"), message);
        }
    }

    @Test
    void invalidCombinationsFailLikeRedshift() {
        assertEquals("ERROR: syntax error at or near \"bogus\"",
            error("unload ('select 1') to 's3://b/p' iam_role default bogus"));
        assertTrue(error("unload ('select 1') to 's3://b/p'").startsWith("ERROR: UNLOAD needs authorization"));
        assertEquals("ERROR: HEADER cannot be used with PARQUET format",
            error("unload ('select 1') to 's3://b/p' iam_role default parquet header"));
        assertEquals("ERROR: GZIP cannot be used with PARQUET format",
            error("unload ('select 1') to 's3://b/p' iam_role default format parquet gzip"));
        assertEquals("ERROR: CLEANPATH cannot be used together with ALLOWOVERWRITE",
            error("unload ('select 1') to 's3://b/p' iam_role default cleanpath allowoverwrite"));
        assertEquals("ERROR: MAXFILESIZE must be between 5 MB and 6.2 GB",
            error("unload ('select 1') to 's3://b/p' iam_role default maxfilesize 1 mb"));
        assertEquals("ERROR: conflicting or redundant options",
            error("unload ('select 1') to 's3://b/p' iam_role default csv parquet"));
        assertTrue(error("unload ('select 1') to 'https://b/p' iam_role default").startsWith("ERROR: Invalid S3 path"));
        assertEquals("ERROR: Limit clause is not supported: select * from t limit 10",
            error("unload ('select * from t limit 10') to 's3://b/p' iam_role default"));
        assertEquals("ERROR: syntax error at or near \":\"",
            error("unload ('select * from t where a = :a') to 's3://b/p' iam_role default"));
    }
}
