package com.warehouseexport.localaws.redshift;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.Logging;
import com.warehouseexport.localaws.events.EventBus;
import com.warehouseexport.localaws.http.LocalEndpointServer;
import com.warehouseexport.localaws.s3.S3Emulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A Redshift Data API endpoint for one test class: in-memory DuckDB with the sample data, the service on its
 * own loopback {@link LocalEndpointServer}, an S3Proxy for UNLOAD, and real SDK clients for both.
 */
final class RedshiftFixture implements AutoCloseable {
    static final String CLUSTER = "local-cluster";
    static final String DATABASE = "dev";
    static final String DB_USER = "awsuser";
    private static final Set<String> FINAL = Set.of("FINISHED", "FAILED", "ABORTED");

    final Warehouse warehouse;
    final S3Emulator s3Emulator;
    final S3Client s3;
    final EventBus events;
    final RedshiftDataService service;
    final LocalEndpointServer server;
    final RedshiftDataClient client;
    private final SdkHttpClient http = UrlConnectionHttpClient.builder().build();

    private RedshiftFixture(Warehouse warehouse, S3Emulator s3Emulator, S3Client s3, EventBus events,
                            RedshiftDataService service, LocalEndpointServer server) {
        this.warehouse = warehouse;
        this.s3Emulator = s3Emulator;
        this.s3 = s3;
        this.events = events;
        this.service = service;
        this.server = server;
        this.client = RedshiftDataClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials())
            .endpointOverride(server.endpoint())
            .httpClient(http)
            .build();
    }

    static RedshiftFixture start(long inventoryRows, Path stateDir) throws Exception {
        Logging.configure(false);
        Warehouse warehouse = Warehouse.open(null, 2, "1GB");
        SampleData.ensure(warehouse, inventoryRows);
        S3Emulator s3Emulator = S3Emulator.start(null, LocalAws.ACCESS_KEY, LocalAws.SECRET_KEY, 0);
        S3Client s3 = S3Client.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials())
            .endpointOverride(s3Emulator.endpoint())
            .forcePathStyle(true)
            .httpClient(UrlConnectionHttpClient.builder().build())
            .build();
        EventBus events = new EventBus(LocalAws.ACCOUNT_ID, LocalAws.REGION);
        RedshiftDataService service = new RedshiftDataService(warehouse, s3, events, stateDir, 2);
        LocalEndpointServer server = LocalEndpointServer.start(0, List.of(service), List.of());
        return new RedshiftFixture(warehouse, s3Emulator, s3, events, service, server);
    }

    static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalAws.ACCESS_KEY, LocalAws.SECRET_KEY));
    }

    /** Submits SQL on the test cluster and returns the statement id. */
    String execute(String sql) {
        return client.executeStatement(b -> b.clusterIdentifier(CLUSTER).database(DATABASE).dbUser(DB_USER).sql(sql))
            .id();
    }

    /** Polls DescribeStatement until the statement is final (at most 60 s). */
    DescribeStatementResponse await(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            DescribeStatementResponse d = client.describeStatement(b -> b.id(id));
            if (FINAL.contains(d.statusAsString())) {
                return d;
            }
            sleep(20);
        }
        fail("statement " + id + " did not finish within 60 s");
        return null;
    }

    /** Runs SQL and asserts it finished; returns its description. */
    DescribeStatementResponse run(String sql) {
        DescribeStatementResponse d = await(execute(sql));
        assertTrue("FINISHED".equals(d.statusAsString()), () -> "expected FINISHED for " + sql + " but got "
            + d.statusAsString() + ": " + d.error());
        return d;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        client.close();
        http.close();
        server.close();
        service.close();
        s3.close();
        s3Emulator.close();
        warehouse.close();
    }
}
