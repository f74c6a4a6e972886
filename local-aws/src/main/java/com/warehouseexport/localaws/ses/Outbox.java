package com.warehouseexport.localaws.ses;

import com.warehouseexport.localaws.AtomicFile;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Where the SES emulator delivers: every sent message is kept in memory and, when there is a directory, as one
 * RFC 5322 {@code <MessageId>.eml} file written atomically. A new outbox on the same directory reloads the
 * files, so messages survive restarts. Messages are ordered oldest first.
 */
public final class Outbox {
    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());
    private static final String EXTENSION = ".eml";

    private final Path dir;
    private final List<OutboxMessage> messages = new ArrayList<>();
    private final List<Consumer<OutboxMessage>> subscribers = new CopyOnWriteArrayList<>();
    private Instant lastSentAt = Instant.EPOCH;

    public Outbox(Path dirOrNull) {
        this.dir = dirOrNull;
        if (dir != null) {
            load();
        }
    }

    /** The directory of the .eml files, if any. */
    public Optional<Path> dir() {
        return Optional.ofNullable(dir);
    }

    public synchronized List<OutboxMessage> messages() {
        return List.copyOf(messages);
    }

    public synchronized int size() {
        return messages.size();
    }

    public synchronized Optional<OutboxMessage> find(String id) {
        return messages.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** Calls the subscriber with every message delivered from now on; closing the handle unsubscribes. */
    public AutoCloseable subscribe(Consumer<OutboxMessage> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /**
     * Waits until the outbox holds at least {@code count} messages and returns all of them.
     *
     * @throws IllegalStateException when the timeout passes first
     */
    public synchronized List<OutboxMessage> awaitMessages(int count, Duration timeout) {
        awaitCondition(() -> messages.size() >= count, timeout, "at least " + count + " messages");
        return List.copyOf(messages);
    }

    /**
     * Waits for the first message (already there or still to come) that matches.
     *
     * @throws IllegalStateException when the timeout passes first
     */
    public synchronized OutboxMessage awaitMessage(Predicate<OutboxMessage> matching, Duration timeout) {
        awaitCondition(() -> messages.stream().anyMatch(matching), timeout, "a matching message");
        return messages.stream().filter(matching).findFirst().orElseThrow();
    }

    private void awaitCondition(BooleanSupplier done, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!done.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("timed out after " + timeout + " waiting for " + what
                        + "; the outbox holds " + messages);
                }
                // wait(ms, ns) would be exact, but a 1 ms granularity is plenty for a test helper
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    /** Forgets every message and deletes their files. */
    public synchronized void clear() {
        if (dir != null) {
            for (OutboxMessage message : messages) {
                try {
                    Files.deleteIfExists(dir.resolve(message.id() + EXTENSION));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        messages.clear();
    }

    /**
     * Records a message that another SES sent (LocalStack's, under {@code -Plocalstack}), so that tests read one
     * outbox whichever SES the code under test called.
     */
    public OutboxMessage deliverCopy(String source, List<String> to, String subject, String text, String html) {
        try {
            InternetAddress sender = new InternetAddress(source);
            List<InternetAddress> recipients = new ArrayList<>();
            for (String address : to) {
                recipients.add(new InternetAddress(address));
            }
            MimeMessage message = MimeMail.compose(sender, recipients, List.of(), List.of(),
                new MimeMail.Content(subject, "UTF-8"), text == null ? null : new MimeMail.Content(text, "UTF-8"),
                html == null ? null : new MimeMail.Content(html, "UTF-8"));
            return deliver(message, sender, recipients);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("cannot record the message from " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Gives the message its SES id and Date, stores it and tells the subscribers. The message must be saved
     * ({@code saveChanges}) or parsed, so that writing it does not rewrite the headers set here.
     */
    OutboxMessage deliver(MimeMessage message, InternetAddress source, List<InternetAddress> destinations) {
        OutboxMessage delivered;
        synchronized (this) {
            Instant sentAt = nextSentAt();
            String id = newMessageId(sentAt);
            try {
                byte[] bytes = MimeMail.stamp(message, id, sentAt, source, destinations);
                delivered = MimeMail.read(bytes);
                if (dir != null) {
                    AtomicFile.write(dir.resolve(id + EXTENSION), bytes);
                }
            } catch (MessagingException | IOException e) {
                throw new IllegalStateException("cannot store message " + id, e);
            }
            messages.add(delivered);
            notifyAll();
        }
        for (Consumer<OutboxMessage> subscriber : subscribers) {
            try {
                subscriber.accept(delivered);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "outbox subscriber failed on " + delivered.id(), e);
            }
        }
        return delivered;
    }

    /** Strictly increasing, so that the order of sending is also the order after a reload. */
    private Instant nextSentAt() {
        Instant now = Instant.now();
        if (!now.isAfter(lastSentAt)) {
            now = lastSentAt.plusNanos(1_000);
        }
        lastSentAt = now;
        return now;
    }

    /** SES's shape: 0100 + epoch millis in 12 hex digits, a UUID, -000000 (so file names sort by time too). */
    private static String newMessageId(Instant sentAt) {
        return String.format("0100%012x-%s-000000", sentAt.toEpochMilli(), UUID.randomUUID());
    }

    private void load() {
        List<OutboxMessage> loaded = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (name.startsWith(".") && name.endsWith(AtomicFile.TEMP_SUFFIX)) {
                        Files.deleteIfExists(file); // a write that a crash interrupted before its rename
                    } else if (name.endsWith(EXTENSION)) {
                        try {
                            loaded.add(MimeMail.read(Files.readAllBytes(file)));
                        } catch (MessagingException | RuntimeException e) {
                            LOG.log(Level.WARNING, "skipping unreadable outbox file " + file, e);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read outbox " + dir, e);
        }
        loaded.sort(Comparator.comparing(OutboxMessage::sentAt).thenComparing(OutboxMessage::id));
        messages.addAll(loaded);
        if (!loaded.isEmpty()) {
            lastSentAt = loaded.get(loaded.size() - 1).sentAt();
        }
    }
}
