package com.warehouseexport.receiver;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportSubmissionServiceTest {
    @Test
    void theQueueMessageCarriesOnlyTheRequestId() {
        assertEquals("{\"requestId\":\"3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13\"}",
                ExportSubmissionService.queueMessage("3f6c1b5e-8d2a-4c7e-9b1f-2a4d6e8c0b13"));
    }

    @Test
    void networkTroubleThrottlingAnd5xxAreWorthARetry() {
        assertTrue(ExportSubmissionService.isTransient(SdkClientException.create("connection refused")));
        assertTrue(ExportSubmissionService.isTransient(ProvisionedThroughputExceededException.builder()
                .statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ProvisionedThroughputExceededException").build()).build()));
        assertTrue(ExportSubmissionService.isTransient(AwsServiceException.builder().statusCode(503).build()));
    }

    @Test
    void configurationAndPermissionErrorsAreNot() {
        assertFalse(ExportSubmissionService.isTransient(ResourceNotFoundException.builder().statusCode(400).build()));
        assertFalse(ExportSubmissionService.isTransient(AwsServiceException.builder().statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build()));
    }
}
