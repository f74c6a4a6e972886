package com.warehouseexport.poller;

import com.warehouseexport.localaws.LocalAws;
import com.warehouseexport.localaws.LocalAwsClients;
import com.warehouseexport.localaws.ses.Outbox;
import com.warehouseexport.localaws.ses.OutboxMessage;
import com.warehouseexport.model.domain.ExportFormat;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.table.ControlTable;
import com.warehouseexport.model.table.ControlTableSchema;
import com.warehouseexport.model.table.RequestLeases;
import com.warehouseexport.model.table.RequestUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * One poller test's world: its own control table and buckets on the shared emulators, a clock the test moves,
 * and the SES outbox the emails land in (shared: look for a request's emails by its id).
 */
final class PollerWorld {
    static final String SOURCE = "exports@example.com";
    static final List<String> TARGETS = List.of("data-team@example.com", "ops@example.com");
    static final String OWNER = "arn:aws:iam::000000000000:user/partner-a";

    final LocalAwsClients clients;
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    final ControlTable table;
    final RequestLeases leases;
    final String resultsBucket;
    final String archiveBucket;
    final Outbox outbox;
    final SesClient ses;

    PollerWorld(LocalAws aws, String name) {
        this.clients = aws.clients();
        String tableName = "poller-" + name + "-" + UUID.randomUUID();
        ControlTableSchema.createTableIfMissing(clients.dynamoDb(), tableName);
        this.table = new ControlTable(clients.dynamoDb(), tableName, Duration.ofDays(30), clock);
        this.leases = new RequestLeases(clients.dynamoDb(), tableName);
        this.resultsBucket = "results-" + name;
        this.archiveBucket = "archive-" + name;
        clients.s3().createBucket(b -> b.bucket(resultsBucket));
        clients.s3().createBucket(b -> b.bucket(archiveBucket));
        this.outbox = aws.outbox();
        this.ses = clients.ses();
        ses.verifyEmailIdentity(b -> b.emailAddress(SOURCE));
    }

    PollerSettings settings() {
        return new PollerSettings(SOURCE, TARGETS, Duration.ofHours(1), PollerSettings.DEFAULT_PACKAGING_LEASE,
                PollerSettings.DEFAULT_NOTIFICATION_LEASE, 100, Duration.ofSeconds(5));
    }

    ResultPoller poller() {
        return poller(clients.redshiftData());
    }

    ResultPoller poller(RedshiftDataClient redshift) {
        return poller(redshift, ArchiveLinks.presigned(clients.s3Presigner()));
    }

    ResultPoller poller(RedshiftDataClient redshift, ArchiveLinks links) {
        PollerSettings settings = settings();
        return new ResultPoller(table, leases, redshift,
                new ResultPackager(clients.s3(), resultsBucket, archiveBucket, MultipartUploadOutputStream.MIN_PART_SIZE),
                links,
                new Notifier(leases, ses, SOURCE, TARGETS, settings.notificationLease(), clock),
                settings, clock);
    }

    ResultPollerHandler handler() {
        return new ResultPollerHandler(poller());
    }

    /** A request created and moved along the happy path to {@code state}, with a statement id from SUBMITTED on. */
    ExportRequest requestIn(String requestId, RequestState state, String statementId) {
        ExportRequest request = ExportRequest.received(requestId, OWNER, "product_detail",
                TestRequests.skuParameters("FLOWER12"), ExportFormat.CSV, clock.instant());
        table.create(request);
        for (RequestState next : List.of(RequestState.QUEUED, RequestState.SUBMITTED, RequestState.RUNNING,
                RequestState.PACKAGING)) {
            if (request.state() == state || next.ordinal() > state.ordinal()) {
                break;
            }
            RequestUpdate update = next == RequestState.SUBMITTED && statementId != null
                    ? RequestUpdate.withStatementId(statementId) : RequestUpdate.none();
            request = table.transition(request, next, "test set-up", update);
        }
        return request;
    }

    List<OutboxMessage> emailsAbout(String requestId) {
        return outbox.messages().stream().filter(m -> m.subject().contains(requestId)).toList();
    }

    boolean inFlightIndexHas(String requestId) {
        return table.inFlight(1000).stream().anyMatch(r -> r.requestId().equals(requestId));
    }
}
