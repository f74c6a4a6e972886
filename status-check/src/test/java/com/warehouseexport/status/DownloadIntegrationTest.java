package com.warehouseexport.status;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.warehouseexport.localaws.junit.LocalAwsTest;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.links.LinkTokens;
import com.warehouseexport.model.links.SecretsManagerLinkKeys;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.model.table.RequestUpdate;
import com.warehouseexport.model.testing.ApiEvents;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code GET /exports/{id}/download} and {@code GET /links/{token}} against DynamoDB Local, S3Proxy (which enforces
 * presigned signatures) and the local Secrets Manager.
 */
@LocalAwsTest
class DownloadIntegrationTest {
    private static final String PARTNER_A = "arn:aws:iam::000000000000:user/partner-a";
    private static final String PARTNER_B = "arn:aws:iam::000000000000:user/partner-b";
    private static final byte[] ZIP = "PK\u0003\u0004 not really a zip".getBytes(StandardCharsets.ISO_8859_1);
    private static final Duration LINK_EXPIRY = Duration.ofHours(24);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final HttpClient http = HttpClient.newHttpClient();
    private ControlTable table;
    private String bucket;
    private LinkTokens tokens;
    private StatusCheckHandler handler;

    @BeforeEach
    void world(DynamoDbClient dynamo, S3Client s3, S3Presigner presigner, SecretsManagerClient secrets) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        ControlTableSchema.createTableIfMissing(dynamo, "download-" + suffix);
        table = new ControlTable(dynamo, "download-" + suffix, Duration.ofDays(30), clock);
        bucket = "archive-" + suffix;
        s3.createBucket(r -> r.bucket(bucket));
        String secretArn = secrets.createSecret(r -> r.name("links-" + suffix)
                .secretString("{\"key\":\"" + UUID.randomUUID() + UUID.randomUUID() + "\"}")).arn();
        tokens = new LinkTokens(new SecretsManagerLinkKeys(secrets, secretArn), clock);
        StatusService status = new StatusService(table, DatasetCatalog.load((String) null));
        handler = new StatusCheckHandler(status, new DownloadService(status, presigner, bucket, tokens, clock));
        this.s3 = s3;
    }

    private S3Client s3;

    @Test
    void theOwnerIsRedirectedToAShortLivedPresignedUrlOfTheArchive() throws Exception {
        ExportRequest request = succeeded(PARTNER_A);
        APIGatewayProxyResponseEvent response = download(request.requestId(), PARTNER_A);

        assertEquals(302, response.getStatusCode(), response.getBody());
        assertEquals("no-store", response.getHeaders().get("Cache-Control"));
        String location = response.getHeaders().get("Location");
        assertTrue(location.contains("X-Amz-Signature="), location);
        assertEquals("600", query(location, "X-Amz-Expires"), "10 minutes, whatever the link's expiry");
        assertEquals("attachment; filename=\"" + request.requestId() + ".zip\"",
                query(location, "response-content-disposition"));
        HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(URI.create(location)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode());
        assertArrayEquals(ZIP, zip.body());
    }

    @Test
    void anotherCallersMissingOrMalformedIdIsTheStatusRoutes404() {
        ExportRequest request = succeeded(PARTNER_A);
        String missing = RequestIds.newId();
        APIGatewayProxyResponseEvent foreign = download(request.requestId(), PARTNER_B);
        APIGatewayProxyResponseEvent absent = download(missing, PARTNER_A);
        APIGatewayProxyResponseEvent statusOfForeign = status(request.requestId(), PARTNER_B);

        assertEquals(404, foreign.getStatusCode());
        assertEquals(statusOfForeign.getBody(), foreign.getBody());
        assertEquals(statusOfForeign.getHeaders(), foreign.getHeaders());
        assertEquals(absent.getBody().replace(missing, request.requestId()), foreign.getBody());
        assertEquals(status("not-a-uuid", PARTNER_A).getBody(), download("not-a-uuid", PARTNER_A).getBody());
    }

    @Test
    void beforeSucceededIs409NotReady() {
        ExportRequest running = received(PARTNER_A);
        running = table.transition(running, RequestState.QUEUED, "queued", null);
        APIGatewayProxyResponseEvent response = download(running.requestId(), PARTNER_A);
        assertEquals(409, response.getStatusCode());
        assertEquals("not_ready", Json.parse(response.getBody()).get("error").asText());

        table.transition(running, RequestState.FAILED, "failed",
                RequestUpdate.withError(new ExportError("statement_failed", "boom")));
        response = download(running.requestId(), PARTNER_A);
        assertEquals(409, response.getStatusCode());
        assertTrue(Json.parse(response.getBody()).get("message").asText().contains("FAILED"));
    }

    @Test
    void pastTheLinkExpiryIs410Expired() {
        ExportRequest request = succeeded(PARTNER_A);
        now.updateAndGet(t -> t.plus(LINK_EXPIRY).minusSeconds(30));
        APIGatewayProxyResponseEvent lastMinute = download(request.requestId(), PARTNER_A);
        assertEquals(302, lastMinute.getStatusCode());
        long lifetime = Long.parseLong(query(lastMinute.getHeaders().get("Location"), "X-Amz-Expires"));
        assertTrue(lifetime <= 30, "the presigned URL never outlives the link: " + lifetime);

        now.updateAndGet(t -> t.plusSeconds(30));
        APIGatewayProxyResponseEvent response = download(request.requestId(), PARTNER_A);
        assertEquals(410, response.getStatusCode());
        assertEquals("expired", Json.parse(response.getBody()).get("error").asText());
    }

    @Test
    void aSignedLinkRedirectsWithoutAnyCallerIdentityUntilItExpires() throws Exception {
        ExportRequest request = succeeded(PARTNER_A);
        String token = tokens.sign(request.requestId(), request.result().expiresAt());
        APIGatewayProxyResponseEvent response = link(token);

        assertEquals(302, response.getStatusCode(), response.getBody());
        assertEquals("no-referrer", response.getHeaders().get("Referrer-Policy"));
        HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(URI.create(response.getHeaders().get("Location")))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zip.statusCode());
        assertArrayEquals(ZIP, zip.body());

        now.set(request.result().expiresAt());
        APIGatewayProxyResponseEvent expired = link(token);
        assertEquals(410, expired.getStatusCode());
        assertEquals("text/html; charset=utf-8", expired.getHeaders().get("Content-Type"));
        assertTrue(expired.getBody().contains("This download link expired at"), expired.getBody());
    }

    @Test
    void aTamperedOrMadeUpTokenIs403AndSaysNothing() {
        ExportRequest request = succeeded(PARTNER_A);
        String token = tokens.sign(request.requestId(), request.result().expiresAt());
        String tampered = token.substring(0, token.length() - 3) + (token.endsWith("AAA") ? "BBB" : "AAA");
        APIGatewayProxyResponseEvent bad = link(tampered);
        assertEquals(403, bad.getStatusCode());
        for (String other : new String[] {"x", "a.b", "", "../../exports/" + request.requestId()}) {
            APIGatewayProxyResponseEvent response = link(other);
            assertEquals(403, response.getStatusCode(), other);
            assertEquals(bad.getBody(), response.getBody(), "one page for every refusal");
        }
        assertFalse(bad.getBody().contains(request.requestId()));
        assertFalse(bad.getBody().toLowerCase().contains("signature"));
    }

    @Test
    void aValidTokenForARequestThatIsGoneIs404() {
        String token = tokens.sign(RequestIds.newId(), now.get().plusSeconds(60));
        assertEquals(404, link(token).getStatusCode());
    }

    // ---------------------------------------------------------------- helpers

    private APIGatewayProxyResponseEvent download(String id, String caller) {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-get-export.json");
        event.setResource("/exports/{id}/download");
        event.setPath("/exports/" + id + "/download");
        event.setPathParameters(Map.of("id", id));
        event.getRequestContext().getIdentity().setUserArn(caller);
        return handler.handleRequest(event, null);
    }

    private APIGatewayProxyResponseEvent status(String id, String caller) {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-get-export.json");
        event.setPath("/exports/" + id);
        event.setPathParameters(Map.of("id", id));
        event.getRequestContext().getIdentity().setUserArn(caller);
        return handler.handleRequest(event, null);
    }

    /** As API Gateway sends a route without authorisation: no caller identity at all. */
    private APIGatewayProxyResponseEvent link(String token) {
        APIGatewayProxyRequestEvent event = ApiEvents.read("api-get-export.json");
        event.setResource("/links/{token}");
        event.setPath("/links/" + token);
        event.setPathParameters(Map.of("token", token));
        event.getRequestContext().getIdentity().setUserArn(null);
        event.getRequestContext().getIdentity().setCaller(null);
        event.getRequestContext().getIdentity().setAccessKey(null);
        return handler.handleRequest(event, null);
    }

    private static String query(String url, String name) {
        Matcher m = Pattern.compile("[?&]" + Pattern.quote(name) + "=([^&]*)").matcher(url);
        return m.find() ? URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
    }

    private ExportRequest received(String owner) {
        var validation = DatasetCatalog.load((String) null).get("product_detail").orElseThrow()
                .validate(Json.parse("{\"sku\":\"FLOWER12\"}"));
        return table.create(ExportRequest.received(RequestIds.newId(), owner, "product_detail",
                validation.parameters(), ExportFormat.CSV, now.get()));
    }

    private ExportRequest succeeded(String owner) {
        ExportRequest request = received(owner);
        for (RequestState next : new RequestState[] {RequestState.QUEUED, RequestState.SUBMITTED,
                RequestState.RUNNING, RequestState.PACKAGING}) {
            request = table.transition(request, next, "test", next == RequestState.SUBMITTED
                    ? RequestUpdate.withStatementId("s-1") : null);
        }
        String key = "archives/" + request.requestId() + "/" + request.requestId() + ".zip";
        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(ZIP));
        return table.transition(request, RequestState.SUCCEEDED, "archive ready", RequestUpdate.withResult(
                new ExportResult(3, ZIP.length, ExportFormat.CSV, 1, "https://api.example/v1/links/x",
                        now.get().plus(LINK_EXPIRY), key)));
    }
}
