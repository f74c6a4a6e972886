package com.warehouseexport.localruntime.outbox;

import java.util.List;

/** Where the outbox pages read the sent e-mails from (the local SES's outbox), oldest first. */
@FunctionalInterface
public interface OutboxSource {
    List<OutboxEntry> messages();
}
