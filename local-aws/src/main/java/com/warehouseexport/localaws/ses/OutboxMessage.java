package com.warehouseexport.localaws.ses;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One message SES "sent". Addresses are in the form {@code Name <local@domain>} or plain {@code local@domain};
 * {@code text} and {@code html} are the decoded bodies with line breaks as {@code \n} (null when the message has
 * no such part). {@code destinations} are the envelope recipients; {@code bcc} are those of them that no
 * To/Cc header shows (plus any Bcc header of a raw message).
 *
 * @param id           the SES MessageId returned to the caller
 * @param source       the envelope sender (the SES {@code Source}, or the From header of a raw message)
 * @param raw          the stored RFC 5322 message, exactly the bytes of its {@code .eml} file
 */
public record OutboxMessage(
        String id,
        String source,
        List<String> from,
        List<String> to,
        List<String> cc,
        List<String> bcc,
        List<String> replyTo,
        List<String> destinations,
        String subject,
        String text,
        String html,
        Instant sentAt,
        byte[] raw) {

    public OutboxMessage {
        from = List.copyOf(from);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
        replyTo = List.copyOf(replyTo);
        destinations = List.copyOf(destinations);
        raw = raw.clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /** The stored message as text (headers are ASCII; 8-bit bodies of raw messages are read as UTF-8). */
    public String rawText() {
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** Compares the raw bytes by content (a record would compare the array by identity). */
    @Override
    public boolean equals(Object other) {
        return other instanceof OutboxMessage m
            && id.equals(m.id) && Objects.equals(source, m.source) && from.equals(m.from) && to.equals(m.to)
            && cc.equals(m.cc) && bcc.equals(m.bcc) && replyTo.equals(m.replyTo)
            && destinations.equals(m.destinations) && Objects.equals(subject, m.subject)
            && Objects.equals(text, m.text) && Objects.equals(html, m.html) && sentAt.equals(m.sentAt)
            && Arrays.equals(raw, m.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, sentAt) * 31 + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "OutboxMessage[id=" + id + ", source=" + source + ", to=" + to + ", cc=" + cc + ", bcc=" + bcc
            + ", subject=" + subject + ", sentAt=" + sentAt + ", " + raw.length + " bytes]";
    }
}
