package com.warehouseexport.poller;

import com.warehouseexport.model.lambda.Log;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.warehouseexport.model.aws.AwsClients;
import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.config.ConfigException;
import com.warehouseexport.model.config.Env;
import com.warehouseexport.model.queue.ExportQueue;
import com.warehouseexport.model.table.StatementSlots;
import java.util.EnumSet;
import java.util.Set;
import com.warehouseexport.model.domain.ExportError;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.ExportResult;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.table.ConflictException;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.RequestLeases;
import com.warehouseexport.model.table.RequestUpdate;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import com.warehouseexport.model.warehouse.ExecutionNotFoundException;
import com.warehouseexport.model.warehouse.ExecutionState;
import com.warehouseexport.model.warehouse.RedshiftDataWarehouse;
import com.warehouseexport.model.warehouse.ResultFiles;
import com.warehouseexport.model.warehouse.WarehouseExecution;
import com.warehouseexport.model.warehouse.Warehouses;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import com.warehouseexport.model.config.ConfigException;
import com.warehouseexport.model.links.DownloadLinks;
import com.warehouseexport.model.links.LinkTokens;
import com.warehouseexport.model.links.SecretsManagerLinkKeys;

/**
 * Follows submitted executions to the end (design page, export flow step 4), on whichever warehouse ran them:
 * it talks to the warehouse port ({@link Warehouses}), never to an engine's SDK. Every step is a conditional
 * write, so any number of pollers (the schedule and the status-change events overlap) can run at once:
 * the move to PACKAGING is the claim only one wins; the move to SUCCEEDED/FAILED keeps the request in the
 * in-flight index until its email is recorded; the email has its own claim.
 *
 * <p>Windows that remain:
 * <ul>
 *   <li>The email is sent but the poller dies before recording it: after the notification lease another
 *       poller sends it again (SES has no idempotency key). The gap is one DynamoDB write.</li>
 *   <li>A packager dies (or fails on S3): the request stays PACKAGING until the packaging lease (longer than
 *       the function's timeout) runs out, then it is packaged again; the email waits that long.</li>
 *   <li>A packager that outlives its lease (only possible with a lease shorter than the timeout) races its
 *       successor; both write the same archive key, the first SUCCEEDED move wins, the other is refused.</li>
 *   <li>Only without {@code PUBLIC_API_URL} (a poller run without the API): the emailed link is then a presigned
 *       URL, which dies with the credentials that signed it (the function role's session), possibly before
 *       {@code LINK_EXPIRY_SECONDS}. With it the link is durable ({@link ArchiveLinks#durable}).</li>
 * </ul>
 */
public final class ResultPoller {
    static final String STATEMENT_FAILED = "statement_failed";
    static final String STATEMENT_ABORTED = "statement_aborted";
    static final String STATEMENT_LOST = "statement_lost";
    static final String PACKAGING_FAILED = "packaging_failed";
    public static final String DEAD_LETTER_QUEUE_URL = "DEAD_LETTER_QUEUE_URL";

    private final ControlTable table;
    private final RequestLeases leases;
    private final Warehouses warehouses;
    private final ResultPackager packager;
    private final ArchiveLinks links;
    private final Notifier notifier;
    private final PollerSettings settings;
    private final Clock clock;
    /** {@code null} only in tests that build a poller without a queue. */
    private final StuckRequestSweep stuckRequests;

    /** The states the statement-following sweep looks at; RECEIVED/QUEUED belong to {@link StuckRequestSweep}. */
    static final Set<RequestState> FOLLOWED = EnumSet.complementOf(EnumSet.of(RequestState.RECEIVED,
            RequestState.QUEUED));

    /** Redshift only, as before there was a second engine. */
    public ResultPoller(ControlTable table, RequestLeases leases, RedshiftDataClient redshift, ResultPackager packager,
                        ArchiveLinks links, Notifier notifier, PollerSettings settings, Clock clock) {
        this(table, leases, redshift, packager, links, notifier, settings, clock, null);
    }

    /** Redshift only, with the sweep of requests stuck before the warehouse. */
    public ResultPoller(ControlTable table, RequestLeases leases, RedshiftDataClient redshift, ResultPackager packager,
                        ArchiveLinks links, Notifier notifier, PollerSettings settings, Clock clock,
                        StuckRequestSweep stuckRequests) {
        this(table, leases, Warehouses.redshiftOnly(new RedshiftDataWarehouse(
                Objects.requireNonNull(redshift, "redshift"), null, packager.resultsBucket(), null)),
                packager, links, notifier, settings, clock, stuckRequests);
    }

    public ResultPoller(ControlTable table, RequestLeases leases, Warehouses warehouses, ResultPackager packager,
                        ArchiveLinks links, Notifier notifier, PollerSettings settings, Clock clock) {
        this(table, leases, warehouses, packager, links, notifier, settings, clock, null);
    }

    public ResultPoller(ControlTable table, RequestLeases leases, Warehouses warehouses, ResultPackager packager,
                        ArchiveLinks links, Notifier notifier, PollerSettings settings, Clock clock,
                        StuckRequestSweep stuckRequests) {
        this.stuckRequests = stuckRequests;
        this.table = Objects.requireNonNull(table, "table");
        this.leases = Objects.requireNonNull(leases, "leases");
        this.warehouses = Objects.requireNonNull(warehouses, "warehouses");
        this.packager = Objects.requireNonNull(packager, "packager");
        this.links = Objects.requireNonNull(links, "links");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Built from the function's environment (once per JVM, by the handler's no-arg constructor). */
    public static ResultPoller fromEnvironment() {
        AppConfig config = AppConfig.forPoller();
        PollerSettings settings = PollerSettings.from(config);
        Clock clock = Clock.systemUTC();
        RequestLeases leases = RequestLeases.fromConfig(config);
        String deadLetterQueueUrl = Env.get(DEAD_LETTER_QUEUE_URL);
        if (config.exportQueueUrl() == null || deadLetterQueueUrl == null) {
            throw new ConfigException("Missing required environment variable(s) for result-poller: "
                    + AppConfig.EXPORT_QUEUE_URL + ", " + DEAD_LETTER_QUEUE_URL
                    + " (the sweep re-queues lost requests and fails dead-lettered ones)");
        }
        ControlTable table = ControlTable.fromConfig(config);
        StuckRequestSweep stuck = StuckRequestSweep.fromEnv(table, leases,
                new StatementSlots(AwsClients.dynamoDb(), config.controlTable()),
                new ExportQueue(AwsClients.sqs(), config.exportQueueUrl()), clock,
                new DeadLetters(AwsClients.sqs(), deadLetterQueueUrl, table));
        return new ResultPoller(table, leases, Warehouses.fromEnvironment(config, false),
                new ResultPackager(AwsClients.s3(), config.resultsBucket(), config.archiveBucket()),
                archiveLinks(clock),
                new Notifier(leases, AwsClients.ses(), settings.sourceEmail(), settings.targetEmails(),
                        settings.notificationLease(), clock),
                settings, clock, stuck);
    }

    /**
     * Durable links when {@code PUBLIC_API_URL} and {@code LINK_SIGNING_SECRET_ARN} are set (as the template
     * does); presigned URLs when neither is; one without the other is a configuration error. The keys are read
     * on first use, so a SnapStart snapshot never holds them.
     */
    static ArchiveLinks archiveLinks(Clock clock) {
        String apiUrl = DownloadLinks.apiBaseUrlFromEnv();
        String secretArn = DownloadLinks.secretArnFromEnv();
        if (apiUrl == null && secretArn == null) {
            Log.warn("no %s: emailing presigned URLs, which die with this function's credentials",
                    DownloadLinks.PUBLIC_API_URL);
            return ArchiveLinks.presigned(AwsClients.s3Presigner());
        }
        if (apiUrl == null || secretArn == null) {
            throw new ConfigException("Set both " + DownloadLinks.PUBLIC_API_URL + " and "
                    + DownloadLinks.LINK_SIGNING_SECRET_ARN + " for durable download links, or neither");
        }
        return ArchiveLinks.durable(new DownloadLinks(apiUrl,
                new LinkTokens(new SecretsManagerLinkKeys(AwsClients.secretsManager(), secretArn), clock)));
    }

    /** A status-change event handles its own request now; the schedule sweeps the in-flight index. */
    public PollReport handle(ScheduledEvent event, LongSupplier remainingMillis) {
        Optional<String> requestId = StatementEvents.requestIdOf(event);
        Optional<String> athenaQuery = StatementEvents.athenaQueryIdOf(event);
        if (athenaQuery.isPresent()) {
            requestId = requestOfAthenaQuery(athenaQuery.get());
            if (requestId.isEmpty()) {
                return new PollReport(PollReport.STATEMENT_EVENT, 0, 0, false);
            }
        }
        if (requestId.isPresent()) {
            boolean ok = pollSafely(requestId.get());
            return new PollReport(PollReport.STATEMENT_EVENT, 1, ok ? 0 : 1, false);
        }
        if (StatementEvents.isStatementEvent(event)) {
            Log.info("ignoring a warehouse event that names no export request");
            return new PollReport(PollReport.STATEMENT_EVENT, 0, 0, false);
        }
        return sweep(remainingMillis);
    }

    /**
     * Looks at up to {@code sweepLimit} in-flight requests, least recently updated first, stopping early when
     * the invocation is about to run out of time. One request's failure does not stop the others.
     */
    public PollReport sweep(LongSupplier remainingMillis) {
        if (stuckRequests != null) {
            stuckRequests.run();
        }
        List<ExportRequest> inFlight = table.inFlight(FOLLOWED, null, settings.sweepLimit());
        int examined = 0;
        int failures = 0;
        for (ExportRequest seen : inFlight) {
            if (remainingMillis.getAsLong() < settings.stopSweepingWhenLeft().toMillis()) {
                Log.info("sweep stopped for time after %d of %d requests", examined, inFlight.size());
                return new PollReport(PollReport.SCHEDULE, examined, failures, true);
            }
            // The index is eventually consistent: skip cheaply on what it says, act only on a fresh read.
            if (PollRules.stepFor(seen, clock.instant(), settings.packagingLease()) == PollRules.RequestStep.NOTHING) {
                continue;
            }
            examined++;
            if (!pollSafely(seen.requestId())) {
                failures++;
            }
        }
        return new PollReport(PollReport.SCHEDULE, examined, failures, false);
    }

    /**
     * Athena's events name only the query execution: its output location ({@code exports/<id>/}) says which
     * request it belongs to. Empty for queries of others, or when Athena cannot be asked now (the schedule will
     * see the request anyway).
     */
    private Optional<String> requestOfAthenaQuery(String queryExecutionId) {
        try {
            String requestId = warehouses.describe(Warehouses.athenaId(queryExecutionId)).requestId();
            if (requestId == null) {
                Log.info("ignoring Athena query %s: not an export", queryExecutionId);
            }
            return Optional.ofNullable(requestId);
        } catch (RuntimeException e) {
            Log.warn("Athena query %s: cannot tell its request now, the schedule will: %s", queryExecutionId, e);
            return Optional.empty();
        }
    }

    private boolean pollSafely(String requestId) {
        try {
            poll(requestId);
            return true;
        } catch (RuntimeException e) {
            Log.warn("request %s: poll failed, the next run tries again: %s", requestId, e);
            return false;
        }
    }

    /** One step (or several in a row) for one request, from a consistent read. */
    public void poll(String requestId) {
        Optional<ExportRequest> found = table.get(requestId);
        if (found.isEmpty()) {
            Log.warn("request %s: not in the control table", requestId);
            return;
        }
        ExportRequest request = found.get();
        Instant now = clock.instant();
        switch (PollRules.stepFor(request, now, settings.packagingLease())) {
            case NOTHING -> Log.info("request %s: %s, nothing to do now", requestId, request.state());
            case DESCRIBE_STATEMENT -> followStatement(request);
            case RECLAIM_PACKAGING -> {
                Optional<ExportRequest> reclaimed = leases.reclaimPackaging(request, now);
                if (reclaimed.isPresent()) {
                    Log.warn("request %s: packaging lease from %s expired, packaging again", requestId,
                            request.updatedAt());
                    packageAndFinish(reclaimed.get(), null);
                }
            }
            case NOTIFY, LEAVE_INDEX -> notifier.notifyOnce(request);
        }
    }

    private void followStatement(ExportRequest request) {
        WarehouseExecution execution;
        try {
            execution = warehouses.describe(request.statementId());
        } catch (ExecutionNotFoundException e) {
            if (PollRules.statementLost(request, clock.instant())) {
                // the Redshift Data API forgets a statement 24 hours after it ends, Athena an execution after 45 days
                Log.warn("request %s: %s", request.requestId(), e.getMessage());
                fail(request, new ExportError(STATEMENT_LOST, "The warehouse no longer knows statement "
                        + request.statementId() + " (" + (Warehouses.ATHENA.equals(Warehouses.engineOf(
                        request.statementId())) ? "Athena keeps query executions for 45 days"
                        : "the Redshift Data API keeps statements for 24 hours") + "). The export did not complete:"
                        + " submit it again."));
            }
            return;
        }
        ExecutionState state = execution.state();
        switch (PollRules.forExecution(request.state(), state)) {
            case WAIT -> Log.info("request %s: statement %s is %s", request.requestId(), execution.executionId(),
                    state);
            case MARK_RUNNING -> moveIfStill(request, RequestState.RUNNING, "warehouse status " + state);
            case PACKAGE -> {
                ExportRequest claimed = moveIfStill(request, RequestState.PACKAGING, "statement finished: "
                        + (execution.rows() >= 0 ? execution.rows() + " rows" : "rows counted while packaging")
                        + "; packaging");
                if (claimed != null) {
                    packageAndFinish(claimed, execution);
                }
            }
            case FAIL -> {
                boolean aborted = state == ExecutionState.ABORTED;
                String message = execution.error() != null && !execution.error().isBlank() ? execution.error()
                        : aborted ? "The statement was aborted" : "The statement failed";
                fail(request, new ExportError(aborted ? STATEMENT_ABORTED : STATEMENT_FAILED, message));
            }
        }
    }

    /**
     * Streams the parts into the archive, makes its link, records the result, moves to SUCCEEDED and emails.
     * {@code execution}: what the warehouse said, or null after a reclaimed lease (asked again here).
     */
    private void packageAndFinish(ExportRequest claimed, WarehouseExecution execution) {
        PackagedArchive archive;
        try {
            archive = packager.build(claimed, resultFiles(claimed, execution));
        } catch (UnloadManifest.InvalidManifestException e) {
            fail(claimed, new ExportError(PACKAGING_FAILED, e.getMessage()));
            return;
        } catch (IOException | RuntimeException e) {
            // Left in PACKAGING: once the lease runs out a later run packages it again.
            Log.warn("request %s: packaging failed, retried after the lease: %s", claimed.requestId(), e);
            return;
        }
        Instant signedAt = clock.instant();
        Instant expiresAt = signedAt.plus(settings.linkExpiry());
        String url = links.linkFor(claimed.requestId(), packager.archiveBucket(), archive.archiveKey(), signedAt,
                expiresAt);
        ExportResult result = new ExportResult(archive.rows(), archive.bytes(), claimed.format(), archive.parts(),
                url, expiresAt, archive.archiveKey());
        ExportRequest succeeded = moveIfStill(claimed, RequestState.SUCCEEDED,
                "archive ready: " + archive.rows() + " rows, " + archive.bytes() + " bytes",
                RequestUpdate.withResult(result).keepInFlight());
        if (succeeded != null) {
            Log.info("request %s: SUCCEEDED, %d rows in %d part(s), archive %d bytes", claimed.requestId(),
                    archive.rows(), archive.parts(), archive.bytes());
            notifier.notifyOnce(succeeded);
        }
    }

    /**
     * Where the results are. Redshift's manifest is always at the same key, so a reclaimed request needs no call;
     * an Athena execution is asked (its CSV result is named after the query).
     */
    private ResultFiles resultFiles(ExportRequest claimed, WarehouseExecution execution) {
        if (execution != null) {
            return execution.output();
        }
        if (Warehouses.engineOf(claimed.statementId()).equals(Warehouses.REDSHIFT)) {
            return null; // the manifest
        }
        return warehouses.describe(claimed.statementId()).output();
    }

    private void fail(ExportRequest request, ExportError error) {
        ExportRequest failed = moveIfStill(request, RequestState.FAILED, error.message(),
                RequestUpdate.withError(error).keepInFlight());
        if (failed != null) {
            Log.warn("request %s: FAILED (%s): %s", request.requestId(), error.code(), error.message());
            notifier.notifyOnce(failed);
        }
    }

    private ExportRequest moveIfStill(ExportRequest request, RequestState next, String detail) {
        return moveIfStill(request, next, detail, RequestUpdate.none());
    }

    /** The conditional move; {@code null} when another writer moved the request first (it is theirs now). */
    private ExportRequest moveIfStill(ExportRequest request, RequestState next, String detail, RequestUpdate update) {
        try {
            return table.transition(request, next, detail, update);
        } catch (ConflictException e) {
            Log.info("request %s: not moved to %s, another writer got there first (%s)", request.requestId(), next,
                    e.getMessage());
            return null;
        }
    }
}
