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
import com.warehouseexport.model.table.IdempotencyClaim;
import com.warehouseexport.model.table.IdempotencyKeyTakenException;
import com.warehouseexport.model.table.RequestUpdate;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Accepts export orders: validates the body completely, then records the request (RECEIVED), puts
 * {@code {"requestId": "..."}} on the export queue and moves the request to QUEUED.
 *
 * <p>Nothing is written for a rejected order. When the queue cannot be reached the caller gets 503 and the
 * request stays RECEIVED for a later sweep to queue.
 */
public final class ExportSubmissionService {

    /** How long a RECEIVED request is left to the submission that recorded it before a retry queues it. */
    static final Duration REQUEUE_GRACE = Duration.ofSeconds(2);

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

    /** What a submission led to: the request (normally QUEUED), and whether it was an idempotent replay. */
    public record Submission(ExportRequest request, boolean replayed) {
    }

    /** {@code POST /exports}; {@code idempotencyKey} may be null (already validated by the handler). */
    public Submission submitExport(String owner, String body, String idempotencyKey) {
        return submit(owner, reader.readExport(body), idempotencyKey);
    }

    /** {@code POST /product} (seed API). */
    public Submission submitProduct(String owner, String body, String idempotencyKey) {
        return submit(owner, reader.readProduct(body), idempotencyKey);
    }

    Submission submit(String owner, ExportOrder order, String idempotencyKey) {
        Objects.requireNonNull(owner, "owner");
        ExportRequest received = ExportRequest.received(RequestIds.newId(), owner, order.dataset().name(),
                order.parameters(), order.format(), order.compression(), clock.instant());
        IdempotencyClaim claim = idempotencyKey == null ? null
                : new IdempotencyClaim(owner, idempotencyKey, order.canonicalHash());
        try {
            table.create(received, order.note() == null ? "request accepted" : "request accepted " + order.note(),
                    claim);
        } catch (IdempotencyKeyTakenException taken) {
            if (!taken.sameOrder()) {
                throw ApiException.of(422, "idempotency_key_reused", "This Idempotency-Key was already used in the "
                        + "last 24 hours for a different order; send a new key for a new order");
            }
            return new Submission(replay(owner, taken.requestId()), true);
        } catch (SdkException e) {
            if (isTransient(e)) {
                Log.warn("Control table unavailable, request not recorded: %s", e);
                throw ApiException.of(503, "unavailable",
                        "The service is temporarily unavailable and recorded nothing; try again");
            }
            throw e;
        }
        return new Submission(enqueue(received), false);
    }

    /**
     * The request a repeated key first created, as stored now. Still RECEIVED a while after it was recorded means
     * the first attempt could not queue it (it answered 503): queue it now, which is what the caller's retry is
     * for. (Within {@link #REQUEUE_GRACE} the first attempt is most likely still queueing it: a concurrent
     * duplicate.) A second message for one request is harmless: the processor moves a request forward only once.
     */
    private ExportRequest replay(String owner, String requestId) {
        ExportRequest first = table.get(requestId).filter(request -> request.owner().equals(owner))
                .orElseThrow(() -> new IllegalStateException("Idempotency item names request " + requestId
                        + ", which is missing or not the caller's"));
        Log.info("Idempotent replay of request %s", requestId);
        boolean stuck = first.state() == RequestState.RECEIVED
                && first.createdAt().plus(REQUEUE_GRACE).isBefore(clock.instant());
        return stuck ? enqueue(first) : first;
    }

    private ExportRequest enqueue(ExportRequest received) {
        String id = received.requestId();
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
            // The processor (or a concurrent retry) moved it first: the request is already further along.
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
