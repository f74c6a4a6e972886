package com.warehouseexport.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;

class WarehouseConnectionTest {
    private static final String ID = "3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13";
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:000000000000:secret:rs-AbCdEf";

    @Test
    void namesTheStatementAfterTheRequestAndUsesItAsClientToken() {
        ExecuteStatementRequest request = new WarehouseConnection("cluster-1", null, "dev", null, "export_user")
                .executeRequest(ID, "UNLOAD ('select 1') TO 's3://b/p'");
        assertEquals("export-" + ID, request.statementName());
        assertEquals(ID, request.clientToken());
        assertTrue(request.withEvent());
        assertEquals("dev", request.database());
        assertEquals("UNLOAD ('select 1') TO 's3://b/p'", request.sql());
        assertEquals("cluster-1", request.clusterIdentifier());
        assertNull(request.workgroupName());
        assertEquals("export_user", request.dbUser());
        assertNull(request.secretArn());
    }

    @Test
    void secretWinsOverDatabaseUser() {
        ExecuteStatementRequest request = new WarehouseConnection("cluster-1", null, "dev", SECRET, "export_user")
                .executeRequest(ID, "select 1");
        assertEquals(SECRET, request.secretArn());
        assertNull(request.dbUser());
    }

    @Test
    void workgroupNeverSendsADatabaseUser() {
        ExecuteStatementRequest request = new WarehouseConnection(null, "wg", "dev", null, "export_user")
                .executeRequest(ID, "select 1");
        assertEquals("wg", request.workgroupName());
        assertNull(request.clusterIdentifier());
        assertNull(request.dbUser());
        assertNull(request.secretArn());
    }

    @Test
    void needsExactlyOneTarget() {
        assertThrows(IllegalArgumentException.class, () -> new WarehouseConnection(null, null, "dev", null, null));
        assertThrows(IllegalArgumentException.class, () -> new WarehouseConnection("c", "w", "dev", null, null));
    }
}
