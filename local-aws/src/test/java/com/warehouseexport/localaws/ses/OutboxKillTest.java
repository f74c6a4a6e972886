package com.warehouseexport.localaws.ses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A separate JVM sends large messages into an outbox as fast as it can and is killed with SIGKILL in the
 * middle; a new outbox on the same directory must read every file whole and drop the interrupted write.
 */
class OutboxKillTest {
    private static final int MAX_MESSAGES = 2_000;
    private static final int KILL_AFTER = 20;

    @TempDir
    Path dir;

    /** The child process: sends until killed (or MAX_MESSAGES), printing each id once it is stored. */
    public static final class Sender {
        public static void main(String[] args) {
            Path outboxDir = Path.of(args[0]);
            SesService ses = new SesService(new Outbox(outboxDir), outboxDir.resolveSibling("state"));
            ses.verifyIdentity("crash@example.com");
            for (int i = 0; i < MAX_MESSAGES; i++) {
                long started = System.nanoTime();
                ses.handle("SendEmail", Map.of(
                    "Source", "crash@example.com",
                    "Destination.ToAddresses.member.1", "partner@example.net",
                    "Message.Subject.Data", "Nr " + i,
                    "Message.Body.Text.Data", body(i),
                    "Message.Body.Html.Data", "<pre>" + body(i) + "</pre>"));
                System.out.println("sent " + i + " " + (System.nanoTime() - started) / 1_000_000);
                System.out.flush();
            }
        }
    }

    /** About 150 KB of non-ASCII text, so that each write takes a while and is encoded. */
    static String body(int i) {
        return ("Nachricht " + i + ": Grüße aus dem Lager – Größe ✓\n").repeat(3_000);
    }

    @Test
    void killDashNineNeverLeavesAHalfMessage() throws Exception {
        Path outboxDir = dir.resolve("outbox");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            Sender.class.getName(), outboxDir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
        int lastReported = -1;
        List<Long> sendMillis = new ArrayList<>();
        long started = System.nanoTime();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (lastReported < KILL_AFTER && (line = out.readLine()) != null) {
                String[] parts = line.split(" ");
                lastReported = Integer.parseInt(parts[1]);
                sendMillis.add(Long.parseLong(parts[2]));
            }
            child.destroyForcibly(); // SIGKILL on Linux
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                fail("the child did not die");
            }
        }
        assertTrue(lastReported >= KILL_AFTER, "the child stopped early at " + lastReported);

        List<Path> files;
        try (Stream<Path> list = Files.list(outboxDir)) {
            files = list.toList();
        }
        long emlFiles = files.stream().filter(f -> f.toString().endsWith(".eml")).count();
        boolean interruptedWrite = files.stream().anyMatch(f -> f.getFileName().toString().endsWith(".tmp"));
        System.out.printf("killed after %d reported sends in %d ms (ms per ~300 KB send: %s): %d .eml files, "
            + "temp file left: %s%n", lastReported + 1, (System.nanoTime() - started) / 1_000_000, sendMillis,
            emlFiles, interruptedWrite);

        Outbox reloaded = new Outbox(outboxDir);
        List<OutboxMessage> messages = reloaded.messages();
        assertEquals(emlFiles, messages.size(), "every .eml file must read whole");
        assertTrue(messages.size() >= lastReported + 1, "every reported send must be there");
        for (int i = 0; i < messages.size(); i++) {
            OutboxMessage m = messages.get(i);
            assertEquals("Nr " + i, m.subject(), "messages in order, none missing");
            assertEquals(body(i), m.text());
            assertEquals("<pre>" + body(i) + "</pre>", m.html());
        }
        try (Stream<Path> list = Files.list(outboxDir)) {
            assertFalse(list.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")),
                "the interrupted write is cleaned up");
        }
    }
}
