package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;

/**
 * {@code -Dload.requests=N} signed requests from partner-a and partner-b at once against the runtime process: all
 * complete, each with one statement, one archive and one e-mail, and the warehouse never runs more than
 * {@code MaxConcurrentStatements} ({@code -Dload.maxStatements=M}) export statements at once, as measured from the
 * statements' own lifetimes in the Redshift emulator.
 *
 * <p>Defaults: 1,000 requests, limit 3: unlimited, this machine runs about 4 at once (seen with limit 5), so a
 * limit of 3 binds (requests wait for slots). A quicker run: {@code -Dload.requests=200 -Dload.maxStatements=2}.
 */
class LoadIT {
    private static final Path TEMPLATE = Path.of(System.getProperty("e2e.template", "../template.yaml"))
        .toAbsolutePath().normalize();
    private static final Path RUNTIME_JAR = Path.of(System.getProperty("e2e.runtimeJar", "target/local-runtime.jar"))
        .toAbsolutePath().normalize();
    private static final List<String> SKUS = List.of("FLOWER12", "FLOWER13", "FLOWER14");

    @TempDir
    Path dir;

    @Test
    void manyRequestsFromTwoPartnersCompleteWithinTheStatementLimit() throws Exception {
        int requests = Integer.getInteger("load.requests", 1000);
        int maxStatements = Integer.getInteger("load.maxStatements", 3);
        try (RuntimeProcess runtime = RuntimeProcess.start(RUNTIME_JAR, TEMPLATE, dir.resolve("data"), freePort(),
            dir.resolve("runtime.log"), List.of("--parameter-overrides", "MaxConcurrentStatements=" + maxStatements,
                "StatementSlotRetrySeconds=1",
                // the stage throttle (20/s) is not what this measures
                "ApiThrottleRateLimit=100000", "ApiThrottleBurstLimit=100000"))) {
            runtime.awaitReady();
            List<SignedApi> partners = List.of(new SdkSignedApi(runtime.api(), Partner.A),
                new SdkSignedApi(runtime.api(), Partner.B));
            long started = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<HttpReply>> replies = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                SignedApi api = partners.get(i % 2);
                String body = "{\"dataset\":\"product_detail\",\"parameters\":{\"sku\":\"" + SKUS.get(i % SKUS.size())
                    + "\"}}";
                replies.add(pool.submit(() -> api.postJson("/exports", body)));
            }
            List<String> accepted = Collections.synchronizedList(new ArrayList<>());
            int serverErrors = 0;
            for (Future<HttpReply> future : replies) {
                HttpReply reply = future.get(300, TimeUnit.SECONDS);
                if (reply.status() == 202) {
                    accepted.add(reply.json().path("requestId").asText());
                } else if (reply.status() >= 500) {
                    serverErrors++;
                }
            }
            pool.shutdown();
            long submittedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            try (RuntimeAws aws = new RuntimeAws(runtime)) {
                ExportFlow.await(requests + " requests SUCCEEDED and e-mailed", Duration.ofSeconds(300 + requests), aws::states,
                    states -> accepted.stream().allMatch(id -> "SUCCEEDED".equals(states.get(id))));
                long doneMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                Map<String, List<StatementData>> statements = aws.exportStatements();
                Map<String, Integer> archives = aws.archives();
                Map<String, List<JsonNode>> emails = aws.emails();
                int lost = 0;
                int duplicated = 0;
                for (String id : accepted) {
                    int runs = statements.getOrDefault(id, List.of()).size();
                    int zips = archives.getOrDefault(id, 0);
                    int mails = emails.getOrDefault(id, List.of()).size();
                    lost += runs == 0 || zips == 0 || mails == 0 ? 1 : 0;
                    duplicated += runs > 1 || zips > 1 || mails > 1 ? 1 : 0;
                }
                int mostAtOnce = RuntimeAws.mostAtOnce(statements.values().stream().flatMap(List::stream)
                    .collect(Collectors.toList()));
                System.out.printf("LOAD figures: requests tried %d (partner-a and partner-b), accepted %d, lost %d, "
                        + "duplicated %d, 5xx %d; most statements running at once %d (limit %d); all submitted in %d ms,"
                        + " all e-mailed after %d ms%n", requests, accepted.size(), lost, duplicated, serverErrors,
                    mostAtOnce, maxStatements, submittedMillis, doneMillis);
                assertEquals(requests, accepted.size(), "every signed request is accepted");
                assertEquals(0, lost, "lost");
                assertEquals(0, duplicated, "duplicated");
                assertEquals(0, serverErrors, "5xx");
                assertTrue(mostAtOnce <= maxStatements, "statements at once: " + mostAtOnce);
                assertEquals(requests, statements.keySet().stream().filter(accepted::contains).count());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
