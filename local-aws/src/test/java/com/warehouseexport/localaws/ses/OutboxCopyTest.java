package com.warehouseexport.localaws.ses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A message another SES sent (LocalStack's, under -Plocalstack) lands in the outbox like one sent here. */
class OutboxCopyTest {

    @Test
    void aCopiedMessageReadsBackLikeASentOne(@TempDir Path dir) {
        Outbox outbox = new Outbox(dir);
        OutboxMessage copied = outbox.deliverCopy("exports@example.com", List.of("ops@example.com"),
            "Export 3f6c ready", "Download: https://example.com/a.zip?X-Amz-Signature=abc&x=1", null);

        assertEquals(List.of(copied), outbox.messages());
        assertEquals("exports@example.com", copied.source());
        assertEquals(List.of("ops@example.com"), copied.to());
        assertEquals("Export 3f6c ready", copied.subject());
        assertEquals("Download: https://example.com/a.zip?X-Amz-Signature=abc&x=1", copied.text().strip());
        assertNull(copied.html());
        // and it is durable, as sent messages are
        assertEquals(List.of(copied), new Outbox(dir).messages());
    }
}
