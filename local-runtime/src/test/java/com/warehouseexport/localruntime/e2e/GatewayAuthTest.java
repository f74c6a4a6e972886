package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.localruntime.LocalRuntime;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API Gateway's IAM authorization through the local runtime's signed gateway: every way a signature can be missing,
 * wrong, tampered with or stale gets API Gateway's own 403 (status, {@code x-amzn-ErrorType}, exact body) and
 * reaches no function (the control table does not change). Signed with the AWS SDK's signer, altered afterwards;
 * curl's {@code --aws-sigv4} for one accepted and one wrong-secret call.
 */
@LocalAwsTest
class GatewayAuthTest {
    private static final String ORDER = ExportFlow.FLOWER12_CSV;
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
    private static final String MISMATCH = "The request signature we calculated does not match the signature you "
        + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for "
        + "details.";

    private static LocalAws aws;
    private static LocalRuntime runtime;
    private static URI api;

    @BeforeAll
    static void start(LocalAws localAws) {
        aws = localAws;
        runtime = InProcessRuntime.start(aws, "e2e-auth");
        api = runtime.apiEndpoint();
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void everyBadSignatureIsApiGateways403AndReachesNoFunction() {
        long started = System.nanoTime();
        Set<String> before = InProcessRuntime.controlKeys(aws, runtime);
        Map<String, HttpReply> replies = new LinkedHashMap<>();
        List<String> checked = new ArrayList<>();

        HttpReply unsigned = PlainHttp.postJson(api.resolve("/exports"), ORDER);
        assertRejected("no Authorization header", unsigned, "MissingAuthenticationTokenException",
            "Missing Authentication Token");
        checked.add("no auth header");

        assertRejected("unknown access key", signed(new Partner("AKIDNOBODYATALL", "x"), ORDER).send(),
            "UnrecognizedClientException", "The security token included in the request is invalid.");
        checked.add("unknown access key");

        assertRejected("wrong secret", signed(Partner.A.withSecret("not-partner-a-secret"), ORDER).send(),
            "InvalidSignatureException", MISMATCH);
        checked.add("wrong secret");

        HttpReply otherRegion = RawSignedRequest.sign(api, Partner.A, "POST", "/exports", JSON, bytes(ORDER),
            "eu-west-1", SignedApi.SERVICE, Clock.systemUTC()).send();
        assertRejected("region eu-west-1 in the scope", otherRegion, "InvalidSignatureException",
            "Credential should be scoped to a valid region. ");
        checked.add("wrong region");

        HttpReply otherService = RawSignedRequest.sign(api, Partner.A, "POST", "/exports", JSON, bytes(ORDER),
            SignedApi.REGION, "lambda", Clock.systemUTC()).send();
        assertRejected("service lambda in the scope", otherService, "InvalidSignatureException",
            "Credential should be scoped to correct service: 'execute-api'. ");
        checked.add("wrong service");

        RawSignedRequest tampered = signed(Partner.A, ORDER);
        tampered.body = bytes(ORDER.replace("FLOWER12", "FLOWER13"));
        assertRejected("body changed after signing", tampered.send(), "InvalidSignatureException", MISMATCH);
        checked.add("body tampered");

        RawSignedRequest tamperedType = signed(Partner.A, ORDER);
        tamperedType.headers.put("Content-Type", "text/plain");
        assertRejected("signed header changed after signing", tamperedType.send(), "InvalidSignatureException",
            MISMATCH);
        checked.add("signed header tampered");

        RawSignedRequest noDate = signed(Partner.A, ORDER);
        noDate.removeHeader("X-Amz-Date");
        HttpReply noDateReply = noDate.send();
        assertEquals(403, noDateReply.status(), noDateReply::toString);
        assertEquals("IncompleteSignatureException", noDateReply.header("x-amzn-ErrorType").orElse(null));
        assertTrue(noDateReply.json().path("message").asText().startsWith("Authorization header requires existence "
            + "of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=AKIDPARTNERA/"),
            noDateReply::toString);
        checked.add("missing X-Amz-Date");

        HttpReply expired = RawSignedRequest.sign(api, Partner.A, "POST", "/exports", JSON, bytes(ORDER),
            SignedApi.REGION, SignedApi.SERVICE, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-6))).send();
        assertRejectedMatching("signed 6 minutes ago", expired, "Signature expired: \\d{8}T\\d{6}Z is now earlier "
            + "than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z - 5 min\\.\\)");
        checked.add("expired");

        HttpReply future = RawSignedRequest.sign(api, Partner.A, "POST", "/exports", JSON, bytes(ORDER),
            SignedApi.REGION, SignedApi.SERVICE, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(6))).send();
        assertRejectedMatching("signed 6 minutes ahead", future, "Signature not yet current: \\d{8}T\\d{6}Z is still "
            + "later than \\d{8}T\\d{6}Z \\(\\d{8}T\\d{6}Z \\+ 5 min\\.\\)");
        checked.add("future");

        // reads are guarded the same way
        RawSignedRequest read = RawSignedRequest.sign(api, Partner.A.withSecret("wrong"), "GET",
            "/exports/" + UUID.randomUUID(), Map.of(), (String) null);
        assertRejected("GET with a wrong secret", read.send(), "InvalidSignatureException", MISMATCH);
        checked.add("read with wrong secret");

        assertEquals(before, InProcessRuntime.controlKeys(aws, runtime), "control table after the rejected calls");
        System.out.println("E2E figure: auth cases " + checked.size() + " rejected with API Gateway's 403, 5xx 0, "
            + "items written 0, " + (System.nanoTime() - started) / 1_000_000 + " ms: " + checked);
    }

    /**
     * API Gateway accepts a captured request again while its signature is under 5 minutes old, and refuses it after.
     * The replay inside the window is harmless when the partner sends an Idempotency-Key: the same request again.
     * "After 5 minutes" is the same request re-signed 5 minutes and 1 second in the past (the gateway's clock is the
     * real one).
     */
    @Test
    void aCapturedRequestReplaysOnlyWithinFiveMinutes() {
        Map<String, String> headers = new LinkedHashMap<>(JSON);
        headers.put("Idempotency-Key", "replay-" + UUID.randomUUID());
        RawSignedRequest captured = RawSignedRequest.sign(api, Partner.A, "POST", "/exports", headers, bytes(ORDER),
            SignedApi.REGION, SignedApi.SERVICE, Clock.systemUTC());
        HttpReply first = captured.send();
        HttpReply replay = captured.send();
        assertEquals(202, first.status(), first::toString);
        assertEquals(202, replay.status(), replay::toString);
        assertEquals(first.json().path("requestId"), replay.json().path("requestId"), "the replay is the same request");
        assertEquals("true", replay.header("Idempotent-Replayed").orElse(null), replay::toString);

        Set<String> before = InProcessRuntime.controlKeys(aws, runtime);
        Clock fiveMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5).minusSeconds(1));
        headers.put("Idempotency-Key", "replay-late-" + UUID.randomUUID());
        HttpReply late = RawSignedRequest.sign(api, Partner.A, "POST", "/exports", headers, bytes(ORDER),
            SignedApi.REGION, SignedApi.SERVICE, fiveMinutesAgo).send();
        assertRejectedMatching("replayed after 5 minutes", late, "Signature expired: .*");
        Set<String> after = InProcessRuntime.controlKeys(aws, runtime);
        after.removeIf(key -> key.startsWith("REQ#" + first.json().path("requestId").asText()));
        before.removeIf(key -> key.startsWith("REQ#" + first.json().path("requestId").asText()));
        assertEquals(before, after, "nothing recorded for the late replay (the first request may move on)");
        ExportFlow.awaitSucceeded(new SdkSignedApi(api, Partner.A), first.json().path("requestId").asText());
    }

    @Test
    void curlSignsForTheGatewayAndAWrongSecretIsRefused() {
        HttpReply ok = new CurlSignedApi(api, Partner.A).get("/datasets");
        assertEquals(200, ok.status(), ok::toString);
        assertTrue(ok.json().path("datasets").isArray(), ok::toString);
        HttpReply wrong = new CurlSignedApi(api, Partner.A.withSecret("curl-wrong-secret")).postJson("/exports", ORDER);
        assertRejected("curl with a wrong secret", wrong, "InvalidSignatureException", MISMATCH);
    }

    private static RawSignedRequest signed(Partner partner, String body) {
        return RawSignedRequest.sign(api, partner, "POST", "/exports", JSON, body);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void assertRejected(String what, HttpReply reply, String errorType, String message) {
        assertEquals(403, reply.status(), () -> what + ": " + reply);
        assertEquals(errorType, reply.header("x-amzn-ErrorType").orElse(null), () -> what + ": " + reply);
        assertEquals(message, reply.json().path("message").asText(), () -> what + ": " + reply);
        assertEquals(1, reply.json().size(), () -> what + ": API Gateway's body has only a message: " + reply);
    }

    private static void assertRejectedMatching(String what, HttpReply reply, String messagePattern) {
        assertEquals(403, reply.status(), () -> what + ": " + reply);
        assertEquals("InvalidSignatureException", reply.header("x-amzn-ErrorType").orElse(null), () -> what);
        String message = reply.json().path("message").asText();
        assertTrue(message.matches(messagePattern), () -> what + ": " + message);
        assertEquals(1, reply.json().size(), reply::toString);
    }
}
