package com.warehouseexport.poller;

import com.warehouseexport.model.lambda.Log;
import com.warehouseexport.model.domain.ExportRequest;
import com.warehouseexport.model.domain.RequestState;
import com.warehouseexport.model.table.RequestLeases;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.Content;

/**
 * Sends a finished request's one email: claim ({@code notifyClaimedAt} lease), send through SES, record
 * {@code notifiedAt} (which also takes the request out of the in-flight index). A claim that is never recorded
 * (the sender died) is taken over when its lease runs out.
 */
public final class Notifier {
    private final RequestLeases leases;
    private final SesClient ses;
    private final String source;
    private final List<String> recipients;
    private final Duration lease;
    private final Clock clock;

    public Notifier(RequestLeases leases, SesClient ses, String source, List<String> recipients, Duration lease,
                    Clock clock) {
        this.leases = Objects.requireNonNull(leases, "leases");
        this.ses = Objects.requireNonNull(ses, "ses");
        this.source = Objects.requireNonNull(source, "source");
        this.recipients = List.copyOf(recipients);
        this.lease = Objects.requireNonNull(lease, "lease");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Sends the email of a SUCCEEDED or FAILED request unless it was sent or is being sent; true if this call sent it. */
    public boolean notifyOnce(ExportRequest request) {
        if (request.state() == RequestState.CANCELLED) {
            leases.leaveInFlightIndex(request.requestId());
            return false;
        }
        Instant now = clock.instant();
        if (!leases.claimNotification(request.requestId(), now, now.minus(lease))) {
            Log.info("request %s: email already sent or being sent", request.requestId());
            return false;
        }
        ExportEmail email = ExportEmail.forRequest(request);
        String messageId = ses.sendEmail(r -> r
                .source(source)
                .destination(d -> d.toAddresses(recipients))
                .message(m -> m
                        .subject(utf8(email.subject()))
                        .body(b -> b.text(utf8(email.text())).html(utf8(email.html()))))).messageId();
        // If we die here the claim expires and the email goes out a second time: the one window left.
        leases.recordNotified(request.requestId(), clock.instant());
        Log.info("request %s: %s email sent (SES message %s)", request.requestId(), request.state(), messageId);
        return true;
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset(StandardCharsets.UTF_8.name()).build();
    }
}
