package com.warehouseexport.model.warehouse;

import com.warehouseexport.model.domain.ExportLocations;
import com.warehouseexport.model.sql.UnloadSql;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

/**
 * Redshift through the Data API, as the export flow has always used it: {@code UNLOAD ... MANIFEST VERBOSE} to
 * {@code s3://<results>/exports/<id>/part_}, {@code ExecuteStatement} with {@code ClientToken = requestId},
 * {@code StatementName = export-<id>} and {@code WithEvent = true}. The Data API's own ValidationException is left
 * as it is (the processor's classifier already treats it as permanent).
 */
public final class RedshiftDataWarehouse implements ExportWarehouse {
    private final RedshiftDataClient client;
    private final RedshiftConnection connection;
    private final String resultsBucket;
    private final String unloadRole;
    private final UnloadPartsReader smallResults;

    /**
     * {@code connection} and {@code unloadRole} may be null where nothing is submitted (the poller);
     * {@code resultsBucket} names where the results are.
     */
    public RedshiftDataWarehouse(RedshiftDataClient client, RedshiftConnection connection, String resultsBucket,
                                 String unloadRole) {
        this(client, connection, resultsBucket, unloadRole, null);
    }

    /** {@code smallResults}: reads small results for inline answers; null where none are read. */
    public RedshiftDataWarehouse(RedshiftDataClient client, RedshiftConnection connection, String resultsBucket,
                                 String unloadRole, UnloadPartsReader smallResults) {
        this.client = Objects.requireNonNull(client, "client");
        this.connection = connection;
        this.resultsBucket = resultsBucket;
        this.unloadRole = unloadRole;
        this.smallResults = smallResults;
    }

    @Override
    public String engine() {
        return "redshift";
    }

    @Override
    public String statement(ExportJob job) {
        requireSubmitSettings();
        return UnloadSql.render(job.dataset(), job.parameters(),
                ExportLocations.unloadTarget(resultsBucket, job.requestId()), unloadRole, job.format(),
                job.compression());
    }

    @Override
    public String submit(ExportJob job, String statement) {
        requireSubmitSettings();
        return client.executeStatement(connection.executeRequest(job.requestId(), statement)).id();
    }

    @Override
    public WarehouseExecution describe(String executionId) {
        DescribeStatementResponse s;
        try {
            s = client.describeStatement(r -> r.id(executionId));
        } catch (ResourceNotFoundException e) {
            throw new ExecutionNotFoundException("The Data API does not know statement " + executionId, e);
        } catch (ValidationException e) {
            throw new ExecutionNotFoundException("Not a Data API statement id: " + executionId, e);
        }
        // The UNLOAD target names the request: s3://<results>/exports/<id>/part_
        String requestId = s.queryString() == null ? null : ExportLocations.requestIdIn(s.queryString());
        Duration duration = s.duration() == null || s.duration() < 0 ? null : Duration.ofNanos(s.duration());
        long rows = s.resultRows() == null ? -1 : s.resultRows();
        long bytes = s.resultSize() == null ? -1 : s.resultSize();
        ResultFiles output = requestId == null || resultsBucket == null ? null
                : new ResultFiles(ResultFiles.Layout.MANIFEST, resultsBucket, ExportLocations.manifestKey(requestId));
        return new WarehouseExecution(executionId, stateOf(s.status()), s.error(), duration, rows, bytes, output,
                requestId);
    }

    @Override
    public void cancel(String executionId) {
        try {
            client.cancelStatement(r -> r.id(executionId));
        } catch (ValidationException e) {
            // already final: nothing to stop
        } catch (ResourceNotFoundException e) {
            throw new ExecutionNotFoundException("The Data API does not know statement " + executionId, e);
        }
    }

    /** From the UNLOAD's CSV parts in S3: the Data API keeps no rows of an UNLOAD. */
    @Override
    public Optional<InlineResult> smallResult(String executionId, String requestId, InlineResult.Limits limits) {
        return smallResults == null ? Optional.empty() : smallResults.read(requestId, limits);
    }

    /** SUBMITTED → PENDING, PICKED/STARTED → RUNNING, FINISHED, FAILED, ABORTED; anything newer → UNKNOWN. */
    public static ExecutionState stateOf(StatusString status) {
        if (status == null) {
            return ExecutionState.UNKNOWN;
        }
        return switch (status) {
            case SUBMITTED -> ExecutionState.PENDING;
            case PICKED, STARTED -> ExecutionState.RUNNING;
            case FINISHED -> ExecutionState.FINISHED;
            case FAILED -> ExecutionState.FAILED;
            case ABORTED -> ExecutionState.ABORTED;
            default -> ExecutionState.UNKNOWN;
        };
    }

    private void requireSubmitSettings() {
        if (connection == null || resultsBucket == null || unloadRole == null) {
            throw new IllegalStateException("this Redshift warehouse is for following statements only");
        }
    }
}
