package com.warehouseexport.model.warehouse;

import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.aws.AwsClients;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The warehouses of a deployment, chosen per dataset by the catalog's {@code warehouse} field. The id stored on a
 * request ({@code statementId}) says which engine ran it: Redshift ids are stored as they are (so requests written
 * before there was a second engine still resolve), Athena ids as {@code athena:<QueryExecutionId>}. Engines are
 * built on first use, so a function that never meets an Athena dataset never loads the Athena client.
 */
public final class Warehouses {
    public static final String REDSHIFT = Dataset.REDSHIFT;
    public static final String ATHENA = Dataset.ATHENA;
    private static final String ATHENA_PREFIX = ATHENA + ":";

    private final Map<String, Supplier<ExportWarehouse>> engines;

    private Warehouses(Map<String, Supplier<ExportWarehouse>> engines) {
        this.engines = engines;
    }

    /** Engines by name; each supplier is called at most once. */
    public static Warehouses of(Map<String, Supplier<ExportWarehouse>> engines) {
        Map<String, Supplier<ExportWarehouse>> memoized = new LinkedHashMap<>();
        engines.forEach((name, supplier) -> memoized.put(name, memoize(supplier)));
        return new Warehouses(memoized);
    }

    /** Redshift only (tests and tools that have just a Data API client). */
    public static Warehouses redshiftOnly(ExportWarehouse redshift) {
        return of(Map.of(REDSHIFT, () -> redshift));
    }

    /**
     * Both engines from the function's environment. {@code submitting}: the processor, which needs Redshift's
     * connection settings; the poller only follows executions.
     */
    public static Warehouses fromEnvironment(AppConfig config, boolean submitting) {
        Map<String, Supplier<ExportWarehouse>> engines = new LinkedHashMap<>();
        engines.put(REDSHIFT, () -> new RedshiftDataWarehouse(AwsClients.redshiftData(),
                submitting ? RedshiftConnection.from(config) : null, config.resultsBucket(),
                submitting ? config.unloadIamRoleArn() : null));
        engines.put(ATHENA, () -> AthenaWarehouse.fromEnvironment(AwsClients.athena(), config.resultsBucket()));
        return of(engines);
    }

    /**
     * The receiver's engines: they stop executions ({@code DELETE /exports/{id}}) and read small results for inline
     * answers ({@code "wait"}): Redshift's from the UNLOAD parts in the results bucket (none without one), Athena's
     * through {@code GetQueryResults}.
     */
    public static Warehouses forReceiver(AppConfig config) {
        Map<String, Supplier<ExportWarehouse>> engines = new LinkedHashMap<>();
        engines.put(REDSHIFT, () -> new RedshiftDataWarehouse(AwsClients.redshiftData(), null, config.resultsBucket(),
                null, config.resultsBucket() == null ? null
                : new UnloadPartsReader(AwsClients.s3(), config.resultsBucket())));
        engines.put(ATHENA, () -> AthenaWarehouse.fromEnvironment(AwsClients.athena(), config.resultsBucket()));
        return of(engines);
    }

    /** The engine a dataset names. */
    public ExportWarehouse forDataset(Dataset dataset) {
        return engine(dataset.warehouse());
    }

    public ExportWarehouse engine(String name) {
        Supplier<ExportWarehouse> engine = engines.get(name);
        if (engine == null) {
            throw new IllegalStateException("no " + name + " warehouse is configured");
        }
        return engine.get();
    }

    /** The id to store on the request for an execution of {@code warehouse}. */
    public static String storedId(ExportWarehouse warehouse, String executionId) {
        return warehouse.engine().equals(ATHENA) ? ATHENA_PREFIX + executionId : executionId;
    }

    /** The engine a stored id belongs to. */
    public static String engineOf(String storedId) {
        return storedId.startsWith(ATHENA_PREFIX) ? ATHENA : REDSHIFT;
    }

    /** Looks the stored id up in its engine; the answer carries the stored id. */
    public WarehouseExecution describe(String storedId) {
        WarehouseExecution e = engine(engineOf(storedId)).describe(ownId(storedId));
        return new WarehouseExecution(storedId, e.state(), e.error(), e.duration(), e.rows(), e.bytes(), e.output(),
                e.requestId());
    }

    public void cancel(String storedId) {
        engine(engineOf(storedId)).cancel(ownId(storedId));
    }

    /** The rows of the stored execution's small CSV result, from the engine that ran it (see the port). */
    public Optional<InlineResult> smallResult(String storedId, String requestId, InlineResult.Limits limits) {
        return engine(engineOf(storedId)).smallResult(ownId(storedId), requestId, limits);
    }

    /** The stored id of an Athena query execution (what the poller gets from a state-change event). */
    public static String athenaId(String queryExecutionId) {
        return ATHENA_PREFIX + queryExecutionId;
    }

    private static String ownId(String storedId) {
        return storedId.startsWith(ATHENA_PREFIX) ? storedId.substring(ATHENA_PREFIX.length()) : storedId;
    }

    private static Supplier<ExportWarehouse> memoize(Supplier<ExportWarehouse> supplier) {
        return new Supplier<>() {
            private ExportWarehouse value;

            @Override
            public synchronized ExportWarehouse get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
