package com.warehouseexport.localaws;

import com.warehouseexport.localaws.athena.AthenaService;
import com.warehouseexport.localaws.dynamodb.DynamoDbEmulator;
import com.warehouseexport.localaws.events.EventBus;
import com.warehouseexport.localaws.http.LocalEndpointServer;
import com.warehouseexport.localaws.redshift.RedshiftDataService;
import com.warehouseexport.localaws.redshift.SampleData;
import com.warehouseexport.localaws.redshift.Warehouse;
import com.warehouseexport.localaws.s3.S3Emulator;
import com.warehouseexport.localaws.secrets.SecretsManagerService;
import com.warehouseexport.localaws.ses.Outbox;
import com.warehouseexport.localaws.ses.SesService;
import com.warehouseexport.localaws.sqs.SqsEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole emulated AWS: DynamoDB Local, ElasticMQ, S3Proxy and the project's own endpoint (Redshift Data API and
 * Athena over one DuckDB, SES, Secrets Manager), all on loopback. With a data directory everything is durable,
 * including across a kill -9; without one everything is in memory.
 */
public final class LocalAws implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    /**
     * The one identity S3Proxy accepts; the others accept any credentials, though DynamoDB Local 2.x refuses access
     * keys with anything but letters and digits.
     */
    public static final String ACCESS_KEY = "LOCALACCESSKEY";
    public static final String SECRET_KEY = "localSecretKey";

    private final Builder settings;
    private final DynamoDbEmulator dynamoDb;
    private final SqsEmulator sqs;
    private final S3Emulator s3;
    private final LocalEndpointServer endpointServer;
    private final EventBus eventBus;
    private final Outbox outbox;
    private final Warehouse warehouse;
    private final LocalAwsEndpoints endpoints;
    private final LocalAwsClients clients;
    private final Duration startupTime;
    private final List<AutoCloseable> closeables;

    private LocalAws(Builder settings, DynamoDbEmulator dynamoDb, SqsEmulator sqs, S3Emulator s3,
                     LocalEndpointServer endpointServer, EventBus eventBus, Outbox outbox, Warehouse warehouse,
                     LocalAwsClients clients,
                     Duration startupTime, List<AutoCloseable> closeables) {
        this.settings = settings;
        this.dynamoDb = dynamoDb;
        this.sqs = sqs;
        this.s3 = s3;
        this.endpointServer = endpointServer;
        this.eventBus = eventBus;
        this.outbox = outbox;
        this.warehouse = warehouse;
        this.clients = clients;
        this.endpoints = clients.endpoints();
        this.startupTime = startupTime;
        this.closeables = closeables;
    }

    public static Builder builder() {
        return new Builder();
    }

    public LocalAwsEndpoints endpoints() {
        return endpoints;
    }

    /** Ready-made SDK clients against these endpoints (built lazily, closed with this instance). */
    public LocalAwsClients clients() {
        return clients;
    }

    public EventBus eventBus() {
        return eventBus;
    }

    /** Every message sent through SES, oldest first. */
    public Outbox outbox() {
        return outbox;
    }

    /** The DuckDB database behind the Redshift Data API. */
    public Warehouse warehouse() {
        return warehouse;
    }

    public Path dataDir() {
        return settings.dataDir;
    }

    public String region() {
        return REGION;
    }

    public String accountId() {
        return ACCOUNT_ID;
    }

    /** Wall time from {@link Builder#start()} to every service answering. */
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(closeables);
        Collections.reverse(reversed);
        RuntimeException failure = null;
        for (AutoCloseable closeable : reversed) {
            try {
                closeable.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping local AWS failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    public static final class Builder {
        private Path dataDir;
        private long inventoryRows = 100_000;
        private Path warehouseFile;
        private boolean debugLogging = Logging.debugRequested();
        private int warehouseThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private String warehouseMemory = "2GB";
        private int statementWorkers = 4;
        private ExternalAwsServices externalServices;

        /** Durable state under this directory; null (the default) keeps everything in memory. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** Rows of the generated {@code rsdataapi.product_inventory} sample table. */
        public Builder inventoryRows(long inventoryRows) {
            this.inventoryRows = inventoryRows;
            return this;
        }

        /** Serve this DuckDB database instead of the sample warehouse. */
        public Builder warehouseFile(Path warehouseFile) {
            this.warehouseFile = warehouseFile;
            return this;
        }

        /** DuckDB's {@code threads} and {@code memory_limit} (set explicitly: its defaults take the whole machine). */
        public Builder warehouseResources(int threads, String memoryLimit) {
            this.warehouseThreads = threads;
            this.warehouseMemory = memoryLimit;
            return this;
        }

        /** How many statements the Redshift Data API runs at once; the rest wait as SUBMITTED. */
        public Builder statementWorkers(int statementWorkers) {
            this.statementWorkers = statementWorkers;
            return this;
        }

        /**
         * Hand out these services' endpoints and clients instead of the in-process DynamoDB, SQS, S3, SES and
         * Secrets Manager (which still start, unused); the Redshift Data API stays local.
         */
        public Builder externalServices(ExternalAwsServices externalServices) {
            this.externalServices = externalServices;
            return this;
        }

        public Builder debugLogging(boolean debugLogging) {
            this.debugLogging = debugLogging;
            return this;
        }

        /** Starts every service, the slow ones in parallel; on failure stops what did start. */
        public LocalAws start() {
            Logging.configure(debugLogging);
            long started = System.nanoTime();
            List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());
            try {
                // Durable state keeps its ports too: emailed presigned links name the S3 port.
                StablePorts ports = StablePorts.load(dataDir);
                CompletableFuture<DynamoDbEmulator> dynamo = async(
                    () -> DynamoDbEmulator.start(dataDir, ports.get("dynamodb")), closeables);
                CompletableFuture<SqsEmulator> sqs = async(
                    () -> SqsEmulator.start(dataDir, REGION, ACCOUNT_ID, ports.get("sqs")), closeables);
                CompletableFuture<S3Emulator> s3 = async(
                    () -> S3Emulator.start(dataDir, ACCESS_KEY, SECRET_KEY, ports.get("s3")), closeables);
                CompletableFuture<Warehouse> warehouse = async(this::openWarehouse, closeables);
                EventBus bus = new EventBus(ACCOUNT_ID, REGION);
                Outbox outbox = new Outbox(subdirectory("ses/outbox"));
                SesService ses = new SesService(outbox, subdirectory("ses"));
                SecretsManagerService secrets = new SecretsManagerService(subdirectory("secretsmanager"), REGION,
                    ACCOUNT_ID);
                LocalEndpointServer server = LocalEndpointServer.start(Ports.preferredOrFree(ports.get("endpoint")),
                    List.of(secrets), List.of(ses));
                closeables.add(server);
                LocalAwsEndpoints endpoints = new LocalAwsEndpoints(dynamo.join().endpoint(), sqs.join().endpoint(),
                    s3.join().endpoint(), server.endpoint(), server.endpoint(), server.endpoint(), server.endpoint());
                ports.save(endpoints);
                LocalAwsClients clients = externalServices == null
                    ? new LocalAwsClients(endpoints, REGION, ACCESS_KEY, SECRET_KEY)
                    // UNLOAD then writes its parts to the external S3, where the code under test looks for them
                    : new LocalAwsClients(externalServices.endpointsWith(server.endpoint()), REGION,
                        externalServices.accessKey(), externalServices.secretKey());
                closeables.add(clients);
                // UNLOAD uploads its parts to the S3 emulator through a real SDK client, as Redshift writes to S3.
                RedshiftDataService redshift = new RedshiftDataService(warehouse.join(), clients.s3(), bus,
                    subdirectory("redshift"), statementWorkers);
                closeables.add(redshift);
                server.register(redshift);
                // Athena reads the same DuckDB warehouse and writes its results to the same S3 emulator.
                AthenaService athena = new AthenaService(warehouse.join(), clients.s3(), bus,
                    subdirectory("athena"), statementWorkers);
                closeables.add(athena);
                server.register(athena);
                Duration startup = Duration.ofNanos(System.nanoTime() - started);
                return new LocalAws(this, dynamo.join(), sqs.join(), s3.join(), server, bus, outbox, warehouse.join(),
                    clients, startup, closeables);
            } catch (Exception e) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                stopQuietly(closeables);
                throw new IllegalStateException("local AWS failed to start: " + cause.getMessage(), cause);
            }
        }

        private Warehouse openWarehouse() throws Exception {
            if (warehouseFile != null) {
                return Warehouse.open(warehouseFile, warehouseThreads, warehouseMemory);
            }
            Path file = dataDir == null ? null : java.nio.file.Files.createDirectories(dataDir.resolve("warehouse"))
                .resolve("warehouse.duckdb");
            Warehouse warehouse = Warehouse.open(file, warehouseThreads, warehouseMemory);
            SampleData.ensure(warehouse, inventoryRows);
            return warehouse;
        }

        private Path subdirectory(String name) {
            return dataDir == null ? null : dataDir.resolve(name);
        }

        private static <T extends AutoCloseable> CompletableFuture<T> async(StartStep<T> step,
                                                                            List<AutoCloseable> closeables) {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    T started = step.start();
                    closeables.add(started);
                    return started;
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
        }

        private static void stopQuietly(List<AutoCloseable> closeables) {
            List<AutoCloseable> copy;
            synchronized (closeables) {
                copy = new ArrayList<>(closeables);
            }
            for (AutoCloseable closeable : copy) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // already failing; the start error is the one to report
                }
            }
        }
    }

    @FunctionalInterface
    private interface StartStep<T> {
        T start() throws Exception;
    }
}
