package com.warehouseexport.localaws.redshift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.events.EventBus;
import com.warehouseexport.localaws.http.AwsServiceException;
import com.warehouseexport.localaws.http.JsonProtocolService;
import com.warehouseexport.localaws.redshift.StatementRecord.Parameter;
import com.warehouseexport.localaws.redshift.UnloadCommand.UnloadException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Redshift Data API (ExecuteStatement, DescribeStatement, GetStatementResult, CancelStatement,
 * ListStatements) over the embedded DuckDB {@link Warehouse}. Statements run asynchronously on a fixed pool of
 * daemon workers and move SUBMITTED → PICKED → STARTED → FINISHED | FAILED | ABORTED like the real service.
 * With a state directory every transition is journaled, finished results are kept as files, and statements
 * that were not final when the process stopped run again when it starts.
 */
public final class RedshiftDataService implements JsonProtocolService, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedshiftDataService.class.getName());
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Results and statement records live this long after the statement ends, as on AWS. */
    static final Duration RETENTION = Duration.ofHours(24);
    static final Duration CLIENT_TOKEN_LIFETIME = Duration.ofHours(8);
    static final int MAX_ACTIVE_STATEMENTS = 200;
    static final int MAX_SQL_BYTES = 100 * 1024;
    static final String EVENT_SOURCE = "aws.redshift-data";
    static final String EVENT_DETAIL_TYPE = "Redshift Data Statement Status Change";

    private static final Pattern ID_PATTERN = Pattern.compile("[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\\d{0,2})?");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[0-9a-zA-Z_]+");

    /** Test hook: called by the worker before it moves a statement to {@code nextStatus}. */
    interface TransitionHook {
        void before(String statementId, String nextStatus) throws InterruptedException;
    }

    private final Warehouse warehouse;
    private final EventBus events;
    private final StatementJournal journal;
    private final Clock clock;
    private final Unloader unloader;
    private final ExecutorService workers;
    private final ScheduledExecutorService sweeper;
    private final Map<String, StatementRecord> statements = new ConcurrentHashMap<>();
    private final Map<String, String> clientTokens = new ConcurrentHashMap<>();
    private final Map<String, CancelSignal> running = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> inMemoryResults = new ConcurrentHashMap<>();
    private final AtomicLong queryIds = new AtomicLong(100_000);
    private volatile int resultPageSize = 1000;
    private volatile TransitionHook hook = (id, next) -> { };

    public RedshiftDataService(Warehouse warehouse, S3Client s3, EventBus events, Path stateDirOrNull, int workers) {
        this(warehouse, s3, events, stateDirOrNull, workers, Clock.systemUTC());
    }

    RedshiftDataService(Warehouse warehouse, S3Client s3, EventBus events, Path stateDirOrNull, int workers,
                        Clock clock) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1");
        }
        this.warehouse = warehouse;
        this.events = events;
        this.clock = clock;
        this.unloader = new Unloader(s3);
        this.journal = stateDirOrNull == null ? null : new StatementJournal(stateDirOrNull);
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            r -> daemon(r, "redshift-data-worker-" + threadNumber.incrementAndGet()));
        ScheduledThreadPoolExecutor sweep = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "redshift-data-expiry"));
        sweep.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.sweeper = sweep;
        recover();
        sweeper.scheduleWithFixedDelay(this::expireSafely, 1, 1, TimeUnit.MINUTES);
    }

    @Override
    public String targetPrefix() {
        return "RedshiftData";
    }

    /** Rows per GetStatementResult page (the real API pages by size; tests use a few rows). */
    public void setResultPageSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("page size must be at least 1");
        }
        this.resultPageSize = rows;
    }

    void setTransitionHook(TransitionHook hook) {
        this.hook = hook == null ? (id, next) -> { } : hook;
    }

    Unloader unloader() {
        return unloader;
    }

    @Override
    public JsonNode handle(String operation, JsonNode request) {
        return switch (operation) {
            case "ExecuteStatement" -> executeStatement(request);
            case "DescribeStatement" -> describeStatement(request);
            case "GetStatementResult" -> getStatementResult(request);
            case "CancelStatement" -> cancelStatement(request);
            case "ListStatements" -> listStatements(request);
            default -> throw new AwsServiceException(400, "UnknownOperationException",
                "Operation " + operation + " is not supported by the local Redshift Data API");
        };
    }

    // ---- ExecuteStatement ----

    private JsonNode executeStatement(JsonNode req) {
        String sql = text(req, "Sql");
        if (sql == null || sql.isBlank()) {
            throw AwsServiceException.validation(
                "1 validation error detected: Value null at 'sql' failed to satisfy constraint: Member must not be null");
        }
        if (sql.getBytes(StandardCharsets.UTF_8).length > MAX_SQL_BYTES) {
            throw AwsServiceException.validation("The SQL statement is longer than the maximum of 100 KB");
        }
        String cluster = text(req, "ClusterIdentifier");
        String workgroup = text(req, "WorkgroupName");
        if ((cluster == null) == (workgroup == null)) {
            throw AwsServiceException.validation(
                "Exactly one of ClusterIdentifier or WorkgroupName must be specified");
        }
        String database = text(req, "Database");
        if (database == null || database.isBlank()) {
            throw AwsServiceException.validation("Database is required");
        }
        String secretArn = text(req, "SecretArn");
        String dbUser = text(req, "DbUser");
        if (secretArn != null && dbUser != null) {
            throw AwsServiceException.validation("SecretArn and DbUser cannot be specified together");
        }
        if (workgroup != null && dbUser != null) {
            throw AwsServiceException.validation("DbUser is not supported when connecting to a serverless workgroup");
        }
        if (req.hasNonNull("SessionId") || req.hasNonNull("SessionKeepAliveSeconds")) {
            throw AwsServiceException.validation("Sessions (SessionId, SessionKeepAliveSeconds) are not supported "
                + "by the local Redshift Data API");
        }
        String format = text(req, "ResultFormat");
        if (format != null && !format.equals("JSON")) {
            throw AwsServiceException.validation("ResultFormat " + format
                + " is not supported by the local Redshift Data API (only JSON)");
        }
        List<Parameter> parameters = parameters(req);
        validateSql(sql, parameters);

        String clientToken = text(req, "ClientToken");
        synchronized (clientTokens) {
            if (clientToken != null) {
                StatementRecord earlier = statementForToken(clientToken);
                if (earlier != null) {
                    return executeResponse(earlier);
                }
            }
            long active = statements.values().stream().filter(s -> !s.isFinal()).count();
            if (active >= MAX_ACTIVE_STATEMENTS) {
                throw new AwsServiceException(400, "ActiveStatementsExceededException",
                    "Active statements exceeded the allowed quota (" + MAX_ACTIVE_STATEMENTS + ").");
            }
            StatementRecord record = new StatementRecord(UUID.randomUUID().toString(), sql, text(req, "StatementName"),
                cluster, workgroup, database, dbUser, secretArn, req.path("WithEvent").asBoolean(false), clientToken,
                parameters, now(), queryIds.incrementAndGet());
            statements.put(record.id, record);
            if (clientToken != null) {
                clientTokens.put(clientToken, record.id);
            }
            persist(record);
            submit(record);
            return executeResponse(record);
        }
    }

    private StatementRecord statementForToken(String token) {
        String id = clientTokens.get(token);
        StatementRecord r = id == null ? null : statements.get(id);
        if (r == null || r.createdAt.plus(CLIENT_TOKEN_LIFETIME).isBefore(now())) {
            return null;
        }
        return r;
    }

    private static List<Parameter> parameters(JsonNode req) {
        List<Parameter> list = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode p : req.path("Parameters")) {
            String name = text(p, "name");
            String value = text(p, "value");
            if (name == null || !PARAMETER_NAME.matcher(name).matches()) {
                throw AwsServiceException.validation("Parameter name " + name
                    + " must satisfy regular expression pattern: [0-9a-zA-Z_]+");
            }
            if (value == null || value.isEmpty()) {
                throw AwsServiceException.validation("Parameter " + name + " has an empty value; "
                    + "the Data API does not accept zero-length parameter values");
            }
            if (!names.add(name)) {
                throw AwsServiceException.validation("Parameters list contains duplicate parameter: " + name);
            }
            list.add(new Parameter(name, value));
        }
        return list;
    }

    /** One statement only, and parameters used and supplied must match (as the Data API checks up front). */
    private static void validateSql(String sql, List<Parameter> parameters) {
        List<SqlLexer.Token> tokens;
        try {
            tokens = SqlLexer.lex(sql);
        } catch (SqlLexer.SqlSyntaxException e) {
            return; // the statement itself fails with the syntax error, as on a cluster
        }
        if (RedshiftSqlRewriter.statementCount(tokens) > 1) {
            throw AwsServiceException.validation("Multiple SQL statements are not supported by ExecuteStatement; "
                + "run one statement per call (or use BatchExecuteStatement on AWS)");
        }
        Set<String> used = RedshiftSqlRewriter.parameterNames(tokens);
        List<String> supplied = parameters.stream().map(Parameter::name).toList();
        List<String> missing = used.stream().filter(n -> !supplied.contains(n)).toList();
        if (!missing.isEmpty()) {
            throw AwsServiceException.validation("SQL statement contains parameters that are not in the "
                + "Parameters list. Missing parameters: " + missing);
        }
        List<String> unused = supplied.stream().filter(n -> !used.contains(n)).toList();
        if (!unused.isEmpty()) {
            throw AwsServiceException.validation("Parameters list contains unused parameters. Unused parameters: "
                + unused);
        }
    }

    private ObjectNode executeResponse(StatementRecord r) {
        ObjectNode out = F.objectNode();
        out.put("Id", r.id);
        out.set("CreatedAt", epoch(r.createdAt));
        putIfPresent(out, "ClusterIdentifier", r.clusterIdentifier);
        putIfPresent(out, "WorkgroupName", r.workgroupName);
        out.put("Database", r.database);
        putIfPresent(out, "DbUser", r.dbUser);
        putIfPresent(out, "SecretArn", r.secretArn);
        return out;
    }

    // ---- running ----

    private void submit(StatementRecord record) {
        CancelSignal signal = new CancelSignal();
        running.put(record.id, signal);
        try {
            workers.execute(() -> run(record, signal));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            running.remove(record.id);
            LOG.fine("service closed before statement " + record.id + " could run");
        }
    }

    private void run(StatementRecord record, CancelSignal signal) {
        try {
            hook.before(record.id, StatementRecord.PICKED);
            if (!move(record, StatementRecord.SUBMITTED, StatementRecord.PICKED, r -> { })) {
                return;
            }
            hook.before(record.id, StatementRecord.STARTED);
            try (Connection c = warehouse.connect()) {
                int worker = workerNumber();
                if (!move(record, StatementRecord.PICKED, StatementRecord.STARTED, r -> {
                    r.startedAt = now();
                    r.redshiftPid = 1_073_740_000L + worker;
                })) {
                    return;
                }
                Outcome outcome = execute(c, record, signal);
                hook.before(record.id, StatementRecord.FINISHED);
                signal.check();
                finish(record, StatementRecord.FINISHED, null, outcome);
            }
        } catch (CancelSignal.CancelledException | InterruptedException e) {
            // CancelStatement already recorded ABORTED
        } catch (StatementFailure e) {
            if (!signal.cancelled()) {
                finish(record, StatementRecord.FAILED, e.getMessage(), null);
            }
        } catch (SQLException e) {
            if (!signal.cancelled()) {
                finish(record, StatementRecord.FAILED, RedshiftErrors.translate(e.getMessage(), record.sql), null);
            }
        } catch (RuntimeException e) {
            if (!signal.cancelled()) {
                LOG.log(Level.WARNING, "statement " + record.id + " failed unexpectedly", e);
                finish(record, StatementRecord.FAILED, "ERROR: internal error in the local warehouse: " + e, null);
            }
        } finally {
            running.remove(record.id);
        }
    }

    private record Outcome(long rows, long size, boolean hasResultSet, JsonNode result) {
    }

    /** A statement error whose message is already Redshift's text. */
    private static final class StatementFailure extends Exception {
        StatementFailure(String message) {
            super(message);
        }
    }

    private Outcome execute(Connection c, StatementRecord record, CancelSignal signal)
            throws SQLException, StatementFailure {
        List<SqlLexer.Token> tokens;
        try {
            tokens = SqlLexer.lex(record.sql);
        } catch (SqlLexer.SqlSyntaxException e) {
            throw new StatementFailure("ERROR: " + e.getMessage());
        }
        if (UnloadCommand.isUnload(tokens)) {
            return unload(c, record, tokens, signal);
        }
        RedshiftSqlRewriter.Rewritten rewritten;
        try {
            rewritten = RedshiftSqlRewriter.rewrite(record.sql);
        } catch (SqlLexer.SqlSyntaxException e) {
            throw new StatementFailure("ERROR: " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        record.parameters.forEach(p -> values.put(p.name(), p.value()));
        try (PreparedStatement ps = c.prepareStatement(rewritten.sql())) {
            signal.register(ps);
            try {
                for (int i = 0; i < rewritten.parameterOrder().size(); i++) {
                    ps.setString(i + 1, values.get(rewritten.parameterOrder().get(i)));
                }
                if (ps.execute()) {
                    try (var rs = ps.getResultSet()) {
                        ResultCapture.Captured captured = ResultCapture.read(rs, signal, ResultCapture.MAX_RESULT_BYTES);
                        return new Outcome(captured.rows(), captured.bytes(), true, captured.data());
                    } catch (ResultCapture.TooLargeException e) {
                        throw new StatementFailure(e.getMessage());
                    }
                }
                return new Outcome(Math.max(0, ps.getUpdateCount()), 0, false, null);
            } finally {
                signal.unregister();
            }
        }
    }

    private Outcome unload(Connection c, StatementRecord record, List<SqlLexer.Token> tokens, CancelSignal signal)
            throws SQLException, StatementFailure {
        try {
            UnloadCommand cmd = UnloadCommand.parse(tokens);
            List<String> leftovers;
            synchronized (record) {
                leftovers = record.pendingKeys;
            }
            // an earlier attempt of this statement died mid-upload: its objects are not someone else's data
            unloader.deleteKeys(cmd.bucket(), leftovers);
            Unloader.Result result = unloader.run(c, cmd, signal, keys -> {
                synchronized (record) {
                    record.pendingKeys = keys;
                }
                persist(record);
            });
            return new Outcome(result.rows(), 0, false, null);
        } catch (UnloadException e) {
            throw new StatementFailure(e.getMessage());
        }
    }

    /** Moves a statement from {@code from} to {@code to} unless something (a cancel) moved it first. */
    private boolean move(StatementRecord record, String from, String to, java.util.function.Consumer<StatementRecord> edit) {
        synchronized (record) {
            if (!record.status.equals(from)) {
                return false;
            }
            record.status = to;
            record.updatedAt = now();
            edit.accept(record);
        }
        persist(record);
        return true;
    }

    private void finish(StatementRecord record, String status, String error, Outcome outcome) {
        if (outcome != null && outcome.hasResultSet()) {
            storeResult(record.id, outcome.result());
        }
        synchronized (record) {
            if (record.isFinal()) {
                return;
            }
            Instant end = now();
            record.status = status;
            record.updatedAt = end;
            record.durationNanos = record.startedAt == null ? 0 : Duration.between(record.startedAt, end).toNanos();
            record.error = error;
            record.pendingKeys = List.of();
            if (outcome != null) {
                record.resultRows = outcome.rows();
                record.resultSize = outcome.size();
                record.hasResultSet = outcome.hasResultSet();
            }
        }
        persist(record);
        publish(record);
    }

    private void storeResult(String id, JsonNode result) {
        if (journal != null) {
            journal.writeResult(id, result);
        } else {
            inMemoryResults.put(id, result);
        }
    }

    private JsonNode loadResult(String id) {
        return journal != null ? journal.readResult(id) : inMemoryResults.get(id);
    }

    private void publish(StatementRecord r) {
        if (!r.withEvent || events == null) {
            return;
        }
        ObjectNode detail = F.objectNode();
        detail.put("principal", "arn:aws:iam::" + events.account() + ":user/local-aws");
        detail.put("statementName", r.statementName == null ? "" : r.statementName);
        detail.put("statementId", r.id);
        detail.put("redshiftQueryId", r.redshiftQueryId);
        synchronized (r) {
            detail.put("state", r.status);
            detail.put("rows", Math.max(0, r.resultRows));
            detail.put("expireAt", r.updatedAt.plus(RETENTION).getEpochSecond());
        }
        try {
            events.publish(EVENT_SOURCE, EVENT_DETAIL_TYPE, List.of(resourceArn(r)), detail);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not publish the status event of " + r.id, e);
        }
    }

    private String resourceArn(StatementRecord r) {
        if (r.clusterIdentifier != null) {
            return "arn:aws:redshift:" + events.region() + ":" + events.account() + ":cluster:" + r.clusterIdentifier;
        }
        if (r.workgroupName.startsWith("arn:")) {
            return r.workgroupName;
        }
        return "arn:aws:redshift-serverless:" + events.region() + ":" + events.account() + ":workgroup/"
            + r.workgroupName;
    }

    // ---- DescribeStatement / GetStatementResult / CancelStatement / ListStatements ----

    private JsonNode describeStatement(JsonNode req) {
        StatementRecord r = find(req);
        Instant now = now();
        ObjectNode out = F.objectNode();
        synchronized (r) {
            out.put("Id", r.id);
            putIfPresent(out, "SecretArn", r.secretArn);
            putIfPresent(out, "DbUser", r.dbUser);
            out.put("Database", r.database);
            putIfPresent(out, "ClusterIdentifier", r.clusterIdentifier);
            putIfPresent(out, "WorkgroupName", r.workgroupName);
            out.put("Duration", r.currentDuration(now));
            putIfPresent(out, "Error", r.error);
            out.put("Status", r.status);
            out.set("CreatedAt", epoch(r.createdAt));
            out.set("UpdatedAt", epoch(r.updatedAt));
            out.put("RedshiftPid", r.redshiftPid);
            out.put("HasResultSet", r.hasResultSet);
            out.put("QueryString", r.sql);
            out.put("ResultRows", r.resultRows);
            out.put("ResultSize", r.resultSize);
            out.put("RedshiftQueryId", r.redshiftQueryId);
            if (!r.parameters.isEmpty()) {
                out.set("QueryParameters", parametersJson(r));
            }
            out.put("ResultFormat", "json");
        }
        return out;
    }

    private JsonNode getStatementResult(JsonNode req) {
        StatementRecord r = find(req);
        JsonNode result;
        synchronized (r) {
            if (!r.status.equals(StatementRecord.FINISHED) || !r.hasResultSet) {
                throw new AwsServiceException(400, "ResourceNotFoundException",
                    "Query does not have result. Please check query status with DescribeStatement.");
            }
        }
        result = loadResult(r.id);
        if (result == null) {
            throw new AwsServiceException(400, "ResourceNotFoundException",
                "The result of query " + r.id + " is no longer available.");
        }
        JsonNode records = result.path("Records");
        int total = records.size();
        int offset = 0;
        String token = text(req, "NextToken");
        if (token != null) {
            offset = decodeOffset(token, "result:" + r.id + ":");
            if (offset > total) {
                throw AwsServiceException.validation("The NextToken is not valid for this statement");
            }
        }
        int end = Math.min(total, offset + resultPageSize);
        ObjectNode out = F.objectNode();
        ArrayNode page = out.putArray("Records");
        for (int i = offset; i < end; i++) {
            page.add(records.get(i));
        }
        out.set("ColumnMetadata", result.path("ColumnMetadata"));
        out.put("TotalNumRows", total);
        if (end < total) {
            out.put("NextToken", encode("result:" + r.id + ":" + end));
        }
        return out;
    }

    private JsonNode cancelStatement(JsonNode req) {
        StatementRecord r = find(req);
        synchronized (r) {
            if (r.isFinal()) {
                throw AwsServiceException.validation("Could not cancel a query that is already in " + r.status
                    + " state with ID: " + r.id);
            }
            r.status = StatementRecord.ABORTED;
            Instant end = now();
            r.updatedAt = end;
            r.durationNanos = r.startedAt == null ? 0 : Duration.between(r.startedAt, end).toNanos();
            r.error = "ERROR: Query (" + r.redshiftQueryId + ") cancelled on user's request";
        }
        CancelSignal signal = running.get(r.id);
        if (signal != null) {
            signal.cancel();
        }
        persist(r);
        publish(r);
        return F.objectNode().put("Status", true);
    }

    private JsonNode listStatements(JsonNode req) {
        String namePrefix = text(req, "StatementName");
        String status = req.hasNonNull("Status") ? req.get("Status").asText() : StatementRecord.FINISHED;
        if (!Set.of("SUBMITTED", "PICKED", "STARTED", "FINISHED", "ABORTED", "FAILED", "ALL").contains(status)) {
            throw AwsServiceException.validation("1 validation error detected: Value '" + status + "' at 'status' "
                + "failed to satisfy constraint: Member must satisfy enum value set: "
                + "[SUBMITTED, PICKED, STARTED, FINISHED, ABORTED, FAILED, ALL]");
        }
        String cluster = text(req, "ClusterIdentifier");
        String workgroup = text(req, "WorkgroupName");
        if (cluster != null && workgroup != null) {
            throw AwsServiceException.validation("ClusterIdentifier and WorkgroupName cannot both be specified");
        }
        String database = text(req, "Database");
        int max = req.path("MaxResults").asInt(0);
        if (max < 0 || max > 100) {
            throw AwsServiceException.validation("MaxResults must be between 0 and 100");
        }
        if (max == 0) {
            max = 100;
        }
        List<StatementRecord> matching = statements.values().stream()
            .filter(r -> namePrefix == null || (r.statementName != null && r.statementName.startsWith(namePrefix)))
            .filter(r -> status.equals("ALL") || r.status().equals(status))
            .filter(r -> cluster == null || cluster.equals(r.clusterIdentifier))
            .filter(r -> workgroup == null || workgroup.equals(r.workgroupName))
            .filter(r -> database == null || database.equals(r.database))
            .sorted(Comparator.comparing((StatementRecord r) -> r.createdAt).reversed()
                .thenComparing(r -> r.id))
            .toList();
        int offset = 0;
        String token = text(req, "NextToken");
        if (token != null) {
            offset = Math.min(matching.size(), decodeOffset(token, "list:"));
        }
        int end = Math.min(matching.size(), offset + max);
        ObjectNode out = F.objectNode();
        ArrayNode list = out.putArray("Statements");
        for (StatementRecord r : matching.subList(offset, end)) {
            synchronized (r) {
                ObjectNode s = list.addObject();
                s.put("Id", r.id);
                s.put("QueryString", r.sql);
                putIfPresent(s, "SecretArn", r.secretArn);
                s.put("Status", r.status);
                putIfPresent(s, "StatementName", r.statementName);
                s.set("CreatedAt", epoch(r.createdAt));
                s.set("UpdatedAt", epoch(r.updatedAt));
                if (!r.parameters.isEmpty()) {
                    s.set("QueryParameters", parametersJson(r));
                }
                s.put("IsBatchStatement", false);
                s.put("ResultFormat", "json");
            }
        }
        if (end < matching.size()) {
            out.put("NextToken", encode("list:" + end));
        }
        return out;
    }

    private StatementRecord find(JsonNode req) {
        String id = text(req, "Id");
        if (id == null) {
            throw AwsServiceException.validation(
                "1 validation error detected: Value null at 'id' failed to satisfy constraint: Member must not be null");
        }
        if (!ID_PATTERN.matcher(id).matches()) {
            throw AwsServiceException.validation("1 validation error detected: Value '" + id + "' at 'id' failed "
                + "to satisfy constraint: Member must satisfy regular expression pattern: " + ID_PATTERN.pattern());
        }
        StatementRecord r = statements.get(id);
        if (r == null) {
            throw new AwsServiceException(400, "ResourceNotFoundException", "Query does not exist.");
        }
        return r;
    }

    // ---- durability and expiry ----

    private void recover() {
        if (journal == null) {
            return;
        }
        Instant cutoff = now().minus(RETENTION);
        List<StatementRecord> rerun = new ArrayList<>();
        for (JsonNode n : journal.load().values()) {
            StatementRecord r = StatementRecord.fromJson(n);
            queryIds.accumulateAndGet(r.redshiftQueryId, Math::max);
            if (r.updatedAt.isBefore(cutoff)) {
                journal.deleteResult(r.id);
                continue;
            }
            statements.put(r.id, r);
            if (r.clientToken != null) {
                clientTokens.put(r.clientToken, r.id);
            }
            if (!r.isFinal()) {
                // the process stopped while this ran: run it again from the start
                r.status = StatementRecord.SUBMITTED;
                r.updatedAt = now();
                r.startedAt = null;
                r.durationNanos = -1;
                r.error = null;
                rerun.add(r);
            }
        }
        journal.compact(statements.values().stream()
            .sorted(Comparator.comparing((StatementRecord r) -> r.createdAt))
            .map(StatementRecord::toJson).toList());
        rerun.sort(Comparator.comparing((StatementRecord r) -> r.createdAt));
        rerun.forEach(this::submit);
    }

    private void persist(StatementRecord record) {
        if (journal != null) {
            journal.append(record.toJson());
        }
    }

    private void expireSafely() {
        try {
            expire();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "expiring old statements failed", e);
        }
    }

    /** Forgets final statements (and their results) older than the 24-hour retention. */
    void expire() {
        Instant cutoff = now().minus(RETENTION);
        for (StatementRecord r : List.copyOf(statements.values())) {
            boolean old;
            synchronized (r) {
                old = r.isFinal() && r.updatedAt.isBefore(cutoff);
            }
            if (old) {
                statements.remove(r.id);
                if (r.clientToken != null) {
                    clientTokens.remove(r.clientToken, r.id);
                }
                inMemoryResults.remove(r.id);
                if (journal != null) {
                    journal.deleteResult(r.id);
                }
            }
        }
    }

    // ---- helpers ----

    private Instant now() {
        return clock.instant();
    }

    private static ArrayNode parametersJson(StatementRecord r) {
        ArrayNode params = F.arrayNode();
        r.parameters.forEach(p -> params.addObject().put("name", p.name()).put("value", p.value()));
        return params;
    }

    /** AWS JSON timestamps: epoch seconds with a fraction, written without an exponent. */
    private static JsonNode epoch(Instant t) {
        return F.numberNode(BigDecimal.valueOf(t.toEpochMilli(), 3));
    }

    private static String encode(String token) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeOffset(String token, String expectedPrefix) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith(expectedPrefix)) {
                return Integer.parseInt(decoded.substring(expectedPrefix.length()));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the validation error
        }
        throw AwsServiceException.validation("The NextToken is not valid");
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void putIfPresent(ObjectNode n, String field, String value) {
        if (value != null) {
            n.put(field, value);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static int workerNumber() {
        String name = Thread.currentThread().getName();
        int dash = name.lastIndexOf('-');
        try {
            return Integer.parseInt(name.substring(dash + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Stops the workers; statements still running stay non-final in the journal and run again next time. */
    @Override
    public void close() {
        sweeper.shutdownNow();
        workers.shutdownNow();
        running.values().forEach(CancelSignal::cancel);
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (journal != null) {
            journal.close();
        }
    }
}
