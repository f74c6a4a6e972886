package com.warehouseexport.localruntime.outbox;

import java.time.Instant;
import java.util.List;

/** One e-mail the local SES accepted; html or text may be null. */
public record OutboxEntry(String id, String source, List<String> to, String subject, String text, String html,
                          Instant sentAt) {
}
