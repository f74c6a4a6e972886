package com.warehouseexport.model.warehouse;

import com.warehouseexport.model.config.AppConfig;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;

/**
 * Where and as whom a Redshift UNLOAD runs: a provisioned cluster or a serverless workgroup, the database, and the
 * credentials (a Secrets Manager secret wins over a database user; a workgroup without a secret uses the
 * function's IAM identity, and never a database user, which the Data API accepts only for clusters).
 */
public record RedshiftConnection(String clusterId, String workgroup, String database, String secretArn,
                                 String dbUser) {
    public RedshiftConnection {
        if ((clusterId == null) == (workgroup == null)) {
            throw new IllegalArgumentException("exactly one of cluster id and workgroup must be set");
        }
        if (database == null) {
            throw new IllegalArgumentException("database must be set");
        }
    }

    public static RedshiftConnection from(AppConfig config) {
        return new RedshiftConnection(config.redshiftClusterId(), config.redshiftWorkgroup(),
                config.redshiftDatabase(), config.redshiftSecretArn(), config.redshiftDbUser());
    }

    /**
     * The request's one statement. {@code ClientToken = requestId} makes the Data API answer a repeated call
     * (a redelivered message) with the statement it already started instead of running the UNLOAD twice.
     */
    public ExecuteStatementRequest executeRequest(String requestId, String sql) {
        ExecuteStatementRequest.Builder request = ExecuteStatementRequest.builder()
                .database(database)
                .sql(sql)
                .statementName(ExportJob.NAME_PREFIX + requestId)
                .withEvent(true)
                .clientToken(requestId);
        if (clusterId != null) {
            request.clusterIdentifier(clusterId);
        } else {
            request.workgroupName(workgroup);
        }
        if (secretArn != null) {
            request.secretArn(secretArn);
        } else if (clusterId != null && dbUser != null) {
            request.dbUser(dbUser);
        }
        return request.build();
    }
}
