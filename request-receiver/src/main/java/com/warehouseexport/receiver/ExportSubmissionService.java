package com.warehouseexport.receiver;

import com.warehouseexport.model.lambda.Log;
import com.warehouseexport.model.catalog.DatasetCatalog;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestIds;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.json.ApiException;
import com.warehouseexport.model.json.Json;
import com.warehouseexport.model.table.ConflictException;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.RequestUpdate;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.Objects;

/**
 * Accepts export orders: validates the body completely, then records the request (RECEIVED), puts
 * {@code {"requestId": "..."}} on the export queue and moves the request to QUEUED.
 *
 * <p>Nothing is written for a rejected order. When the queue cannot be reached the caller gets 503 and the
 * request stays RECEIVED for a later sweep to queue.
 */
public final class ExportSubmissionService {

    private final ExportOrderReader reader;
    private final ControlTable table;
    private final SqsClient sqs;
    private final String queueUrl;
    private final Clock clock;

    public ExportSubmissionService(DatasetCatalog catalog, ControlTable table, SqsClient sqs, String queueUrl) {
        this(catalog, table, sqs, queueUrl, Clock.systemUTC());
    }

    public ExportSubmissionService(DatasetCatalog catalog, ControlTable table, SqsClient sqs, String queueUrl,
                                   Clock clock) {
        this.reader = new ExportOrderReader(catalog);
        this.table = Objects.requireNonNull(table, "table");
        this.sqs = Objects.requireNonNull(sqs, "sqs");
        this.queueUrl = Objects.requireNonNull(queueUrl, "queueUrl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code POST /exports}; returns the request as stored, normally QUEUED. */
    public ExportRequest submitExport(String owner, String body) {
        return submit(owner, reader.readExport(body));
    }

    /** {@code POST /product} (seed API). */
    public ExportRequest submitProduct(String owner, String body) {
        return submit(owner, reader.readProduct(body));
    }

    ExportRequest submit(String owner, ExportOrder order) {
        Objects.requireNonNull(owner, "owner");
        ExportRequest received = ExportRequest.received(RequestIds.newId(), owner, order.dataset().name(),
                order.parameters(), order.format(), clock.instant());
        String id = received.requestId();
        try {
            table.create(received, order.note() == null ? "request accepted" : "request accepted " + order.note());
        } catch (SdkException e) {
            if (isTransient(e)) {
                Log.warn("Control table unavailable, request not recorded: %s", e);
                throw ApiException.of(503, "unavailable",
                        "The service is temporarily unavailable and recorded nothing; try again");
            }
            throw e;
        }

        try {
            sqs.sendMessage(message -> message.queueUrl(queueUrl).messageBody(queueMessage(id)));
        } catch (SdkException e) {
            Log.warn("Export queue unavailable, request %s stays RECEIVED: %s", id, e);
            throw ApiException.of(503, "unavailable",
                    "The export queue is temporarily unavailable; try again");
        }

        try {
            return table.transition(received, RequestState.QUEUED, "queued for processing", RequestUpdate.none());
        } catch (ConflictException e) {
            // The processor took the message before this write: the request is already further along.
            Log.info("Request %s moved on before it was marked QUEUED: %s", id, e.getMessage());
            return e.current().orElse(received);
        } catch (SdkException e) {
            // The message is on the queue, so the export will run: answer 202, not an error that invites a retry.
            Log.warn("Request %s queued but not marked QUEUED: %s", id, e);
            return received;
        }
    }

    static String queueMessage(String requestId) {
        return Json.write(Json.object().put("requestId", requestId));
    }

    /** Network trouble, throttling and 5xx: worth a retry by the caller. Anything else is our fault (500). */
    static boolean isTransient(SdkException e) {
        if (e instanceof SdkClientException) {
            return true;
        }
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return false;
    }
}
