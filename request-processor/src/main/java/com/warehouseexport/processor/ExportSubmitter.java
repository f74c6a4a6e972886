package com.warehouseexport.processor;

import com.warehouseexport.model.lambda.Log;
import com.warehouseexport.model.aws.AwsClients;
import com.warehouseexport.model.cancel.StatementCanceller;
import com.warehouseexport.model.cancel.WarehouseCanceller;
import com.warehouseexport.model.catalog.Dataset;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.catalog.FieldError;
import com.warehouseexport.model.catalog.Validation;
import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.config.ConfigException;
import com.warehouseexport.model.config.Env;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.queue.ExportQueue;
import com.warehouseexport.model.table.ConflictException;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.RequestLeases;
import com.warehouseexport.model.table.RequestUpdate;
import com.warehouseexport.model.table.StatementLimitException;
import com.warehouseexport.model.warehouse.ExportJob;
import com.warehouseexport.model.warehouse.ExportWarehouse;
import com.warehouseexport.model.warehouse.RedshiftDataWarehouse;
import com.warehouseexport.model.warehouse.Warehouses;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;

/**
 * Submits one queued request's export to its dataset's warehouse (design page, export flow step 2), through the
 * warehouse port: QUEUED → SUBMITTED (conditional), submit with the request id as idempotency token (Redshift's
 * {@code ClientToken}, Athena's {@code ClientRequestToken}), then the execution id is stored once. Every step is
 * safe to repeat, so a redelivered message either finds the work done or finishes it with the same statement.
 */
public final class ExportSubmitter {
    /** Same number as the export queue's {@code maxReceiveCount}: the last attempt before the dead-letter queue. */
    public static final String MAX_RECEIVE_COUNT = "MAX_RECEIVE_COUNT";
    public static final int DEFAULT_MAX_RECEIVE_COUNT = 5;
    /** Most warehouse statements of this stack running at once (template parameter MaxConcurrentStatements). */
    public static final String MAX_CONCURRENT_STATEMENTS = "MAX_CONCURRENT_STATEMENTS";
    public static final int DEFAULT_MAX_CONCURRENT_STATEMENTS = 10;
    /** How long a request waits for a free statement slot before it is looked at again (at most 900). */
    public static final String STATEMENT_SLOT_RETRY_SECONDS = "STATEMENT_SLOT_RETRY_SECONDS";
    public static final int DEFAULT_STATEMENT_SLOT_RETRY_SECONDS = 30;

    static final String DATASET_UNAVAILABLE = "dataset_unavailable";
    static final String INVALID_PARAMETERS = "invalid_parameters";
    static final String WAREHOUSE_REJECTED = "warehouse_rejected";
    static final String SUBMIT_GAVE_UP = "submit_gave_up";

    /** Other writers can move a request while we look at it; re-reading a few times always settles it. */
    private static final int CONFLICT_ATTEMPTS = 3;

    private final ControlTable table;
    private final Warehouses warehouses;
    private final StatementCanceller canceller;
    private final DatasetCatalog catalog;
    private final int maxReceiveCount;
    private final SlotWait slotWait;

    /** What to do with a request when every statement slot is taken: ask again later, outside this delivery. */
    @FunctionalInterface
    public interface SlotWait {
        /**
         * Arranges for the request to be looked at again later, unless another message already will; throws when
         * it could not.
         */
        Outcome later(String requestId);

        /** For a table without a limit, where no move is ever refused for want of a slot. */
        SlotWait NEVER = requestId -> {
            throw new IllegalStateException("no statement limit is configured, yet a slot was refused");
        };

        enum Outcome {
            /** A delayed message will bring the request back. */
            SCHEDULED,
            /** Another message of the same request already waits (or the request moved on): this one is dropped. */
            ALREADY_WAITING
        }
    }

    /** Redshift only, as before there was a second engine. */
    public ExportSubmitter(ControlTable table, RedshiftDataClient redshift, DatasetCatalog catalog,
                           WarehouseConnection connection, String resultsBucket, String unloadRole,
                           int maxReceiveCount) {
        this(table, redshift, catalog, connection, resultsBucket, unloadRole, maxReceiveCount, SlotWait.NEVER);
    }

    /** Redshift only, waiting for statement slots as slotWait says. */
    public ExportSubmitter(ControlTable table, RedshiftDataClient redshift, DatasetCatalog catalog,
                           WarehouseConnection connection, String resultsBucket, String unloadRole,
                           int maxReceiveCount, SlotWait slotWait) {
        this(table, Warehouses.redshiftOnly(new RedshiftDataWarehouse(Objects.requireNonNull(redshift, "redshift"),
                Objects.requireNonNull(connection, "connection").toRedshiftConnection(),
                Objects.requireNonNull(resultsBucket, "resultsBucket"),
                Objects.requireNonNull(unloadRole, "unloadRole"))), catalog, maxReceiveCount, slotWait);
    }

    public ExportSubmitter(ControlTable table, Warehouses warehouses, DatasetCatalog catalog, int maxReceiveCount) {
        this(table, warehouses, catalog, maxReceiveCount, SlotWait.NEVER);
    }

    public ExportSubmitter(ControlTable table, Warehouses warehouses, DatasetCatalog catalog, int maxReceiveCount,
                           SlotWait slotWait) {
        this.slotWait = Objects.requireNonNull(slotWait, "slotWait");
        this.table = Objects.requireNonNull(table, "table");
        this.warehouses = Objects.requireNonNull(warehouses, "warehouses");
        this.canceller = new WarehouseCanceller(warehouses);
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        if (maxReceiveCount < 1) {
            throw new IllegalArgumentException("maxReceiveCount must be at least 1");
        }
        this.maxReceiveCount = maxReceiveCount;
    }

    /** Built from the function's environment (once per JVM, by the handler's no-arg constructor). */
    public static ExportSubmitter fromEnvironment() {
        AppConfig config = AppConfig.forProcessor();
        int maxReceiveCount = Env.getInt(MAX_RECEIVE_COUNT, DEFAULT_MAX_RECEIVE_COUNT);
        if (maxReceiveCount < 1) {
            throw new ConfigException(MAX_RECEIVE_COUNT + " must be at least 1, got " + maxReceiveCount);
        }
        int maxStatements = Env.getInt(MAX_CONCURRENT_STATEMENTS, DEFAULT_MAX_CONCURRENT_STATEMENTS);
        if (maxStatements < 1) {
            throw new ConfigException(MAX_CONCURRENT_STATEMENTS + " must be at least 1, got " + maxStatements);
        }
        int retrySeconds = Env.getInt(STATEMENT_SLOT_RETRY_SECONDS, DEFAULT_STATEMENT_SLOT_RETRY_SECONDS);
        if (retrySeconds < 1 || retrySeconds > ExportQueue.MAX_DELAY_SECONDS) {
            throw new ConfigException(STATEMENT_SLOT_RETRY_SECONDS + " must be between 1 and 900, got "
                    + retrySeconds);
        }
        if (config.exportQueueUrl() == null) {
            throw new ConfigException("Missing required environment variable(s) for request-processor: "
                    + AppConfig.EXPORT_QUEUE_URL + " (a request waiting for a statement slot is queued again)");
        }
        ExportQueue queue = new ExportQueue(AwsClients.sqs(), config.exportQueueUrl());
        return new ExportSubmitter(ControlTable.fromConfig(config).withStatementLimit(maxStatements),
                Warehouses.fromEnvironment(config, true), DatasetCatalog.load(), maxReceiveCount,
                new SlotRetryMessages(RequestLeases.fromConfig(config), queue, retrySeconds, Clock.systemUTC()));
    }

    /**
     * Handles one message body. {@code receiveCount} is the message's {@code ApproximateReceiveCount}: when a
     * transient failure happens on the last allowed attempt the request is failed instead of retried.
     */
    public SubmitOutcome submit(String messageBody, int receiveCount) {
        String requestId;
        try {
            requestId = RequestMessage.requestId(messageBody);
        } catch (IllegalArgumentException e) {
            Log.warn("dropping malformed message (%s)", e.getMessage());
            return SubmitOutcome.DONE;
        }
        try {
            Optional<ExportRequest> request = table.get(requestId);
            if (request.isEmpty()) {
                Log.warn("request %s: not in the control table, dropping the message", requestId);
                return SubmitOutcome.DONE;
            }
            advance(request.get());
            return SubmitOutcome.DONE;
        } catch (StatementLimitException full) {
            // Not a failure: a new delayed message takes over, so this one is deleted and the waiting never
            // counts towards maxReceiveCount. If sending fails, this delivery is retried instead.
            try {
                if (slotWait.later(requestId) == SlotWait.Outcome.SCHEDULED) {
                    Log.info("request %s: all %d statement slots taken, looking again later (delivery %d)",
                            requestId, full.limit(), receiveCount);
                } else {
                    Log.info("request %s: all %d statement slots taken, another message already waits for them;"
                            + " dropping this copy (delivery %d)", requestId, full.limit(), receiveCount);
                }
                return SubmitOutcome.DONE;
            } catch (RuntimeException e) {
                return handleFailure(requestId, e, receiveCount);
            }
        } catch (RuntimeException e) {
            return handleFailure(requestId, e, receiveCount);
        }
    }

    private void advance(ExportRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                advanceOnce(request);
                return;
            } catch (ConflictException e) {
                // Another delivery of the same message (or another writer) moved the request: decide again.
                if (attempt == CONFLICT_ATTEMPTS || e.current().isEmpty()) {
                    throw e;
                }
                request = e.current().get();
            }
        }
    }

    private void submit(ExportRequest queued) {
        Prepared prepared = prepare(queued);
        ExportRequest submitted = table.transition(queued, RequestState.SUBMITTED,
                "submitting the UNLOAD to the warehouse", RequestUpdate.none());
        execute(submitted, prepared);
    }

    /** The job, its warehouse and its statement, built and checked before anything is written. */
    record Prepared(ExportJob job, ExportWarehouse warehouse, String statement) {
    }

    private void advanceOnce(ExportRequest request) {
        switch (request.state()) {
            // RECEIVED: the receiver has sent the message but not yet recorded QUEUED. The message being here is
            // what QUEUED means: record it, so the history keeps every step (the receiver's own write then finds
            // the request further on), and go on.
            case RECEIVED -> submit(table.transition(request, RequestState.QUEUED, "queued for processing",
                    RequestUpdate.none()));
            case QUEUED -> submit(request);
            case SUBMITTED -> {
                if (request.statementId() != null) {
                    Log.info("request %s: already submitted as statement %s", request.requestId(),
                            request.statementId());
                } else {
                    // an earlier attempt stopped between SUBMITTED and storing the id: same token, same statement
                    execute(request, prepare(request));
                }
            }
            default -> Log.info("request %s: %s, nothing to submit (redelivered message)", request.requestId(),
                    request.state());
        }
    }

    /** The UNLOAD (or query) of the request: see {@link #prepare}. */
    String unloadSql(ExportRequest request) {
        return prepare(request).statement();
    }

    /**
     * The request's job on its dataset's warehouse, from the catalog's current dataset and the stored parameters
     * re-validated.
     */
    Prepared prepare(ExportRequest request) {
        Dataset dataset = catalog.get(request.dataset()).orElseThrow(() -> new PermanentExportException(
                DATASET_UNAVAILABLE, "Dataset " + request.dataset() + " is no longer in the catalog"));
        if (!dataset.supports(request.format())) {
            throw new PermanentExportException(DATASET_UNAVAILABLE, "Dataset " + dataset.name()
                    + " is no longer offered as " + request.format().apiName());
        }
        Validation validation = dataset.validate(request.parameters().toJson());
        if (!validation.isValid()) {
            throw new PermanentExportException(INVALID_PARAMETERS, "Parameters no longer valid for dataset "
                    + dataset.name() + ": " + validation.errors().stream().map(ExportSubmitter::describe)
                    .collect(Collectors.joining("; ")));
        }
        ExportWarehouse warehouse = warehouses.forDataset(dataset);
        ExportJob job = new ExportJob(request.requestId(), dataset, validation.parameters(), request.format(),
                request.compression());
        try {
            return new Prepared(job, warehouse, warehouse.statement(job));
        } catch (IllegalArgumentException e) {
            throw new PermanentExportException(INVALID_PARAMETERS, "Cannot build the UNLOAD: " + e.getMessage());
        }
    }

    /** Package-private for the cancel-race test: runs sql as the request's statement and stores its id. */
    void execute(ExportRequest request, String sql) {
        Prepared prepared = prepare(request);
        execute(request, new Prepared(prepared.job(), prepared.warehouse(), sql));
    }

    private void execute(ExportRequest request, Prepared prepared) {
        String statementId = Warehouses.storedId(prepared.warehouse(),
                prepared.warehouse().submit(prepared.job(), prepared.statement()));
        try {
            ExportRequest stored = table.setStatementId(request.requestId(), statementId);
            Log.info("request %s: submitted as statement %s", request.requestId(), statementId);
            cancelIfCancelled(stored, statementId);
        } catch (ConflictException e) {
            String stored = e.current().map(ExportRequest::statementId).orElse(null);
            if (statementId.equals(stored)) {
                Log.info("request %s: statement %s was already stored", request.requestId(), statementId);
                cancelIfCancelled(e.current().get(), statementId);
            } else {
                // Should not happen while the ClientToken holds (8 hours); keep the first, report the other.
                Log.warn("request %s: statement %s already stored, got %s (%s)", request.requestId(), stored,
                        statementId, e.getMessage());
            }
        }
    }

    /**
     * The caller cancelled between our move to SUBMITTED and the statement id being stored, so the cancellation
     * found no statement to stop: stop it here (a cancellation after the store cancels it itself).
     */
    private void cancelIfCancelled(ExportRequest stored, String statementId) {
        if (stored.state() != RequestState.CANCELLED) {
            return;
        }
        try {
            Log.info("request %s: cancelled while submitting; statement %s: %s", stored.requestId(), statementId,
                    canceller.cancel(statementId));
        } catch (RuntimeException e) {
            Log.warn("request %s: cancelled, but statement %s could not be cancelled: %s", stored.requestId(),
                    statementId, ErrorClassifier.describe(e));
        }
    }

    private SubmitOutcome handleFailure(String requestId, RuntimeException failure, int receiveCount) {
        FailureKind kind = ErrorClassifier.classify(failure);
        String reason = ErrorClassifier.describe(failure);
        ExportError error;
        if (kind == FailureKind.PERMANENT) {
            error = failure instanceof PermanentExportException permanent
                    ? permanent.toExportError() : new ExportError(WAREHOUSE_REJECTED, reason);
        } else if (receiveCount >= maxReceiveCount) {
            error = new ExportError(SUBMIT_GAVE_UP, "gave up after " + receiveCount + " attempts: " + reason);
        } else {
            Log.warn("request %s: attempt %d of %d failed, will retry: %s", requestId, receiveCount,
                    maxReceiveCount, reason);
            return SubmitOutcome.RETRY;
        }
        Log.warn("request %s: failing: %s", requestId, error.message());
        try {
            fail(requestId, error);
            return SubmitOutcome.DONE;
        } catch (RuntimeException e) {
            // Could not even record the failure: let SQS try again (or dead-letter it after the last attempt).
            Log.warn("request %s: recording the failure failed too: %s", requestId, ErrorClassifier.describe(e));
            return SubmitOutcome.RETRY;
        }
    }

    /** Moves the request to FAILED unless it is already final; it stays in flight until the poller emails. */
    private void fail(String requestId, ExportError error) {
        for (int attempt = 1; ; attempt++) {
            Optional<ExportRequest> current = table.get(requestId);
            if (current.isEmpty() || current.get().state().isFinal()) {
                return;
            }
            try {
                table.transition(current.get(), RequestState.FAILED, error.message(),
                        RequestUpdate.withError(error).keepInFlight());
                return;
            } catch (ConflictException e) {
                if (attempt == CONFLICT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static String describe(FieldError error) {
        return error.field() + ": " + error.message();
    }
}
