package com.warehouseexport.localruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRuntimeMainTest {
    @Test
    void defaults() {
        LocalRuntimeMain.Options options = LocalRuntimeMain.parse(new String[0]);
        assertEquals(Path.of("template.yaml"), options.template());
        assertEquals(3000, options.port());
        assertEquals(Path.of(".local-data"), options.dataDir());
        assertEquals(100_000, options.inventoryRows());
        assertNull(options.pollEvery());
        assertEquals("warehouse-export", options.stackName());
        assertNull(LocalRuntimeMain.parse(new String[] {"--help"}));
    }

    @Test
    void everyOption() {
        LocalRuntimeMain.Options options = LocalRuntimeMain.parse(new String[] {"--template", "t.yaml", "--port",
            "8080", "--data-dir", "/tmp/d", "--inventory-rows", "5000", "--warehouse", "w.duckdb", "--datasets",
            "catalog.json", "--poll-every", "5s", "--parameter-overrides", "A=1", "B=\"two words\"", "--principals",
            "p.json", "--stack-name", "s"});
        assertEquals(Path.of("t.yaml"), options.template());
        assertEquals(8080, options.port());
        assertEquals(Path.of("/tmp/d"), options.dataDir());
        assertEquals(5000, options.inventoryRows());
        assertEquals(Path.of("w.duckdb"), options.warehouse());
        assertEquals(Path.of("catalog.json"), options.datasets());
        assertEquals(Duration.ofSeconds(5), options.pollEvery());
        // as with the SAM CLI, a value with spaces is quoted inside the argument
        assertEquals(Map.of("A", "1", "B", "two words"), options.parameterOverrides());
        assertEquals(Path.of("p.json"), options.principals());
        assertEquals("s", options.stackName());
        assertNull(LocalRuntimeMain.parse(new String[] {"--in-memory"}).dataDir());
    }

    @Test
    void parameterOverridesInSamClisForms() {
        assertEquals(Map.of("A", "1", "B", "x y", "C", ""),
            LocalRuntimeMain.parameterOverrides("A=1 B=\"x y\" C="));
        assertEquals(Map.of("RSClusterID", "", "RSWorkgroupName", "wg"),
            LocalRuntimeMain.parameterOverrides("ParameterKey=RSClusterID,ParameterValue= "
                + "ParameterKey=RSWorkgroupName,ParameterValue=wg"));
        assertEquals(Map.of("A", "1", "B", "2"), LocalRuntimeMain.parse(new String[] {"--parameter-overrides",
            "A=1", "B=2"}).parameterOverrides());
        assertThrows(IllegalArgumentException.class, () -> LocalRuntimeMain.parameterOverrides("novalue"));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), LocalRuntimeMain.duration("500ms"));
        assertEquals(Duration.ofSeconds(5), LocalRuntimeMain.duration("5s"));
        assertEquals(Duration.ofSeconds(7), LocalRuntimeMain.duration("7"));
        assertEquals(Duration.ofMinutes(2), LocalRuntimeMain.duration("2m"));
        assertEquals(Duration.ofHours(1), LocalRuntimeMain.duration("1h"));
        assertEquals(Duration.ofSeconds(30), LocalRuntimeMain.duration("PT30S"));
        assertThrows(IllegalArgumentException.class, () -> LocalRuntimeMain.duration("soon"));
        assertThrows(IllegalArgumentException.class, () -> LocalRuntimeMain.duration("0s"));
    }

    @Test
    void badCommandLines() {
        assertThrows(IllegalArgumentException.class, () -> LocalRuntimeMain.parse(new String[] {"--port"}));
        assertThrows(IllegalArgumentException.class, () -> LocalRuntimeMain.parse(new String[] {"--port", "x"}));
        assertThrows(IllegalArgumentException.class, () -> LocalRuntimeMain.parse(new String[] {"--nope"}));
        assertThrows(IllegalArgumentException.class,
            () -> LocalRuntimeMain.parse(new String[] {"--parameter-overrides"}));
    }

    @Test
    void configFileThenCommandLine(@TempDir Path dir) throws Exception {
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, "Resources: {}\n");
        Files.writeString(dir.resolve("local-runtime.json"), "{\"parameters\": {\"A\": \"from-file\", \"B\": 2}}");
        LocalRuntimeMain.Options options = LocalRuntimeMain.parse(new String[] {"--template", template.toString(),
            "--parameter-overrides", "A=from-cli"});
        assertEquals(Map.of("A", "from-cli", "B", "2"), LocalRuntimeMain.parameters(options));
    }
}
