package com.warehouseexport.processor;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import com.warehouseexport.model.warehouse.WarehouseRejectedException;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;

/**
 * Sorts the failures of one submission into {@link FailureKind}s.
 *
 * <p>Permanent: our own {@link PermanentExportException}, a {@link WarehouseRejectedException} from the warehouse
 * port (Athena's {@code InvalidRequestException}) and the Data API's {@code ValidationException} (the statement or
 * its target is refused as written). Everything else is transient: throttling,
 * {@code ActiveStatementsExceededException}, 5xx, DynamoDB errors, network and client errors, and also other
 * refusals such as access denied, which an operator can fix while the message is retried. A transient failure
 * on the last allowed attempt still ends the request as FAILED, so nothing waits forever.
 */
public final class ErrorClassifier {
    private static final String VALIDATION = "ValidationException";

    private ErrorClassifier() {
    }

    public static FailureKind classify(Throwable failure) {
        if (failure instanceof PermanentExportException || failure instanceof WarehouseRejectedException) {
            return FailureKind.PERMANENT;
        }
        if (failure instanceof RedshiftDataException redshift && VALIDATION.equals(errorCode(redshift))) {
            return FailureKind.PERMANENT;
        }
        return FailureKind.TRANSIENT;
    }

    /** The service's error code and message, or the exception's own message. */
    public static String describe(Throwable failure) {
        if (failure instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = errorCode(service);
            String message = service.awsErrorDetails().errorMessage();
            return (code == null ? "" : code + ": ") + (message == null ? service.getMessage() : message);
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String errorCode(AwsServiceException service) {
        return service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
    }
}
