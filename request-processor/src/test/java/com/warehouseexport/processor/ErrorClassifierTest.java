package com.warehouseexport.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.InternalServerException;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

class ErrorClassifierTest {

    private static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).build();
    }

    @Test
    void dataApiValidationExceptionIsPermanent() {
        ValidationException refused = ValidationException.builder()
                .awsErrorDetails(details("ValidationException", "Database is required")).statusCode(400).build();
        assertEquals(FailureKind.PERMANENT, ErrorClassifier.classify(refused));
        assertEquals("ValidationException: Database is required", ErrorClassifier.describe(refused));
    }

    @Test
    void ourOwnPermanentFailureIsPermanent() {
        assertEquals(FailureKind.PERMANENT,
                ErrorClassifier.classify(new PermanentExportException("dataset_unavailable", "gone")));
    }

    @Test
    void capacityThrottlingAndServerErrorsAreTransient() {
        assertEquals(FailureKind.TRANSIENT, ErrorClassifier.classify(ActiveStatementsExceededException.builder()
                .awsErrorDetails(details("ActiveStatementsExceededException", "quota")).statusCode(400).build()));
        assertEquals(FailureKind.TRANSIENT, ErrorClassifier.classify(RedshiftDataException.builder()
                .awsErrorDetails(details("ThrottlingException", "Rate exceeded")).statusCode(400).build()));
        assertEquals(FailureKind.TRANSIENT, ErrorClassifier.classify(InternalServerException.builder()
                .awsErrorDetails(details("InternalServerException", "boom")).statusCode(500).build()));
        assertEquals(FailureKind.TRANSIENT, ErrorClassifier.classify(RedshiftDataException.builder()
                .awsErrorDetails(details("ServiceUnavailable", "later")).statusCode(503).build()));
        assertEquals(FailureKind.TRANSIENT, ErrorClassifier.classify(RedshiftDataException.builder()
                .awsErrorDetails(details("AccessDeniedException", "not allowed")).statusCode(403).build()),
                "an operator can fix access while the message is retried");
    }

    @Test
    void clientNetworkAndTableErrorsAreTransient() {
        SdkClientException network = SdkClientException.builder()
                .message("Unable to execute HTTP request").cause(new ConnectException("Connection refused")).build();
        assertEquals(FailureKind.TRANSIENT, ErrorClassifier.classify(network));
        assertEquals(FailureKind.TRANSIENT, ErrorClassifier.classify(ProvisionedThroughputExceededException.builder()
                .awsErrorDetails(details("ProvisionedThroughputExceededException", "slow down")).statusCode(400).build()));
        // a DynamoDB ValidationException is our bug, not the request's fault
        assertEquals(FailureKind.TRANSIENT, ErrorClassifier.classify(DynamoDbException.builder()
                .awsErrorDetails(details("ValidationException", "bad expression")).statusCode(400).build()));
        assertEquals(FailureKind.TRANSIENT, ErrorClassifier.classify(new UncheckedIOException(new java.io.IOException("x"))));
        assertTrue(ErrorClassifier.describe(network).startsWith("SdkClientException: Unable to execute HTTP request"));
    }
}
