package com.warehouseexport.model.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.Validation;
import com.warehouseexport.model.domain.ExportFormat;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The same hostile strings as {@link InjectionCorpusTest}, rendered for Athena and run by the local Athena, which
 * reads literals as Athena does (a doubled quote, no backslash escapes): every value must come back exactly as
 * given. Redshift's escaping would double the backslashes, which Athena would keep: the dialect matters.
 */
@LocalAwsTest
class AthenaInjectionCorpusTest {
    private static final String OUTPUT = "s3://athena-corpus-results/q/";
    private static final Dataset PROBE = DatasetCatalog.of("""
            {"datasets": [{"name": "probe", "description": "injection probe", "warehouse": "athena",
              "sql": "select :sku as v from product_detail where sku = 'FLOWER12'",
              "parameters": [{"name": "sku", "type": "string", "required": true, "maxLength": 1024}]}]}
            """, "test").get("probe").orElseThrow();

    @BeforeAll
    static void bucket(S3Client s3) {
        s3.createBucket(b -> b.bucket("athena-corpus-results"));
    }

    private static String roundTrip(AthenaClient athena, String query) throws InterruptedException {
        String id = athena.startQueryExecution(b -> b.queryString(query)
                .queryExecutionContext(c -> c.database("rsdataapi"))
                .resultConfiguration(r -> r.outputLocation(OUTPUT))).queryExecutionId();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        QueryExecutionState state;
        do {
            Thread.sleep(5);
            state = athena.getQueryExecution(g -> g.queryExecutionId(id)).queryExecution().status().state();
        } while ((state == QueryExecutionState.QUEUED || state == QueryExecutionState.RUNNING)
                && System.nanoTime() < deadline);
        assertEquals(QueryExecutionState.SUCCEEDED, state, query);
        return athena.getQueryResults(g -> g.queryExecutionId(id)).resultSet().rows().get(1).data().get(0)
                .varCharValue();
    }

    private static String render(String value) {
        com.fasterxml.jackson.databind.node.ObjectNode body =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("sku", value);
        Validation v = PROBE.validate(body);
        assertTrue(v.isValid(), value);
        return AthenaExportSql.render(PROBE, v.parameters(), ExportFormat.CSV, null);
    }

    @Test
    void everyAcceptedValueComesBackUnchanged(AthenaClient athena) throws Exception {
        List<String> values = InjectionCorpusTest.accepted().toList();
        for (String value : values) {
            assertEquals(value, roundTrip(athena, render(value)), "value " + value);
        }
        System.out.println("Athena corpus: " + values.size() + " values round-tripped");
    }

    @Test
    void redshiftEscapingWouldCorruptBackslashesOnAthena(AthenaClient athena) throws Exception {
        String value = "a\\b";
        assertEquals("select 'a\\b' as v from product_detail where sku = 'FLOWER12'", render(value));
        String redshiftStyle = "select " + SqlLiterals.nestedStringLiteral(value)
                + " as v from product_detail where sku = 'FLOWER12'";
        assertNotEquals(value, roundTrip(athena, redshiftStyle));
    }
}
