package com.warehouseexport.model.cancel;

import java.util.Objects;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.ResourceNotFoundException;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

/** {@link StatementCanceller} over the Redshift Data API's {@code CancelStatement}. */
public final class RedshiftStatementCanceller implements StatementCanceller {
    private final RedshiftDataClient redshift;

    public RedshiftStatementCanceller(RedshiftDataClient redshift) {
        this.redshift = Objects.requireNonNull(redshift, "redshift");
    }

    @Override
    public Outcome cancel(String statementId) {
        try {
            boolean cancelled = Boolean.TRUE.equals(redshift.cancelStatement(r -> r.id(statementId)).status());
            return cancelled ? Outcome.CANCELLED : Outcome.ALREADY_FINISHED;
        } catch (ResourceNotFoundException e) {
            // results and statements are kept 24 hours: an older one is gone, and finished long ago
            return Outcome.ALREADY_FINISHED;
        } catch (ValidationException e) {
            // "Could not cancel a query that is already in FINISHED state": the Data API's answer for a final one
            if (alreadyFinal(e)) {
                return Outcome.ALREADY_FINISHED;
            }
            throw e;
        }
    }

    static boolean alreadyFinal(ValidationException e) {
        String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
        return message != null && message.toLowerCase(java.util.Locale.ROOT).contains("already");
    }
}
