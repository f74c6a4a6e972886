package com.warehouseexport.localaws.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.AtomicFile;
import com.warehouseexport.localaws.events.EventBus;
import com.warehouseexport.localaws.http.AwsServiceException;
import com.warehouseexport.localaws.http.JsonProtocolService;
import com.warehouseexport.localaws.redshift.Warehouse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Amazon Athena's query API (AWS JSON 1.1, target prefix {@code AmazonAthena}; shapes of botocore's
 * {@code athena} 2017-05-18 model) over the same embedded DuckDB {@link Warehouse} as the Redshift Data API:
 * an Athena database is a DuckDB schema, the only catalog is {@code AwsDataCatalog}. Queries run on a fixed pool
 * of daemon workers and move QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED; each change is published on the
 * {@link EventBus} as {@code aws.athena} "Athena Query State Change". A SELECT's result is written to the output
 * location as {@code <QueryExecutionId>.csv} (and {@code .csv.metadata}) and GetQueryResults reads it back from
 * there; an UNLOAD writes its files to its {@code TO} location. With a state directory executions and work groups
 * survive a restart, and queries that were not final run again.
 */
public final class AthenaService implements JsonProtocolService, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AthenaService.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    static final String DEFAULT_CATALOG = "AwsDataCatalog";
    static final String PRIMARY_WORKGROUP = "primary";
    static final String EVENT_SOURCE = "aws.athena";
    static final String EVENT_DETAIL_TYPE = "Athena Query State Change";
    static final String ENGINE_VERSION = "Athena engine version 3";
    /** Athena keeps query history 45 days. */
    static final Duration RETENTION = Duration.ofDays(45);
    static final int MAX_QUERY_BYTES = 262_144;

    /** Test hook: called by the worker before it moves a query to {@code nextState}. */
    interface TransitionHook {
        void before(String queryExecutionId, String nextState) throws InterruptedException;
    }

    private record WorkGroup(String name, String description, String outputLocation, boolean enforce,
                             Instant createdAt) {
        ObjectNode toJson() {
            ObjectNode n = F.objectNode().put("name", name).put("description", description)
                .put("outputLocation", outputLocation).put("enforce", enforce).put("createdAt", createdAt.toString());
            return n;
        }

        static WorkGroup fromJson(JsonNode n) {
            return new WorkGroup(n.get("name").asText(), n.path("description").asText(""),
                n.hasNonNull("outputLocation") ? n.get("outputLocation").asText() : null,
                n.path("enforce").asBoolean(false), Instant.parse(n.get("createdAt").asText()));
        }
    }

    private final Warehouse warehouse;
    private final S3Client s3;
    private final EventBus events;
    private final Path stateFile;
    private final Clock clock;
    private final ExecutorService workers;
    private final Map<String, QueryExecution> executions = new ConcurrentHashMap<>();
    private final Map<String, String> clientTokens = new ConcurrentHashMap<>();
    private final Map<String, WorkGroup> workGroups = new ConcurrentHashMap<>();
    private final Map<String, CancelSwitch> running = new ConcurrentHashMap<>();
    private volatile TransitionHook hook = (id, next) -> { };
    private volatile boolean closing;

    public AthenaService(Warehouse warehouse, S3Client s3, EventBus events, Path stateDirOrNull, int workers) {
        this(warehouse, s3, events, stateDirOrNull, workers, Clock.systemUTC());
    }

    AthenaService(Warehouse warehouse, S3Client s3, EventBus events, Path stateDirOrNull, int workers, Clock clock) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        this.warehouse = warehouse;
        this.s3 = s3;
        this.events = events;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            r -> {
                Thread t = new Thread(r, "athena-worker-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        try {
            this.stateFile = stateDirOrNull == null ? null
                : Files.createDirectories(stateDirOrNull).resolve("athena-state.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        workGroups.put(PRIMARY_WORKGROUP, new WorkGroup(PRIMARY_WORKGROUP, "", null, false, clock.instant()));
        recover();
    }

    @Override
    public String targetPrefix() {
        return "AmazonAthena";
    }

    void setTransitionHook(TransitionHook hook) {
        this.hook = hook == null ? (id, next) -> { } : hook;
    }

    /** Creates (or replaces) a work group from Java, as CreateWorkGroup does over the wire. */
    public void putWorkGroup(String name, String outputLocation, boolean enforceConfiguration) {
        workGroups.put(name, new WorkGroup(name, "", outputLocation, enforceConfiguration, clock.instant()));
        save();
    }

    @Override
    public JsonNode handle(String operation, JsonNode request) {
        return switch (operation) {
            case "StartQueryExecution" -> startQueryExecution(request);
            case "GetQueryExecution" -> F.objectNode().set("QueryExecution", describe(find(request)));
            case "BatchGetQueryExecution" -> batchGet(request);
            case "GetQueryResults" -> getQueryResults(request);
            case "StopQueryExecution" -> stop(request);
            case "ListQueryExecutions" -> list(request);
            case "GetWorkGroup" -> getWorkGroup(request);
            case "ListWorkGroups" -> listWorkGroups();
            case "CreateWorkGroup" -> createWorkGroup(request);
            default -> throw new AwsServiceException(400, "UnknownOperationException",
                "Operation " + operation + " is not supported by the local Athena emulator");
        };
    }

    // ---- StartQueryExecution ----

    private JsonNode startQueryExecution(JsonNode req) {
        String query = text(req, "QueryString");
        if (query == null || query.isEmpty()) {
            throw invalid("1 validation error detected: Value null at 'queryString' failed to satisfy constraint: "
                + "Member must not be null");
        }
        if (query.getBytes(StandardCharsets.UTF_8).length > MAX_QUERY_BYTES) {
            throw invalid("1 validation error detected: Value at 'queryString' failed to satisfy constraint: "
                + "Member must have length less than or equal to " + MAX_QUERY_BYTES);
        }
        String token = text(req, "ClientRequestToken");
        if (token != null && (token.length() < 32 || token.length() > 128)) {
            throw invalid("1 validation error detected: Value '" + token + "' at 'clientRequestToken' failed to "
                + "satisfy constraint: Member must have length " + (token.length() < 32
                ? "greater than or equal to 32" : "less than or equal to 128"));
        }
        String workGroupName = text(req, "WorkGroup") == null ? PRIMARY_WORKGROUP : text(req, "WorkGroup");
        WorkGroup workGroup = workGroups.get(workGroupName);
        if (workGroup == null) {
            throw invalid("WorkGroup " + workGroupName + " is not found.");
        }
        JsonNode context = req.path("QueryExecutionContext");
        String database = text(context, "Database");
        String catalog = text(context, "Catalog") == null ? DEFAULT_CATALOG : text(context, "Catalog");
        String output = text(req.path("ResultConfiguration"), "OutputLocation");
        if (workGroup.enforce() || output == null) {
            output = workGroup.outputLocation();
        }
        if (output == null) {
            throw invalid("No output location provided. An output location is required either through the "
                + "Workgroup result configuration setting or as an API input.");
        }
        if (!output.startsWith("s3://") || output.length() <= 5) {
            throw invalid("outputLocation is not a valid S3 path. Provided " + output);
        }
        if (!output.endsWith("/")) {
            output += "/";
        }
        List<String> parameters = new ArrayList<>();
        req.path("ExecutionParameters").forEach(p -> parameters.add(p.asText()));
        for (String p : parameters) {
            if (p.isEmpty()) {
                throw invalid("1 validation error detected: Value at 'executionParameters' failed to satisfy "
                    + "constraint: Member must have length greater than or equal to 1");
            }
        }
        if (token != null) {
            String existing = clientTokens.get(token);
            if (existing != null) {
                QueryExecution earlier = executions.get(existing);
                if (earlier != null && !earlier.query.equals(query)) {
                    throw invalid("Idempotent parameters do not match: the ClientRequestToken " + token
                        + " was used with a different QueryString");
                }
                if (earlier != null) {
                    return F.objectNode().put("QueryExecutionId", existing);
                }
            }
        }
        QueryExecution q = new QueryExecution(UUID.randomUUID().toString(), query, statementType(query), database,
            catalog, workGroupName, output, parameters, token, clock.instant());
        synchronized (this) {
            if (token != null) {
                String raced = clientTokens.putIfAbsent(token, q.id);
                if (raced != null) {
                    return F.objectNode().put("QueryExecutionId", raced);
                }
            }
            executions.put(q.id, q);
        }
        save();
        submit(q);
        return F.objectNode().put("QueryExecutionId", q.id);
    }

    private static String statementType(String query) {
        try {
            List<AthenaSql.Token> t = AthenaSql.significant(AthenaSql.lex(query));
            if (t.isEmpty()) {
                return "DML";
            }
            String first = t.get(0).text().toLowerCase(Locale.ROOT);
            return switch (first) {
                case "select", "with", "values", "table", "unload", "insert", "(" -> "DML";
                case "show", "describe", "explain" -> "UTILITY";
                default -> "DDL";
            };
        } catch (AthenaSql.SyntaxException e) {
            return "DML";
        }
    }

    private void submit(QueryExecution q) {
        workers.execute(() -> run(q));
    }

    // ---- running a query ----

    /** Cancels the DuckDB statement of a running query. */
    private static final class CancelSwitch {
        private volatile boolean cancelled;
        private Statement current;

        synchronized void register(Statement s) {
            current = s;
            if (cancelled) {
                cancelCurrent();
            }
        }

        synchronized void unregister() {
            current = null;
        }

        synchronized void cancel() {
            cancelled = true;
            cancelCurrent();
        }

        void check() throws QueryFailure {
            if (cancelled) {
                throw new QueryFailure("cancelled");
            }
        }

        private void cancelCurrent() {
            if (current != null) {
                try {
                    current.cancel();
                } catch (SQLException ignored) {
                    // it may have just finished; the flag is seen either way
                }
            }
        }
    }

    /** A query error whose message is already Athena's text. */
    static final class QueryFailure extends Exception {
        QueryFailure(String message) {
            super(message);
        }
    }

    private void run(QueryExecution q) {
        if (closing) {
            return; // stays QUEUED in the state file and runs after the next start
        }
        CancelSwitch cancel = new CancelSwitch();
        running.put(q.id, cancel);
        try {
            hook.before(q.id, QueryExecution.RUNNING);
            if (!move(q, QueryExecution.QUEUED, QueryExecution.RUNNING)) {
                return;
            }
            hook.before(q.id, QueryExecution.SUCCEEDED);
            execute(q, cancel);
            finish(q, QueryExecution.SUCCEEDED, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (QueryFailure e) {
            if (!cancel.cancelled) {
                finish(q, QueryExecution.FAILED, e.getMessage());
            }
        } catch (SQLException e) {
            if (!cancel.cancelled) {
                finish(q, QueryExecution.FAILED, AthenaErrors.translate(e.getMessage(), q.database));
            }
        } catch (RuntimeException e) {
            if (!cancel.cancelled) {
                LOG.log(Level.WARNING, "query " + q.id + " failed unexpectedly", e);
                finish(q, QueryExecution.FAILED, "GENERIC_INTERNAL_ERROR: " + e);
            }
        } finally {
            running.remove(q.id);
        }
    }

    private void execute(QueryExecution q, CancelSwitch cancel) throws QueryFailure, SQLException {
        List<AthenaSql.Token> tokens;
        try {
            tokens = AthenaSql.lex(q.query);
            for (String p : q.parameters) {
                AthenaSql.checkParameterLiteral(p);
            }
        } catch (AthenaSql.SyntaxException e) {
            throw new QueryFailure(e.getMessage());
        }
        List<AthenaSql.Token> significant = AthenaSql.significant(tokens);
        if (significant.stream().anyMatch(t -> t.kind() == AthenaSql.Kind.SEMICOLON)) {
            throw new QueryFailure("line 1:1: Only one sql statement is allowed. Got: " + q.query);
        }
        int expected = AthenaSql.parameterCount(significant);
        if (expected != q.parameters.size()) {
            throw new QueryFailure("line 1:1: Incorrect number of parameters: expected " + expected + " but found "
                + q.parameters.size());
        }
        if (!q.catalog.equalsIgnoreCase(DEFAULT_CATALOG)) {
            throw new QueryFailure("CATALOG_NOT_FOUND: Catalog '" + q.catalog.toLowerCase(Locale.ROOT)
                + "' does not exist");
        }
        try (Connection c = warehouse.connect()) {
            useDatabase(c, q.database);
            if (AthenaUnload.isUnload(significant)) {
                AthenaUnload unload;
                try {
                    unload = AthenaUnload.parse(significant);
                } catch (AthenaSql.SyntaxException e) {
                    throw new QueryFailure(e.getMessage());
                }
                String select = AthenaSql.toDuckDb(unload.query(), q.parameters);
                new AthenaUnloader(s3).run(c, q, unload, select, new AthenaUnloader.Control() {
                    @Override
                    public void register(Statement s) {
                        cancel.register(s);
                    }

                    @Override
                    public void unregister() {
                        cancel.unregister();
                    }

                    @Override
                    public void check() throws QueryFailure {
                        cancel.check();
                    }

                    @Override
                    public void started() {
                        synchronized (q) {
                            q.unloadStarted = true;
                        }
                        save();
                    }
                });
                return;
            }
            String sql = AthenaSql.toDuckDb(significant, q.parameters);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                cancel.register(ps);
                try {
                    if (ps.execute()) {
                        try (ResultSet rs = ps.getResultSet()) {
                            ResultFiles.Written written = ResultFiles.writeCsv(rs, s3, q.resultLocation(), cancel::check);
                            synchronized (q) {
                                q.rows = written.rows();
                                q.bytes = written.bytes();
                                q.columns = written.columns();
                            }
                        }
                    }
                } finally {
                    cancel.unregister();
                }
            }
        }
    }

    /** Athena databases are DuckDB schemas; unqualified names resolve in the query's database. */
    private static void useDatabase(Connection c, String database) throws SQLException, QueryFailure {
        if (database == null) {
            return;
        }
        String schema = database.toLowerCase(Locale.ROOT);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            ps.setString(1, schema);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                if (r.getLong(1) == 0) {
                    throw new QueryFailure("SCHEMA_NOT_FOUND: Schema '" + schema + "' does not exist");
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET schema = " + AthenaSql.literal(schema));
            s.execute("SET search_path = " + AthenaSql.literal(schema));
        }
    }

    private boolean move(QueryExecution q, String from, String to) {
        String previous;
        synchronized (q) {
            if (!q.state.equals(from)) {
                return false;
            }
            previous = q.state;
            q.state = to;
            q.sequenceNumber++;
            if (to.equals(QueryExecution.RUNNING)) {
                q.startedAt = clock.instant();
            }
        }
        save();
        publish(q, previous);
        return true;
    }

    private void finish(QueryExecution q, String state, String reason) {
        String previous;
        synchronized (q) {
            if (q.isFinal()) {
                return;
            }
            previous = q.state;
            q.state = state;
            q.stateChangeReason = reason;
            q.completedAt = clock.instant();
            q.sequenceNumber++;
        }
        save();
        publish(q, previous);
    }

    private void publish(QueryExecution q, String previous) {
        if (events == null) {
            return;
        }
        ObjectNode detail = F.objectNode();
        synchronized (q) {
            detail.put("currentState", q.state);
            detail.put("previousState", previous);
            detail.put("queryExecutionId", q.id);
            detail.put("sequenceNumber", Integer.toString(q.sequenceNumber));
            detail.put("statementType", q.statementType);
            detail.put("versionId", "0");
            detail.put("workgroupName", q.workGroup);
            if (q.state.equals(QueryExecution.FAILED)) {
                ObjectNode error = detail.putObject("athenaError");
                error.put("errorCategory", 2);
                error.put("errorType", 1100);
                error.put("errorMessage", q.stateChangeReason);
                error.put("retryable", false);
            }
        }
        try {
            events.publish(EVENT_SOURCE, EVENT_DETAIL_TYPE, List.of(), detail);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not publish the state change of " + q.id, e);
        }
    }

    // ---- GetQueryExecution / BatchGet / List ----

    private ObjectNode describe(QueryExecution q) {
        ObjectNode out = F.objectNode();
        Instant now = clock.instant();
        synchronized (q) {
            out.put("QueryExecutionId", q.id);
            out.put("Query", q.query);
            out.put("StatementType", q.statementType);
            if (!q.query.isEmpty() && q.statementType.equals("DML")) {
                out.put("SubstatementType", firstWord(q.query));
            }
            out.putObject("ResultConfiguration").put("OutputLocation", q.resultLocation());
            out.putObject("ResultReuseConfiguration").putObject("ResultReuseByAgeConfiguration")
                .put("Enabled", false);
            ObjectNode context = out.putObject("QueryExecutionContext");
            if (q.database != null) {
                context.put("Database", q.database);
            }
            context.put("Catalog", q.catalog);
            ObjectNode status = out.putObject("Status");
            status.put("State", q.state);
            if (q.stateChangeReason != null) {
                status.put("StateChangeReason", q.stateChangeReason);
            }
            status.set("SubmissionDateTime", epoch(q.submittedAt));
            if (q.completedAt != null) {
                status.set("CompletionDateTime", epoch(q.completedAt));
            }
            if (q.state.equals(QueryExecution.FAILED)) {
                status.putObject("AthenaError").put("ErrorCategory", 2).put("ErrorType", 1100)
                    .put("Retryable", false).put("ErrorMessage", q.stateChangeReason);
            }
            ObjectNode stats = out.putObject("Statistics");
            Instant end = q.completedAt != null ? q.completedAt : now;
            long queued = Duration.between(q.submittedAt, q.startedAt != null ? q.startedAt : end).toMillis();
            long engine = q.startedAt == null ? 0 : Duration.between(q.startedAt, end).toMillis();
            stats.put("EngineExecutionTimeInMillis", engine);
            stats.put("DataScannedInBytes", q.bytes);
            stats.put("TotalExecutionTimeInMillis", Duration.between(q.submittedAt, end).toMillis());
            stats.put("QueryQueueTimeInMillis", queued);
            stats.put("ServicePreProcessingTimeInMillis", 0);
            stats.put("QueryPlanningTimeInMillis", 0);
            stats.put("ServiceProcessingTimeInMillis", 0);
            stats.putObject("ResultReuseInformation").put("ReusedPreviousResult", false);
            if (q.dataManifestLocation != null) {
                stats.put("DataManifestLocation", q.dataManifestLocation);
            }
            out.put("WorkGroup", q.workGroup);
            out.putObject("EngineVersion").put("SelectedEngineVersion", "AUTO")
                .put("EffectiveEngineVersion", ENGINE_VERSION);
            if (!q.parameters.isEmpty()) {
                ArrayNode params = out.putArray("ExecutionParameters");
                q.parameters.forEach(params::add);
            }
        }
        return out;
    }

    private static String firstWord(String query) {
        try {
            List<AthenaSql.Token> t = AthenaSql.significant(AthenaSql.lex(query));
            return t.isEmpty() ? "SELECT" : t.get(0).text().toUpperCase(Locale.ROOT);
        } catch (AthenaSql.SyntaxException e) {
            return "SELECT";
        }
    }

    private JsonNode batchGet(JsonNode req) {
        ObjectNode out = F.objectNode();
        ArrayNode found = out.putArray("QueryExecutions");
        ArrayNode missing = out.putArray("UnprocessedQueryExecutionIds");
        for (JsonNode id : req.path("QueryExecutionIds")) {
            QueryExecution q = executions.get(id.asText());
            if (q == null) {
                missing.addObject().put("QueryExecutionId", id.asText()).put("ErrorCode", "INVALID_INPUT")
                    .put("ErrorMessage", "QueryExecution " + id.asText() + " was not found");
            } else {
                found.add(describe(q));
            }
        }
        return out;
    }

    private JsonNode list(JsonNode req) {
        String workGroup = text(req, "WorkGroup") == null ? PRIMARY_WORKGROUP : text(req, "WorkGroup");
        int max = req.path("MaxResults").asInt(50);
        if (max < 0 || max > 50) {
            throw invalid("MaxResults must be between 0 and 50");
        }
        List<QueryExecution> all = executions.values().stream().filter(q -> q.workGroup.equals(workGroup))
            .sorted(Comparator.comparing((QueryExecution q) -> q.submittedAt).reversed()).toList();
        int offset = offset(text(req, "NextToken"), "list:" + workGroup + ":", all.size());
        int end = Math.min(all.size(), offset + (max == 0 ? 50 : max));
        ObjectNode out = F.objectNode();
        ArrayNode ids = out.putArray("QueryExecutionIds");
        all.subList(offset, end).forEach(q -> ids.add(q.id));
        if (end < all.size()) {
            out.put("NextToken", token("list:" + workGroup + ":" + end));
        }
        return out;
    }

    // ---- GetQueryResults ----

    private JsonNode getQueryResults(JsonNode req) {
        QueryExecution q = find(req);
        int max = req.path("MaxResults").asInt(1000);
        if (max < 1 || max > 1000) {
            throw invalid("1 validation error detected: Value '" + max + "' at 'maxResults' failed to satisfy "
                + "constraint: Member must have value less than or equal to 1000");
        }
        ArrayNode columns;
        synchronized (q) {
            switch (q.state) {
                case QueryExecution.SUCCEEDED -> {
                }
                case QueryExecution.QUEUED, QueryExecution.RUNNING -> throw invalid(
                    "Query has not yet finished. Current state: " + q.state);
                default -> throw invalid("Query did not finish successfully. Final query state: " + q.state
                    + (q.stateChangeReason == null ? "" : "\n" + q.stateChangeReason));
            }
            columns = q.columns;
        }
        ObjectNode out = F.objectNode();
        out.put("UpdateCount", 0);
        ObjectNode resultSet = out.putObject("ResultSet");
        ArrayNode rows = resultSet.putArray("Rows");
        resultSet.putObject("ResultSetMetadata").set("ColumnInfo", columns == null ? F.arrayNode() : columns);
        if (columns == null) {
            return out; // UNLOAD and DDL: nothing to read
        }
        List<List<String>> all = ResultFiles.readCsv(s3, q.resultLocation());
        int offset = offset(text(req, "NextToken"), "results:" + q.id + ":", all.size());
        int end = Math.min(all.size(), offset + max);
        for (List<String> row : all.subList(offset, end)) {
            ArrayNode data = rows.addObject().putArray("Data");
            for (String value : row) {
                ObjectNode datum = data.addObject();
                if (value != null) {
                    datum.put("VarCharValue", value);
                }
            }
        }
        if (end < all.size()) {
            out.put("NextToken", token("results:" + q.id + ":" + end));
        }
        return out;
    }

    // ---- StopQueryExecution ----

    private JsonNode stop(JsonNode req) {
        QueryExecution q = find(req);
        String previous;
        synchronized (q) {
            if (q.isFinal()) {
                return F.objectNode(); // Athena answers success for a query that already ended
            }
            previous = q.state;
            q.state = QueryExecution.CANCELLED;
            q.stateChangeReason = "Query cancelled by user";
            q.completedAt = clock.instant();
            q.sequenceNumber++;
        }
        CancelSwitch cancel = running.get(q.id);
        if (cancel != null) {
            cancel.cancel();
        }
        save();
        publish(q, previous);
        return F.objectNode();
    }

    // ---- work groups ----

    private JsonNode getWorkGroup(JsonNode req) {
        String name = text(req, "WorkGroup");
        WorkGroup wg = name == null ? null : workGroups.get(name);
        if (wg == null) {
            throw invalid("WorkGroup " + name + " is not found.");
        }
        ObjectNode group = F.objectNode();
        group.put("Name", wg.name());
        group.put("State", "ENABLED");
        ObjectNode config = group.putObject("Configuration");
        if (wg.outputLocation() != null) {
            config.putObject("ResultConfiguration").put("OutputLocation", wg.outputLocation());
        }
        config.put("EnforceWorkGroupConfiguration", wg.enforce());
        config.put("PublishCloudWatchMetricsEnabled", false);
        config.put("RequesterPaysEnabled", false);
        config.putObject("EngineVersion").put("SelectedEngineVersion", "AUTO")
            .put("EffectiveEngineVersion", ENGINE_VERSION);
        group.put("Description", wg.description());
        group.set("CreationTime", epoch(wg.createdAt()));
        return F.objectNode().set("WorkGroup", group);
    }

    private JsonNode listWorkGroups() {
        ObjectNode out = F.objectNode();
        ArrayNode list = out.putArray("WorkGroups");
        workGroups.values().stream().sorted(Comparator.comparing(WorkGroup::name)).forEach(wg -> {
            ObjectNode n = list.addObject();
            n.put("Name", wg.name());
            n.put("State", "ENABLED");
            n.put("Description", wg.description());
            n.set("CreationTime", epoch(wg.createdAt()));
            n.putObject("EngineVersion").put("SelectedEngineVersion", "AUTO")
                .put("EffectiveEngineVersion", ENGINE_VERSION);
        });
        return out;
    }

    private JsonNode createWorkGroup(JsonNode req) {
        String name = text(req, "Name");
        if (name == null || !name.matches("[a-zA-Z0-9._-]{1,128}")) {
            throw invalid("1 validation error detected: Value '" + name + "' at 'name' failed to satisfy "
                + "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9._-]{1,128}");
        }
        if (workGroups.containsKey(name)) {
            throw invalid("WorkGroup is already created");
        }
        JsonNode config = req.path("Configuration");
        workGroups.put(name, new WorkGroup(name, req.path("Description").asText(""),
            text(config.path("ResultConfiguration"), "OutputLocation"),
            config.path("EnforceWorkGroupConfiguration").asBoolean(true), clock.instant()));
        save();
        return F.objectNode();
    }

    // ---- state ----

    private QueryExecution find(JsonNode req) {
        String id = text(req, "QueryExecutionId");
        if (id == null) {
            throw invalid("1 validation error detected: Value null at 'queryExecutionId' failed to satisfy "
                + "constraint: Member must not be null");
        }
        QueryExecution q = executions.get(id);
        if (q == null) {
            throw invalid("QueryExecution " + id + " was not found");
        }
        return q;
    }

    private synchronized void save() {
        if (stateFile == null) {
            return;
        }
        ObjectNode root = F.objectNode();
        ArrayNode groups = root.putArray("workGroups");
        workGroups.values().forEach(wg -> groups.add(wg.toJson()));
        ArrayNode list = root.putArray("executions");
        executions.values().stream().sorted(Comparator.comparing((QueryExecution q) -> q.submittedAt))
            .forEach(q -> list.add(q.toJson()));
        try {
            AtomicFile.write(stateFile, JSON.writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void recover() {
        if (stateFile == null || !Files.exists(stateFile)) {
            return;
        }
        JsonNode root;
        try {
            root = JSON.readTree(stateFile.toFile());
        } catch (IOException e) {
            LOG.log(Level.WARNING, "ignoring unreadable Athena state " + stateFile, e);
            return;
        }
        root.path("workGroups").forEach(n -> {
            WorkGroup wg = WorkGroup.fromJson(n);
            workGroups.put(wg.name(), wg);
        });
        Instant cutoff = clock.instant().minus(RETENTION);
        List<QueryExecution> rerun = new ArrayList<>();
        for (JsonNode n : root.path("executions")) {
            QueryExecution q = QueryExecution.fromJson(n);
            if (q.submittedAt.isBefore(cutoff)) {
                continue;
            }
            executions.put(q.id, q);
            if (q.clientRequestToken != null) {
                clientTokens.put(q.clientRequestToken, q.id);
            }
            if (!q.isFinal()) {
                // the process stopped while this ran: run it again from the start
                q.state = QueryExecution.QUEUED;
                q.startedAt = null;
                rerun.add(q);
            }
        }
        save();
        rerun.forEach(this::submit);
    }

    // ---- helpers ----

    private static AwsServiceException invalid(String message) {
        return new AwsServiceException(400, "InvalidRequestException", message);
    }

    private static JsonNode epoch(Instant t) {
        return F.numberNode(BigDecimal.valueOf(t.toEpochMilli(), 3));
    }

    private static String token(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String token, String prefix, int size) {
        if (token == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(prefix)) {
                int offset = Integer.parseInt(decoded.substring(prefix.length()));
                if (offset >= 0 && offset <= size) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through
        }
        throw invalid("NextToken is invalid");
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Stops the workers; queries still running stay non-final in the state file and run again next time. */
    @Override
    public void close() {
        // No interrupts: a worker may be writing the state file, and an interrupted FileChannel write fails.
        closing = true;
        workers.shutdown();
        running.values().forEach(CancelSwitch::cancel);
        try {
            if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ids of all executions, oldest first (tests). */
    List<String> executionIds() {
        List<QueryExecution> all = new ArrayList<>(executions.values());
        all.sort(Comparator.comparing((QueryExecution q) -> q.submittedAt));
        List<String> ids = new ArrayList<>();
        all.forEach(q -> ids.add(q.id));
        return ids;
    }
}
