package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localruntime.LocalRuntime;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated malformed and hostile requests ({@link FuzzCases}), correctly signed, through the local runtime's
 * gateway into the real function jars: never a 5xx, never a stack trace, every refusal a documented 4xx, and nothing
 * recorded for any of them (the control table is compared before and after: the only new items belong to requests
 * the API accepted with a 202). Afterwards a valid export still completes end to end.
 *
 * <p>{@code -Dfuzz.requests=N} (default 2,000) and {@code -Dfuzz.seed=S} (default: time; printed) for other runs.
 */
@LocalAwsTest
class HostileRequestsFuzzTest {
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 2000);
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    /** What a refused request may answer: the service's documented 4xx, or the gateway's 403 for an unknown method. */
    private static final Set<Integer> REFUSALS = Set.of(400, 403, 404, 413, 415, 422);

    private static LocalAws aws;
    private static LocalRuntime runtime;
    private static URI api;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        // the stage throttle (20/s) would answer most of 2,000 quick requests with 429 before any function saw them
        runtime = InProcessRuntime.start(aws, "e2e-fuzz",
            Map.of("ApiThrottleRateLimit", "100000", "ApiThrottleBurstLimit", "100000"));
        api = runtime.apiEndpoint();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private record Outcome(FuzzCases.Case request, HttpReply reply) {
    }

    @Test
    void hostileRequestsAreRefusedCleanlyAndRecordNothing() throws Exception {
        System.out.println("fuzz: " + REQUESTS + " requests, seed " + SEED + " (rerun with -Dfuzz.seed=" + SEED + ")");
        Set<String> before = InProcessRuntime.controlKeys(aws, runtime);
        List<FuzzCases.Case> cases = FuzzCases.generate(SEED, REQUESTS);

        long started = System.nanoTime();
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (FuzzCases.Case request : cases) {
                calls.add(callers.submit(() -> outcomes.add(new Outcome(request, RawSignedRequest.sign(api, Partner.A,
                    request.method(), request.rawPath(), request.headers(), request.body(), SignedApi.REGION,
                    SignedApi.SERVICE, java.time.Clock.systemUTC()).send()))));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            callers.shutdownNow();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;

        Map<String, Integer> statuses = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        Set<String> accepted = new HashSet<>();
        int serverErrors = 0;
        for (Outcome outcome : outcomes) {
            HttpReply reply = outcome.reply();
            statuses.merge(outcome.request().kind() + " " + reply.status(), 1, Integer::sum);
            if (reply.status() >= 500) {
                serverErrors++;
            }
            String problem = problem(outcome);
            if (problem != null && problems.size() < 20) {
                problems.add(problem + "\n    request: " + outcome.request().method() + " " + outcome.request().rawPath()
                    + " " + outcome.request().headers() + " " + shorten(outcome.request().bodyText())
                    + "\n    answer: " + shorten(reply.toString()));
            }
            if (reply.status() == 202) {
                accepted.add(reply.json().path("requestId").asText());
            }
        }

        Set<String> after = InProcessRuntime.controlKeys(aws, runtime);
        Set<String> written = new HashSet<>(after);
        written.removeAll(before);
        List<String> strays = written.stream()
            // IDEM#: accepted requests' idempotency claims; LIMIT#: the statement-slot semaphore their statements use
            .filter(key -> !key.startsWith("IDEM#") && !key.startsWith("LIMIT#")
                && accepted.stream().noneMatch(id -> key.startsWith("REQ#" + id + " ")))
            .sorted().limit(10).toList();

        System.out.println("fuzz answers by kind and status: " + statuses);
        System.out.println("E2E figure: fuzz requests " + outcomes.size() + ", 5xx " + serverErrors + ", accepted "
            + accepted.size() + ", items written for refused requests " + strays.size() + ", " + millis + " ms ("
            + (outcomes.size() * 1000L / Math.max(1, millis)) + " requests/s), seed " + SEED);
        assertEquals(REQUESTS, outcomes.size());
        assertEquals(List.of(), problems, "unexpected answers (seed " + SEED + ")");
        assertEquals(0, serverErrors, "5xx answers");
        assertEquals(List.of(), strays, "items of requests that were refused (seed " + SEED + ")");

        // still healthy: a valid export goes all the way
        long healthStarted = System.nanoTime();
        SignedApi partner = new SdkSignedApi(api, Partner.A);
        String id = ExportFlow.submit(partner, ExportFlow.FLOWER12_CSV);
        ExportFlow.awaitSucceeded(partner, id);
        System.out.println("E2E figure: fuzz health check, valid export after the fuzz succeeded in "
            + (System.nanoTime() - healthStarted) / 1_000_000 + " ms");
    }

    /** Null when the answer is acceptable for the request; else what is wrong with it. */
    private static String problem(Outcome outcome) {
        HttpReply reply = outcome.reply();
        String body = reply.body();
        if (body.contains("Exception") && reply.header("x-amzn-ErrorType").isEmpty() || body.contains("\tat ")
            || body.contains("java.") || body.contains("com.warehouseexport")) {
            return "internal details in the body";
        }
        if (reply.status() == 200 || reply.status() == 202) {
            return null; // the generator sometimes makes a valid request: it must then be recorded, checked after
        }
        if (!REFUSALS.contains(reply.status())) {
            return "status " + reply.status();
        }
        JsonNode json;
        try {
            json = reply.json();
        } catch (RuntimeException e) {
            return "not JSON";
        }
        if (reply.status() == 403) {
            // only the gateway's answer for a method/route that does not exist: every request here is well signed
            boolean unknownRoute = outcome.request().kind().equals("unknown-method")
                && "Missing Authentication Token".equals(json.path("message").asText());
            return unknownRoute ? null : "403 for a signed request";
        }
        if (!json.path("error").isTextual() || json.path("message").asText().isBlank()) {
            return "no error code and message";
        }
        return null;
    }

    private static String shorten(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "… (" + text.length() + " chars)" : text;
    }
}
