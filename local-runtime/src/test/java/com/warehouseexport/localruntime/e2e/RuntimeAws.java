package com.warehouseexport.localruntime.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.warehouseexport.localaws.LocalAws;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.StatementData;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the suites count after the fact, read straight from the emulators behind a runtime process (their endpoints
 * and resource names as it prints them): statements in the warehouse, archives in S3, e-mails in the outbox.
 */
final class RuntimeAws implements AutoCloseable {
    private static final StaticCredentialsProvider LOCAL_AWS = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(LocalAws.ACCESS_KEY, LocalAws.SECRET_KEY));

    final DynamoDbClient dynamo;
    final S3Client s3;
    final RedshiftDataClient redshift;
    final String table;
    final String archiveBucket;
    private final URI api;

    RuntimeAws(RuntimeProcess runtime) {
        this.dynamo = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(LOCAL_AWS)
            .endpointOverride(URI.create(runtime.printed("AWS_ENDPOINT_URL_DYNAMODB")))
            .httpClient(UrlConnectionHttpClient.create()).build();
        this.s3 = S3Client.builder().region(Region.US_EAST_1).credentialsProvider(LOCAL_AWS).forcePathStyle(true)
            .endpointOverride(URI.create(runtime.printed("AWS_ENDPOINT_URL_S3")))
            .httpClient(UrlConnectionHttpClient.create()).build();
        this.redshift = RedshiftDataClient.builder().region(Region.US_EAST_1).credentialsProvider(LOCAL_AWS)
            .endpointOverride(URI.create(runtime.printed("AWS_ENDPOINT_URL_REDSHIFT_DATA")))
            .httpClient(UrlConnectionHttpClient.create()).build();
        this.table = runtime.printed("ControlTableName");
        this.archiveBucket = runtime.printed("ArchiveBucketName");
        this.api = runtime.api();
    }

    /** Every export statement the warehouse knows, by request id (statement name {@code export-<id>}). */
    Map<String, List<StatementData>> exportStatements() {
        Map<String, List<StatementData>> byRequest = new HashMap<>();
        String token = null;
        do {
            String next = token;
            var page = redshift.listStatements(r -> r.statementName("export-").status(StatusString.ALL)
                .maxResults(100).nextToken(next));
            for (StatementData s : page.statements()) {
                byRequest.computeIfAbsent(s.statementName().substring("export-".length()), k -> new ArrayList<>())
                    .add(s);
            }
            token = page.nextToken();
        } while (token != null && !token.isEmpty());
        return byRequest;
    }

    /** Most statements alive at one instant, each living from CreatedAt to its last UpdatedAt. */
    static int mostAtOnce(Iterable<StatementData> statements) {
        TreeMap<Instant, Integer> changes = new TreeMap<>();
        for (StatementData s : statements) {
            changes.merge(s.createdAt(), 1, Integer::sum);
            changes.merge(s.updatedAt(), -1, Integer::sum);
        }
        int alive = 0;
        int most = 0;
        for (int change : changes.values()) {
            alive += change;
            most = Math.max(most, alive);
        }
        return most;
    }

    /** Objects under {@code archives/<id>/}, by request id. */
    Map<String, Integer> archives() {
        Map<String, Integer> byRequest = new HashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(r -> r.bucket(archiveBucket).prefix("archives/")).contents()) {
            String id = object.key().split("/")[1];
            byRequest.merge(id, 1, Integer::sum);
        }
        return byRequest;
    }

    int unfinishedUploads() {
        return s3.listMultipartUploads(r -> r.bucket(archiveBucket)).uploads().size();
    }

    /** E-mails in the outbox by the request id their subject names (any id-shaped token). */
    Map<String, List<JsonNode>> emails() {
        HttpReply reply = PlainHttp.get(api.resolve("/_local/outbox"));
        assertEquals(200, reply.status(), reply::toString);
        Map<String, List<JsonNode>> byRequest = new HashMap<>();
        var id = java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        for (JsonNode message : reply.json()) {
            var matcher = id.matcher(message.path("subject").asText());
            if (matcher.find()) {
                byRequest.computeIfAbsent(matcher.group(), k -> new ArrayList<>()).add(message);
            }
        }
        return byRequest;
    }

    /** The state of every request item (consistent scan). */
    Map<String, String> states() {
        Map<String, String> states = new HashMap<>();
        for (var item : dynamo.scanPaginator(r -> r.tableName(table).consistentRead(true)).items()) {
            if ("REQUEST".equals(item.get("sk").s()) && item.containsKey("requestId")) {
                // a FAILED request carries its reason, so a failing suite says why
                states.put(item.get("requestId").s(), item.get("state").s()
                    + (item.containsKey("notifiedAt") ? "" : "(unnotified)")
                    + (item.containsKey("errorCode") ? "[" + item.get("errorCode").s() + ": "
                        + (item.containsKey("errorMessage") ? item.get("errorMessage").s() : "") + "]" : ""));
            }
        }
        return states;
    }

    @Override
    public void close() {
        dynamo.close();
        s3.close();
        redshift.close();
    }
}
