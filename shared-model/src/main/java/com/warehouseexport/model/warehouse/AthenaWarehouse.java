package com.warehouseexport.model.warehouse;

import com.warehouseexport.model.config.Env;
import com.warehouseexport.model.domain.Compression;
import com.warehouseexport.model.domain.ExportLocations;
import com.warehouseexport.model.sql.AthenaExportSql;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatistics;
import software.amazon.awssdk.services.athena.model.Row;

/**
 * Athena: {@code StartQueryExecution} in the work group and database from the environment, with
 * {@code ClientRequestToken = requestId} (Athena wants 32–128 characters; request ids have 36) and the output
 * location {@code s3://<results>/exports/<id>/}. CSV is the plain query, whose result Athena writes there as
 * {@code <query id>.csv} (header row, RFC 4180 quoting); Parquet is an UNLOAD to {@code exports/<id>/data/}.
 * Athena's state-change events carry no name, so the output location is also how an event leads back to its
 * request.
 */
public final class AthenaWarehouse implements ExportWarehouse {
    public static final String ATHENA_WORKGROUP = "ATHENA_WORKGROUP";
    public static final String ATHENA_DATABASE = "ATHENA_DATABASE";
    public static final String ATHENA_CATALOG = "ATHENA_CATALOG";
    public static final String DEFAULT_WORKGROUP = "primary";
    public static final String DEFAULT_CATALOG = "AwsDataCatalog";

    /** GetQueryResults' MaxResults: 1 to 1000. */
    static final int RESULT_PAGE_ROWS = 1000;

    private final AthenaClient client;
    private final String workGroup;
    private final String database;
    private final String catalog;
    private final String resultsBucket;

    /** {@code database} may be null where nothing is submitted (the poller). */
    public AthenaWarehouse(AthenaClient client, String workGroup, String database, String catalog,
                           String resultsBucket) {
        this.client = Objects.requireNonNull(client, "client");
        this.workGroup = workGroup == null ? DEFAULT_WORKGROUP : workGroup;
        this.database = database;
        this.catalog = catalog == null ? DEFAULT_CATALOG : catalog;
        this.resultsBucket = Objects.requireNonNull(resultsBucket, "resultsBucket");
    }

    /** Work group, database and catalog from {@code ATHENA_WORKGROUP}, {@code ATHENA_DATABASE}, {@code ATHENA_CATALOG}. */
    public static AthenaWarehouse fromEnvironment(AthenaClient client, String resultsBucket) {
        return new AthenaWarehouse(client, Env.get(ATHENA_WORKGROUP), Env.get(ATHENA_DATABASE), Env.get(ATHENA_CATALOG),
                resultsBucket);
    }

    @Override
    public String engine() {
        return "athena";
    }

    @Override
    public String statement(ExportJob job) {
        if (job.compression() != Compression.NONE) {
            // Athena's CSV result is a plain SELECT's file; its UNLOAD (TEXTFILE) could compress but writes no
            // header row, so compressed exports are offered for Redshift datasets only (the receiver refuses them).
            throw new IllegalArgumentException("Dataset " + job.dataset().name() + " runs on Athena, which does not "
                    + "offer compressed exports");
        }
        return AthenaExportSql.render(job.dataset(), job.parameters(), job.format(),
                "s3://" + resultsBucket + "/" + ExportLocations.athenaDataPrefix(job.requestId()));
    }

    @Override
    public String submit(ExportJob job, String statement) {
        if (database == null) {
            throw new IllegalStateException(ATHENA_DATABASE + " is not set: Athena datasets cannot run");
        }
        try {
            return client.startQueryExecution(b -> b
                    .queryString(statement)
                    .clientRequestToken(job.requestId())
                    .workGroup(workGroup)
                    .queryExecutionContext(c -> c.database(database).catalog(catalog))
                    .resultConfiguration(r -> r.outputLocation(
                            ExportLocations.athenaOutputLocation(resultsBucket, job.requestId()))))
                    .queryExecutionId();
        } catch (InvalidRequestException e) {
            throw new WarehouseRejectedException("InvalidRequestException: " + message(e), e);
        }
    }

    @Override
    public WarehouseExecution describe(String executionId) {
        GetQueryExecutionResponse response;
        try {
            response = client.getQueryExecution(r -> r.queryExecutionId(executionId));
        } catch (InvalidRequestException e) {
            throw new ExecutionNotFoundException("Athena does not know query execution " + executionId + ": "
                    + message(e), e);
        }
        QueryExecution q = response.queryExecution();
        ExecutionState state = stateOf(q.status() == null ? null : q.status().state());
        String error = null;
        if (state == ExecutionState.FAILED || state == ExecutionState.ABORTED) {
            error = q.status().stateChangeReason();
            if ((error == null || error.isBlank()) && q.status().athenaError() != null) {
                error = q.status().athenaError().errorMessage();
            }
        }
        QueryExecutionStatistics stats = q.statistics();
        Duration duration = stats == null || stats.totalExecutionTimeInMillis() == null ? null
                : Duration.ofMillis(stats.totalExecutionTimeInMillis());
        long bytes = stats == null || stats.dataScannedInBytes() == null ? -1 : stats.dataScannedInBytes();
        String location = q.resultConfiguration() == null ? null : q.resultConfiguration().outputLocation();
        String requestId = location == null ? null : ExportLocations.requestIdIn(location);
        ResultFiles output = null;
        if (requestId != null) {
            String bucket = location.substring("s3://".length(), location.indexOf('/', "s3://".length()));
            boolean unload = q.query() != null && q.query().stripLeading().toUpperCase(Locale.ROOT).startsWith("UNLOAD");
            output = unload ? new ResultFiles(ResultFiles.Layout.PREFIX, bucket, ExportLocations.athenaDataPrefix(requestId))
                    : new ResultFiles(ResultFiles.Layout.PREFIX, bucket,
                    location.substring(location.indexOf('/', "s3://".length()) + 1));
        }
        // Athena does not report rows written; the packager counts them.
        return new WarehouseExecution(executionId, state, error, duration, -1, bytes, output, requestId);
    }

    @Override
    public void cancel(String executionId) {
        try {
            client.stopQueryExecution(r -> r.queryExecutionId(executionId));
        } catch (InvalidRequestException e) {
            throw new ExecutionNotFoundException("Athena does not know query execution " + executionId, e);
        }
    }

    /**
     * {@code GetQueryResults}, page by page ({@value #RESULT_PAGE_ROWS} rows, the most Athena gives), with the
     * columns' names and types from {@code ResultSetMetadata}. Athena's first row of a SELECT's result is the
     * header: skipped. Bytes are the values' UTF-8 bytes; reading stops as soon as a limit is passed. An UNLOAD has
     * no result set here: empty.
     */
    @Override
    public Optional<InlineResult> smallResult(String executionId, String requestId, InlineResult.Limits limits) {
        List<InlineResult.Column> columns = null;
        List<List<String>> rows = new ArrayList<>();
        long bytes = 0;
        boolean header = true;
        String nextToken = null;
        do {
            String token = nextToken;
            GetQueryResultsResponse page;
            try {
                page = client.getQueryResults(r -> r.queryExecutionId(executionId).maxResults(RESULT_PAGE_ROWS)
                        .nextToken(token));
            } catch (InvalidRequestException e) {
                throw new ExecutionNotFoundException("Athena has no results of query execution " + executionId
                        + ": " + message(e), e);
            }
            if (columns == null) {
                columns = new ArrayList<>();
                for (ColumnInfo c : page.resultSet().resultSetMetadata().columnInfo()) {
                    columns.add(new InlineResult.Column(c.name(), c.type()));
                }
                if (columns.isEmpty()) {
                    return Optional.empty();
                }
            }
            for (Row row : page.resultSet().rows()) {
                if (header) {
                    header = false;
                    continue;
                }
                if (rows.size() >= limits.maxRows()) {
                    return Optional.empty();
                }
                List<String> values = new ArrayList<>(row.data().size());
                for (Datum datum : row.data()) {
                    String value = datum.varCharValue();
                    values.add(value);
                    bytes += value == null ? 0 : value.getBytes(StandardCharsets.UTF_8).length;
                }
                if (bytes > limits.maxBytes()) {
                    return Optional.empty();
                }
                rows.add(values);
            }
            nextToken = page.nextToken();
        } while (nextToken != null);
        return Optional.of(new InlineResult(columns, rows));
    }

    /** QUEUED → PENDING, RUNNING, SUCCEEDED → FINISHED, FAILED, CANCELLED → ABORTED. */
    public static ExecutionState stateOf(QueryExecutionState state) {
        if (state == null) {
            return ExecutionState.UNKNOWN;
        }
        return switch (state) {
            case QUEUED -> ExecutionState.PENDING;
            case RUNNING -> ExecutionState.RUNNING;
            case SUCCEEDED -> ExecutionState.FINISHED;
            case FAILED -> ExecutionState.FAILED;
            case CANCELLED -> ExecutionState.ABORTED;
            default -> ExecutionState.UNKNOWN;
        };
    }

    private static String message(InvalidRequestException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : e.getMessage();
    }
}
