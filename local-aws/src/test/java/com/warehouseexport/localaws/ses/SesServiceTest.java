package com.warehouseexport.localaws.ses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.http.LocalEndpointServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.Body;
import software.amazon.awssdk.services.ses.model.Content;
import software.amazon.awssdk.services.ses.model.Destination;
import software.amazon.awssdk.services.ses.model.GetSendQuotaResponse;
import software.amazon.awssdk.services.ses.model.IdentityType;
import software.amazon.awssdk.services.ses.model.IdentityVerificationAttributes;
import software.amazon.awssdk.services.ses.model.Message;
import software.amazon.awssdk.services.ses.model.MessageRejectedException;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;
import software.amazon.awssdk.services.ses.model.SesException;
import software.amazon.awssdk.services.ses.model.VerificationStatus;

class SesServiceTest {
    private static final String SENDER = "exports@warehouse.example.com";

    @TempDir
    Path dir;

    private Outbox outbox;
    private LocalEndpointServer server;
    private SesClient ses;

    @BeforeEach
    void start() throws Exception {
        startServer();
    }

    private void startServer() throws Exception {
        outbox = new Outbox(dir.resolve("outbox"));
        server = LocalEndpointServer.start(0, List.of(), List.of(new SesService(outbox, dir.resolve("state"))));
        ses = SesClient.builder()
            .endpointOverride(server.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    }

    @AfterEach
    void stop() {
        ses.close();
        server.close();
    }

    private void restart() throws Exception {
        stop();
        startServer();
    }

    private SendEmailRequest.Builder email(String subject, String text, String html) {
        Body.Builder body = Body.builder();
        if (text != null) {
            body.text(Content.builder().data(text).charset("UTF-8").build());
        }
        if (html != null) {
            body.html(Content.builder().data(html).charset("UTF-8").build());
        }
        return SendEmailRequest.builder()
            .source(SENDER)
            .destination(Destination.builder().toAddresses("partner@example.net").build())
            .message(Message.builder().subject(Content.builder().data(subject).charset("UTF-8").build())
                .body(body.build()).build());
    }

    @Test
    void textAndHtmlEmailWithNonAsciiLandsInTheOutboxWithAllFields() throws Exception {
        ses.verifyEmailIdentity(b -> b.emailAddress(SENDER));
        String subject = "Ihr Export ist fertig – Größe 5 MB ✓";
        String text = "Grüße aus dem Lager!\nDownload: https://example.com/x?a=1&b=2\n日本語もOK";
        String html = "<p>Grüße aus dem <b>Lager</b> – <a href=\"https://example.com/x?a=1&amp;b=2\">Download</a></p>";

        String id = ses.sendEmail(email(subject, text, html)
            .source("Warehöuse Export <" + SENDER + ">")
            .destination(Destination.builder()
                .toAddresses("partner@example.net", "Zoë Ops <ops@example.net>")
                .ccAddresses("cc@example.net")
                .bccAddresses("audit@example.org")
                .build())
            .replyToAddresses("support@warehouse.example.com")
            .build()).messageId();

        assertTrue(id.matches("0100[0-9a-f]{12}-[0-9a-f-]{36}-000000"), id);
        List<OutboxMessage> messages = outbox.messages();
        assertEquals(1, messages.size());
        OutboxMessage m = messages.get(0);
        assertEquals(id, m.id());
        assertEquals(m, outbox.find(id).orElseThrow());
        // Display names come back decoded; Jakarta Mail quotes those with non-ASCII letters.
        assertEquals("\"Warehöuse Export\" <" + SENDER + ">", m.source());
        assertEquals(List.of("\"Warehöuse Export\" <" + SENDER + ">"), m.from());
        assertEquals(List.of("partner@example.net", "\"Zoë Ops\" <ops@example.net>"), m.to());
        assertEquals(List.of("cc@example.net"), m.cc());
        assertEquals(List.of("audit@example.org"), m.bcc());
        assertEquals(List.of("support@warehouse.example.com"), m.replyTo());
        assertEquals(4, m.destinations().size());
        assertEquals(subject, m.subject());
        assertEquals(text, m.text());
        assertEquals(html, m.html());
        assertNotNullRecent(m);

        // The stored message is proper MIME: ASCII only, encoded words, both alternatives, SES's Message-ID.
        String raw = m.rawText();
        System.out.println("SES outbox message (" + m.raw().length + " bytes):\n" + raw);
        assertTrue(StandardCharsets.US_ASCII.newEncoder().canEncode(raw), "raw message must be 7-bit clean");
        assertTrue(raw.contains("multipart/alternative"), raw);
        assertTrue(raw.contains("Subject: =?UTF-8?"), raw);
        assertTrue(raw.contains("Message-ID: <" + id + "@email.amazonses.com>"), raw);
        assertTrue(raw.contains("\r\n\r\n"), "header/body separator must be CRLF CRLF");
        assertFalse(raw.contains("audit@example.org\r\nTo:") || raw.lines().anyMatch(l -> l.startsWith("Bcc:")),
            "Bcc must not be a header of a SendEmail message");

        Path file = dir.resolve("outbox").resolve(id + ".eml");
        assertArrayEquals(Files.readAllBytes(file), m.raw(), "the .eml file holds exactly the raw message");
    }

    @Test
    void singlePartTextAndHtmlOnlyMessages() {
        ses.verifyEmailIdentity(b -> b.emailAddress(SENDER));
        String textId = ses.sendEmail(email("plain", "just text", null).build()).messageId();
        String htmlId = ses.sendEmail(email("html", null, "<i>just html</i>").build()).messageId();

        OutboxMessage plain = outbox.find(textId).orElseThrow();
        assertEquals("just text", plain.text());
        assertNull(plain.html());
        assertTrue(plain.rawText().contains("Content-Type: text/plain; charset=UTF-8"), plain.rawText());
        OutboxMessage htmlOnly = outbox.find(htmlId).orElseThrow();
        assertNull(htmlOnly.text());
        assertEquals("<i>just html</i>", htmlOnly.html());
        assertEquals(List.of(plain, htmlOnly), outbox.messages(), "oldest first");
    }

    @Test
    void rawEmailIsParsedIntoTheOutbox() {
        ses.verifyDomainIdentity(b -> b.domain("warehouse.example.com"));
        String raw = String.join("\r\n",
            "From: Reports <reports@eu.warehouse.example.com>",
            "To: partner@example.net",
            "Cc: \"Müller, Jörg\" <mueller@example.net>",
            "Subject: =?UTF-8?Q?Bericht_f=C3=BCr_M=C3=A4rz?=",
            "Message-ID: <callers-own-id@example.com>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"outer\"",
            "",
            "--outer",
            "Content-Type: multipart/alternative; boundary=\"inner\"",
            "",
            "--inner",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Sch=C3=B6ne Gr=C3=BC=C3=9Fe",
            "--inner",
            "Content-Type: text/html; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
            Base64.getEncoder().encodeToString("<p>Schöne Grüße</p>".getBytes(StandardCharsets.UTF_8)),
            "--inner--",
            "--outer",
            "Content-Type: text/plain; charset=UTF-8; name=\"rows.csv\"",
            "Content-Disposition: attachment; filename=\"rows.csv\"",
            "",
            "sku,qty",
            "A1,3",
            "--outer--",
            "");

        String id = ses.sendRawEmail(b -> b.rawMessage(r -> r.data(SdkBytes.fromUtf8String(raw)))
            .destinations("partner@example.net", "mueller@example.net", "hidden@example.org")).messageId();

        OutboxMessage m = outbox.awaitMessages(1, Duration.ofSeconds(5)).get(0);
        assertEquals(id, m.id());
        assertEquals("Reports <reports@eu.warehouse.example.com>", m.source(), "From header when no Source");
        assertEquals(List.of("partner@example.net"), m.to());
        assertEquals(List.of("\"Müller, Jörg\" <mueller@example.net>"), m.cc());
        assertEquals(List.of("hidden@example.org"), m.bcc(), "a destination no header shows is a blind copy");
        assertEquals("Bericht für März", m.subject());
        assertEquals("Schöne Grüße", m.text(), "the attachment must not be taken for the body");
        assertEquals("<p>Schöne Grüße</p>", m.html());
        assertTrue(m.rawText().contains("Message-ID: <" + id + "@email.amazonses.com>"), "SES sets its own id");
        assertFalse(m.rawText().contains("callers-own-id"));
        assertTrue(m.rawText().contains("filename=\"rows.csv\""), "the body is kept as sent");
    }

    @Test
    void rawEmailWithAnUnknownCharsetIsStillRead() {
        ses.verifyEmailIdentity(b -> b.emailAddress(SENDER));
        String raw = "From: " + SENDER + "\r\nTo: partner@example.net\r\nSubject: odd\r\n"
            + "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nplain words\r\n";
        String id = ses.sendRawEmail(b -> b.rawMessage(r -> r.data(SdkBytes.fromUtf8String(raw)))).messageId();
        assertEquals("plain words\n", outbox.find(id).orElseThrow().text());
        assertEquals(List.of("partner@example.net"), outbox.find(id).orElseThrow().destinations());
    }

    @Test
    void unverifiedSenderIsRejectedLikeTheSesSandbox() {
        ses.verifyEmailIdentity(b -> b.emailAddress("someone-else@warehouse.example.com"));

        MessageRejectedException e = assertThrows(MessageRejectedException.class,
            () -> ses.sendEmail(email("s", "t", null).build()));
        assertEquals(400, e.statusCode());
        assertEquals("MessageRejected", e.awsErrorDetails().errorCode());
        assertEquals("Email address is not verified. The following identities failed the check in region "
            + "US-EAST-1: " + SENDER, e.awsErrorDetails().errorMessage());

        String raw = "From: " + SENDER + "\r\nTo: partner@example.net\r\nSubject: x\r\n\r\nbody\r\n";
        assertThrows(MessageRejectedException.class, () -> ses.sendRawEmail(
            b -> b.rawMessage(r -> r.data(SdkBytes.fromUtf8String(raw)))));
        assertEquals(0, outbox.size(), "a rejected message is not delivered");

        // The local part of an address is case-sensitive in SES, the domain is not.
        ses.verifyEmailIdentity(b -> b.emailAddress("exports@WAREHOUSE.example.com"));
        ses.sendEmail(email("s", "t", null).build());
        assertThrows(MessageRejectedException.class,
            () -> ses.sendEmail(email("s", "t", null).source("EXPORTS@warehouse.example.com").build()));
        assertEquals(1, outbox.size());
    }

    @Test
    void verifiedDomainCoversItsAddressesAndSubdomains() {
        ses.verifyDomainIdentity(b -> b.domain("example.com"));
        ses.sendEmail(email("s", "t", null).source("anyone@example.com").build());
        ses.sendEmail(email("s", "t", null).source("a@reports.example.com").build());
        assertThrows(MessageRejectedException.class,
            () -> ses.sendEmail(email("s", "t", null).source("a@notexample.com").build()));
        assertEquals(2, outbox.size());
    }

    @Test
    void identitiesAreListedVerifiedDeletedAndPersisted() throws Exception {
        ses.verifyEmailIdentity(b -> b.emailAddress("a@example.com"));
        ses.verifyEmailIdentity(b -> b.emailAddress("b@example.com"));
        String token = ses.verifyDomainIdentity(b -> b.domain("example.org")).verificationToken();
        assertFalse(token.isBlank());

        assertEquals(List.of("a@example.com", "b@example.com", "example.org"), ses.listIdentities().identities());
        assertEquals(List.of("a@example.com", "b@example.com"),
            ses.listIdentities(b -> b.identityType(IdentityType.EMAIL_ADDRESS)).identities());
        assertEquals(List.of("example.org"),
            ses.listIdentities(b -> b.identityType(IdentityType.DOMAIN)).identities());
        List<String> paged = new ArrayList<>();
        ses.listIdentitiesPaginator(b -> b.maxItems(2)).identities().forEach(paged::add);
        assertEquals(List.of("a@example.com", "b@example.com", "example.org"), paged);

        Map<String, IdentityVerificationAttributes> attributes = ses.getIdentityVerificationAttributes(
            b -> b.identities("a@example.com", "example.org", "unknown@example.com")).verificationAttributes();
        assertEquals(Set.of("a@example.com", "example.org"), attributes.keySet());
        assertEquals(VerificationStatus.SUCCESS, attributes.get("a@example.com").verificationStatus());
        assertNull(attributes.get("a@example.com").verificationToken());
        assertEquals(VerificationStatus.SUCCESS, attributes.get("example.org").verificationStatus());
        assertEquals(token, attributes.get("example.org").verificationToken());

        ses.deleteIdentity(b -> b.identity("b@example.com"));
        ses.deleteIdentity(b -> b.identity("never-verified@example.com")); // SES answers success here too
        assertEquals(List.of("a@example.com", "example.org"), ses.listIdentities().identities());

        restart();
        assertEquals(List.of("a@example.com", "example.org"), ses.listIdentities().identities());
        assertEquals(token, ses.getIdentityVerificationAttributes(b -> b.identities("example.org"))
            .verificationAttributes().get("example.org").verificationToken());
    }

    @Test
    void outboxIsDurableAcrossANewOutboxOnTheSameDirectory() throws Exception {
        ses.verifyEmailIdentity(b -> b.emailAddress(SENDER));
        List<String> ids = IntStream.range(0, 5)
            .mapToObj(i -> ses.sendEmail(email("Nachricht Nr. " + i + " – ü", "Text " + i, "<b>" + i + "</b>")
                .build()).messageId())
            .toList();
        List<OutboxMessage> before = outbox.messages();
        assertEquals(ids, before.stream().map(OutboxMessage::id).toList());

        // A write that a kill -9 interrupted leaves only a hidden temp file: it must be ignored and removed.
        Path outboxDir = dir.resolve("outbox");
        Path leftover = outboxDir.resolve(".0100deadbeef0000-x-000000.eml.tmp");
        Files.writeString(leftover, "From: half");

        Outbox reloaded = new Outbox(outboxDir);
        assertEquals(before, reloaded.messages(), "same messages, same order, same bytes");
        assertFalse(Files.exists(leftover));

        reloaded.clear();
        assertEquals(0, reloaded.size());
        assertEquals(0, new Outbox(outboxDir).size(), "clear deletes the files too");
    }

    @Test
    void subscribersAndWaitersSeeNewMessages() throws Exception {
        ses.verifyEmailIdentity(b -> b.emailAddress(SENDER));
        List<OutboxMessage> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = outbox.subscribe(seen::add)) {
            Thread sender = new Thread(() -> {
                ses.sendEmail(email("first", "1", null).build());
                ses.sendEmail(email("second", "2", null)
                    .destination(Destination.builder().toAddresses("other@example.net").build()).build());
            });
            sender.start();
            OutboxMessage second = outbox.awaitMessage(m -> m.to().contains("other@example.net"),
                Duration.ofSeconds(10));
            assertEquals("second", second.subject());
            assertEquals(2, outbox.awaitMessages(2, Duration.ofSeconds(10)).size());
            sender.join();
        }
        assertEquals(List.of("first", "second"), seen.stream().map(OutboxMessage::subject).toList());

        ses.sendEmail(email("third", "3", null).build());
        assertEquals(2, seen.size(), "closing the handle unsubscribes");
        IllegalStateException timeout = assertThrows(IllegalStateException.class,
            () -> outbox.awaitMessages(4, Duration.ofMillis(50)));
        assertTrue(timeout.getMessage().contains("4 messages"), timeout.getMessage());
    }

    @Test
    void sendQuotaCountsRecipientsOfTheLastDay() {
        ses.verifyEmailIdentity(b -> b.emailAddress(SENDER));
        ses.sendEmail(email("s", "t", null).destination(Destination.builder()
            .toAddresses("a@example.net", "b@example.net").bccAddresses("c@example.net").build()).build());
        GetSendQuotaResponse quota = ses.getSendQuota();
        assertEquals(200.0, quota.max24HourSend());
        assertEquals(1.0, quota.maxSendRate());
        assertEquals(3.0, quota.sentLast24Hours());
    }

    @Test
    void invalidRequestsGetSesErrorCodes() {
        ses.verifyEmailIdentity(b -> b.emailAddress(SENDER));
        List<String> many = IntStream.range(0, 51).mapToObj(i -> "r" + i + "@example.net").toList();
        SesException tooMany = assertThrows(SesException.class, () -> ses.sendEmail(email("s", "t", null)
            .destination(Destination.builder().toAddresses(many).build()).build()));
        assertEquals("InvalidParameterValue", tooMany.awsErrorDetails().errorCode());

        SesException badAddress = assertThrows(SesException.class, () -> ses.sendEmail(email("s", "t", null)
            .destination(Destination.builder().toAddresses("not-an-address").build()).build()));
        assertEquals("InvalidParameterValue", badAddress.awsErrorDetails().errorCode());
        assertEquals("Missing final '@domain'", badAddress.awsErrorDetails().errorMessage());
        assertEquals(0, outbox.size());
    }

    @Test
    void aMessageThatCannotBeStoredIsAnErrorAndNotSent() throws Exception {
        ses.verifyEmailIdentity(b -> b.emailAddress(SENDER));
        Path outboxDir = dir.resolve("outbox");
        Files.delete(outboxDir);
        Files.writeString(outboxDir, "a file where the outbox directory should be");

        SesException e = assertThrows(SesException.class, () -> ses.sendEmail(email("s", "t", null).build()));
        assertEquals(500, e.statusCode());
        assertEquals("InternalFailure", e.awsErrorDetails().errorCode());
        assertEquals(0, outbox.size());
    }

    private static void assertNotNullRecent(OutboxMessage m) {
        Duration age = Duration.between(m.sentAt(), java.time.Instant.now());
        assertFalse(age.isNegative(), "sentAt in the future: " + m.sentAt());
        assertTrue(age.compareTo(Duration.ofMinutes(1)) < 0, "sentAt too old: " + m.sentAt());
    }
}
