package com.warehouseexport.localruntime.outbox;

import com.warehouseexport.localaws.ses.Outbox;
import com.warehouseexport.localaws.ses.OutboxMessage;
import java.util.List;

/** The local SES's outbox as the outbox pages read it. */
public final class SesOutbox implements OutboxSource {
    private final Outbox outbox;

    public SesOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public List<OutboxEntry> messages() {
        return outbox.messages().stream().map(SesOutbox::entry).toList();
    }

    static OutboxEntry entry(OutboxMessage message) {
        return new OutboxEntry(message.id(), message.source(), message.to(), message.subject(), message.text(),
            message.html(), message.sentAt());
    }
}
