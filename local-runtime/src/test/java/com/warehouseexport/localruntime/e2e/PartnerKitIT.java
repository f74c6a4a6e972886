package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partner kit against {@code java -jar local-runtime.jar} in its own process: the Postman collection run by
 * Newman, and the outbox page in headless Chromium (playwright-core) with a click on the e-mailed link. Reports,
 * the screenshot and the downloaded archive stay in {@code target/partner-kit/}.
 */
class PartnerKitIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATE = Path.of(System.getProperty("e2e.template", "../template.yaml"))
        .toAbsolutePath().normalize();
    private static final Path RUNTIME_JAR = Path.of(System.getProperty("e2e.runtimeJar", "target/local-runtime.jar"))
        .toAbsolutePath().normalize();
    private static final Path ARTEFACTS = Path.of(System.getProperty("e2e.artefacts", "target/partner-kit"))
        .toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    private static RuntimeProcess runtime;
    private static NodeTools node;

    @BeforeAll
    static void startRuntime() throws IOException {
        node = NodeTools.forPartnerKit();
        Files.createDirectories(ARTEFACTS);
        runtime = RuntimeProcess.start(RUNTIME_JAR, TEMPLATE, dir.resolve("data"), freePort(),
            dir.resolve("runtime.log"));
        runtime.awaitReady();
    }

    @AfterAll
    static void stopRuntime() throws InterruptedException {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void postmanCollectionPassesUnderNewman() throws IOException {
        Path report = ARTEFACTS.resolve("newman-report.json");
        Files.deleteIfExists(report);
        NodeTools.Result run = node.run(List.of("npx", "--no-install", "newman", "run",
            "postman/warehouse-export.postman_collection.json", "-e", "postman/local.postman_environment.json",
            "--env-var", "baseUrl=" + runtime.api(), "--reporters", "cli,json",
            "--reporter-json-export", report.toString(), "--color", "off"), 300);
        System.out.println(run.output());
        assertEquals(0, run.exitCode(), "newman failed:\n" + run.output());

        JsonNode stats = JSON.readTree(report.toFile()).path("run").path("stats");
        List<String> failures = new ArrayList<>();
        JSON.readTree(report.toFile()).path("run").path("failures").forEach(f -> failures.add(
            f.path("source").path("name").asText() + ": " + f.path("error").path("message").asText()));
        assertEquals(List.of(), failures);
        assertEquals(0, stats.path("assertions").path("failed").asInt(), stats::toPrettyString);
        assertEquals(0, stats.path("requests").path("failed").asInt(), stats::toPrettyString);
        assertTrue(stats.path("assertions").path("total").asInt() >= 40, stats::toPrettyString);
        System.out.println("E2E figure: newman " + stats.path("requests").path("total").asInt() + " requests, "
            + stats.path("assertions").path("total").asInt() + " assertions");
    }

    @Test
    void outboxLinkClickedInChromiumDownloadsTheRows() throws IOException {
        SignedApi api = new SdkSignedApi(runtime.api(), Partner.A);
        String id = ExportFlow.submit(api, ExportFlow.FLOWER12_CSV);
        ExportFlow.awaitSucceeded(api, id);
        ExportFlow.await("the e-mail about " + id, Duration.ofSeconds(60),
            () -> PlainHttp.get(runtime.api().resolve("/_local/outbox")).body(), body -> body.contains(id));

        Path outDir = ARTEFACTS.resolve("outbox");
        NodeTools.Result run = node.run(List.of("node", "browser/outbox-download.mjs", "--base-url",
            runtime.api().toString(), "--out-dir", outDir.toString(), "--request", id), 180);
        assertEquals(0, run.exitCode(), "the browser script failed:\n" + run.output());
        String last = run.output().strip().lines().reduce((a, b) -> b).orElse("");
        JsonNode saved = JSON.readTree(last);
        System.out.println("outbox in Chromium: clicked " + saved.path("link").asText() + " -> "
            + saved.path("bytes").asLong() + " bytes, screenshot " + saved.path("screenshot").asText());

        assertTrue(Files.size(Path.of(saved.path("screenshot").asText())) > 0, "the screenshot is empty");
        Map<String, byte[]> entries = ExportFlow.unzip(Files.readAllBytes(Path.of(saved.path("file").asText())));
        assertEquals(1, entries.size(), entries.keySet()::toString);
        assertEquals(ExportFlow.FLOWER12_LINES, ExportFlow.lines(entries.values().iterator().next()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
