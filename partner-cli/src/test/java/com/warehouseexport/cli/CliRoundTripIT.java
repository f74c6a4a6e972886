package com.warehouseexport.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/warehouse-export-cli.jar} against {@code java -jar local-runtime.jar}, each in its own
 * process, credentials from the environment as a partner sets them: submit, wait, download and unzip, and the
 * rows of the archive; then the exit codes and messages of the ways it can go wrong.
 */
class CliRoundTripIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CLI_JAR = Path.of(System.getProperty("cli.jar", "target/warehouse-export-cli.jar"));
    private static final Path RUNTIME_JAR = Path.of(System.getProperty("cli.runtimeJar",
        "../local-runtime/target/local-runtime.jar"));
    private static final Path TEMPLATE = Path.of(System.getProperty("cli.template", "../template.yaml"));
    private static final List<String> FLOWER12_LINES = List.of("sku,product_id,product_name,product_description",
        "FLOWER12,12345,Flowers - Rose,Flowers-Rose");

    @TempDir
    static Path dir;
    private static LocalRuntimeProcess runtime;

    record Run(int exitCode, String stdout, String stderr) {
        JsonNode json() throws IOException {
            return JSON.readTree(stdout);
        }
    }

    @BeforeAll
    static void startRuntime() throws IOException {
        assertTrue(Files.isRegularFile(CLI_JAR), CLI_JAR + " is missing: run after package");
        runtime = LocalRuntimeProcess.start(RUNTIME_JAR.toAbsolutePath(), TEMPLATE.toAbsolutePath(),
            dir.resolve("runtime.log"));
    }

    @AfterAll
    static void stopRuntime() throws InterruptedException {
        if (runtime != null) {
            runtime.close();
        }
    }

    /** The CLI as a partner runs it: partner-a's keys in the environment, no AWS config files of this machine. */
    private static Run cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(LocalRuntimeProcess.javaCommand());
        command.addAll(List.of("-jar", CLI_JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", "AKIDPARTNERA");
        env.put("AWS_SECRET_ACCESS_KEY", "partner-a-secret");
        env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
        env.put(CliArguments.ENDPOINT_VARIABLE, runtime.api().toString());
        Path out = dir.resolve("cli.out");
        Path err = dir.resolve("cli.err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI ran over 180 s: " + command);
        }
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
        System.out.println("$ warehouse-export " + String.join(" ", args) + "  -> exit " + run.exitCode()
            + "\n" + run.stdout() + run.stderr());
        return run;
    }

    @Test
    void submitWaitDownloadAndTheRowsAreThere() throws Exception {
        Run submitted = cli("submit", "product_detail", "--param", "sku=FLOWER12", "--format", "csv", "--json");
        assertEquals(0, submitted.exitCode(), submitted::toString);
        String id = submitted.json().path("requestId").asText();
        assertEquals("QUEUED", submitted.json().path("status").asText(), submitted::toString);

        long started = System.nanoTime();
        Run waited = cli("wait", id, "--json", "--timeout", "120s");
        assertEquals(0, waited.exitCode(), waited::toString);
        assertEquals("SUCCEEDED", waited.json().path("status").asText(), waited::toString);
        System.out.println("CLI figure: wait returned after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime()
            - started) + " ms");
        // not a terminal: plain progress lines, no carriage returns, the final state among them
        assertFalse(waited.stderr().contains("\r"), waited::stderr);
        assertTrue(waited.stderr().lines().anyMatch(line -> line.equals(id + " SUCCEEDED")), waited::stderr);

        Run downloaded = cli("download", id, "--output", "flower12.zip", "--unzip-to", "rows", "--json");
        assertEquals(0, downloaded.exitCode(), downloaded::toString);
        JsonNode summary = downloaded.json();
        assertEquals(waited.json().path("result").path("bytes").asLong(), summary.path("bytes").asLong());
        assertEquals(Files.size(dir.resolve("flower12.zip")), summary.path("bytes").asLong());
        assertEquals(1, summary.path("files").size(), summary::toString);
        Path csv = Path.of(summary.path("files").get(0).asText());
        assertTrue(csv.startsWith(dir.resolve("rows").toAbsolutePath()), csv::toString);
        assertEquals(FLOWER12_LINES, Files.readAllLines(csv));
        assertTrue(downloaded.stderr().contains("100%"), downloaded::stderr);

        Run history = cli("status", id, "--history", "--json");
        assertEquals(0, history.exitCode(), history::toString);
        JsonNode events = history.json().path("events");
        assertEquals("RECEIVED", events.get(0).path("status").asText());
        assertEquals("SUCCEEDED", events.get(events.size() - 1).path("status").asText());

        Run text = cli("status", id);
        assertEquals(0, text.exitCode(), text::toString);
        assertTrue(text.stdout().startsWith(id + "  SUCCEEDED"), text::stdout);
    }

    @Test
    void submitWithWaitTypesParametersFromTheCatalog() throws Exception {
        Run run = cli("submit", "product_inventory", "--param", "warehouse_id=3", "--param", "is_active=true",
            "--param", "limit=5", "--format", "parquet", "--download", "--unzip", "--json");
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode summary = run.json();
        assertTrue(summary.path("rows").asLong() <= 5, summary::toString);
        assertTrue(summary.path("files").size() >= 1, summary::toString);
        for (JsonNode file : summary.path("files")) {
            byte[] head = Files.readAllBytes(Path.of(file.asText()));
            assertEquals("PAR1", new String(head, 0, 4, StandardCharsets.US_ASCII), file::asText);
        }
    }

    @Test
    void datasetsListsTheCatalog() throws Exception {
        Run text = cli("datasets");
        assertEquals(0, text.exitCode(), text::toString);
        assertTrue(text.stdout().contains("--param sku=<string>  required"), text::stdout);
        Run json = cli("datasets", "--json");
        assertEquals("product_detail", json.json().path("datasets").get(0).path("name").asText());
    }

    @Test
    void exitCodesAndMessages() throws Exception {
        Run usage = cli("submit");
        assertEquals(ExitCode.USAGE.code(), usage.exitCode(), usage::toString);
        assertTrue(usage.stderr().contains("submit takes one dataset name"), usage::stderr);

        Run unknownDataset = cli("submit", "orders");
        assertEquals(ExitCode.API_ERROR.code(), unknownDataset.exitCode(), unknownDataset::toString);
        assertTrue(unknownDataset.stderr().contains("HTTP 400 unknown_dataset"), unknownDataset::stderr);

        Run badType = cli("submit", "product_inventory", "--param", "warehouse_id=three");
        assertEquals(ExitCode.USAGE.code(), badType.exitCode(), badType::toString);

        Run missing = cli("status", UUID.randomUUID().toString());
        assertEquals(ExitCode.API_ERROR.code(), missing.exitCode(), missing::toString);
        assertTrue(missing.stderr().contains("HTTP 404 not_found"), missing::stderr);

        // DELETE /exports/{id}: refused either way for an unknown id (404 once the route exists, 403 before)
        Run cancel = cli("cancel", UUID.randomUUID().toString());
        assertEquals(ExitCode.API_ERROR.code(), cancel.exitCode(), cancel::toString);
        assertTrue(cancel.stderr().contains("no export request") || cancel.stderr().contains("does not offer cancel"),
            cancel::stderr);

        Run unreachable = cli("--endpoint", "http://127.0.0.1:9", "datasets");
        assertEquals(ExitCode.SERVER_OR_NETWORK.code(), unreachable.exitCode(), unreachable::toString);
        assertTrue(unreachable.stderr().contains("cannot connect"), unreachable::stderr);

        Run help = cli("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().contains("Exit codes: 0 ok, 1 usage"), help::stdout);
    }
}
