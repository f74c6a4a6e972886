package com.warehouseexport.model.cancel;

import com.warehouseexport.model.warehouse.ExecutionNotFoundException;
import com.warehouseexport.model.warehouse.Warehouses;
import java.util.Objects;

/**
 * {@link StatementCanceller} over the warehouse port: the stored id says which engine ran the statement (Redshift
 * {@code CancelStatement}, Athena {@code StopQueryExecution}). Both engines treat a final execution as nothing to
 * stop; one the engine no longer knows finished long ago.
 */
public final class WarehouseCanceller implements StatementCanceller {
    private final Warehouses warehouses;

    public WarehouseCanceller(Warehouses warehouses) {
        this.warehouses = Objects.requireNonNull(warehouses, "warehouses");
    }

    @Override
    public Outcome cancel(String storedId) {
        try {
            warehouses.cancel(storedId);
            return Outcome.CANCELLED;
        } catch (ExecutionNotFoundException e) {
            return Outcome.ALREADY_FINISHED;
        }
    }
}
