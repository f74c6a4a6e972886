package com.warehouseexport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliArgumentsTest {
    private static final Map<String, String> ENV = Map.of(CliArguments.ENDPOINT_VARIABLE, "http://127.0.0.1:3000");

    private static CliArguments parse(String... args) {
        return CliArguments.parse(List.of(args), ENV);
    }

    private static String usageError(Map<String, String> env, String... args) {
        CliException e = assertThrows(CliException.class, () -> CliArguments.parse(List.of(args), env));
        assertEquals(ExitCode.USAGE, e.exitCode());
        return e.getMessage();
    }

    @Test
    void submitWithParametersFormatAndWait() {
        CliArguments a = parse("submit", "product_inventory", "--param", "warehouse_id=3", "-p", "category=Roses",
            "--param=restocked_since=2026-01-01", "--format", "PARQUET", "--wait");
        assertEquals("submit", a.command());
        assertEquals(List.of("product_inventory"), a.positional());
        assertEquals(Map.of("warehouse_id", "3", "category", "Roses", "restocked_since", "2026-01-01"), a.params());
        assertEquals("parquet", a.format());
        assertTrue(a.waitForResult());
        assertFalse(a.json());
    }

    @Test
    void aParameterValueMayContainEqualsSigns() {
        assertEquals(Map.of("sku", "a=b"), parse("submit", "product_detail", "--param", "sku=a=b").params());
    }

    @Test
    void globalOptionsMayStandBeforeOrAfterTheCommand() {
        CliArguments before = parse("--endpoint", "https://abc.execute-api.eu-west-1.amazonaws.com/v1",
            "--region", "eu-west-1", "--json", "status", "id-1", "--history");
        CliArguments after = parse("status", "id-1", "--history", "--json", "--region=eu-west-1",
            "--endpoint=https://abc.execute-api.eu-west-1.amazonaws.com/v1");
        assertEquals(before, after);
        assertEquals(URI.create("https://abc.execute-api.eu-west-1.amazonaws.com/v1"), before.endpoint());
        assertEquals("eu-west-1", before.region());
        assertTrue(before.history());
        assertEquals("id-1", before.requestId());
    }

    @Test
    void endpointAndRegionComeFromTheEnvironmentByDefault() {
        CliArguments a = CliArguments.parse(List.of("datasets"),
            Map.of(CliArguments.ENDPOINT_VARIABLE, "http://localhost:3000", "AWS_REGION", "ap-southeast-2"));
        assertEquals(URI.create("http://localhost:3000"), a.endpoint());
        assertEquals("ap-southeast-2", a.region());
        assertEquals("us-east-1", parse("datasets").region());
    }

    @Test
    void downloadOptions() {
        CliArguments a = parse("download", "id-1", "-o", "out.zip", "--unzip-to", "rows", "--timeout", "90s");
        assertEquals("out.zip", a.output());
        assertTrue(a.unzip());
        assertEquals("rows", a.unzipDir());
        assertEquals(Duration.ofSeconds(90), a.timeout());
        CliArguments plain = parse("download", "id-1", "--unzip");
        assertTrue(plain.unzip());
        assertNull(plain.unzipDir());
        assertEquals(Duration.ofMinutes(30), plain.timeout());
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), CliArguments.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(45), CliArguments.parseDuration("45"));
        assertEquals(Duration.ofMinutes(15), CliArguments.parseDuration("15m"));
        assertEquals(Duration.ofHours(2), CliArguments.parseDuration("2h"));
        assertTrue(usageError(ENV, "wait", "x", "--timeout", "soon").contains("90s, 15m or 2h"));
        assertTrue(usageError(ENV, "wait", "x", "--timeout", "0s").contains("positive"));
    }

    @Test
    void helpNeedsNoEndpoint() {
        assertEquals("help", CliArguments.parse(List.of(), Map.of()).command());
        assertEquals("help", CliArguments.parse(List.of("submit", "--help"), Map.of()).command());
    }

    @Test
    void mistakesAreUsageErrorsThatSayWhatIsWrong() {
        assertTrue(usageError(Map.of(), "datasets").contains(CliArguments.ENDPOINT_VARIABLE));
        assertTrue(usageError(ENV, "frob").contains("unknown command \"frob\""));
        assertTrue(usageError(ENV, "status").contains("status takes one request id"));
        assertTrue(usageError(ENV, "status", "a", "b").contains("not [a, b]"));
        assertTrue(usageError(ENV, "submit").contains("submit takes one dataset name"));
        assertTrue(usageError(ENV, "submit", "d", "--param", "novalue").contains("name=value"));
        assertTrue(usageError(ENV, "submit", "d", "--param").contains("--param needs a value"));
        assertTrue(usageError(ENV, "submit", "d", "--format", "xlsx").contains("csv or parquet"));
        assertTrue(usageError(ENV, "status", "x", "--colour").contains("unknown option --colour"));
        assertTrue(usageError(ENV, "status", "x", "--json=yes").contains("--json takes no value"));
        assertTrue(usageError(ENV, "status", "x", "--format", "csv").contains("belong to submit"));
        assertTrue(usageError(ENV, "--endpoint", "ftp://x", "datasets").contains("http(s) URL"));
    }
}
