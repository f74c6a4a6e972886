package com.warehouseexport.processor;

import com.warehouseexport.model.config.AppConfig;
import com.warehouseexport.model.warehouse.RedshiftConnection;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;

/**
 * Where and as whom the UNLOAD runs: a provisioned cluster or a serverless workgroup, the database, and the
 * credentials (a Secrets Manager secret wins over a database user; a workgroup without a secret uses the
 * function's IAM identity, and never a database user, which the Data API accepts only for clusters).
 */
public record WarehouseConnection(String clusterId, String workgroup, String database, String secretArn,
                                  String dbUser) {
    /** The statement name the poller recognises in Data API events: {@code export-<requestId>}. */
    public static final String STATEMENT_NAME_PREFIX = "export-";

    public WarehouseConnection {
        if ((clusterId == null) == (workgroup == null)) {
            throw new IllegalArgumentException("exactly one of cluster id and workgroup must be set");
        }
        if (database == null) {
            throw new IllegalArgumentException("database must be set");
        }
    }

    public static WarehouseConnection from(AppConfig config) {
        return new WarehouseConnection(config.redshiftClusterId(), config.redshiftWorkgroup(),
                config.redshiftDatabase(), config.redshiftSecretArn(), config.redshiftDbUser());
    }

    /** The same settings as shared-model's {@link RedshiftConnection}, which the Redshift warehouse uses. */
    public RedshiftConnection toRedshiftConnection() {
        return new RedshiftConnection(clusterId, workgroup, database, secretArn, dbUser);
    }

    /**
     * The request's one statement. {@code ClientToken = requestId} makes the Data API answer a repeated call
     * (a redelivered message) with the statement it already started instead of running the UNLOAD twice.
     */
    public ExecuteStatementRequest executeRequest(String requestId, String sql) {
        return toRedshiftConnection().executeRequest(requestId, sql);
    }
}
