package com.warehouseexport.localaws.ses;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/** Builds and reads the MIME messages of the outbox (Jakarta Mail does the RFC 5322 / 2045 / 2047 work). */
final class MimeMail {
    /** Envelope facts a delivery agent would record; headers so that the .eml file alone is the whole record. */
    static final String ID_HEADER = "X-Outbox-Message-Id";
    static final String SENT_AT_HEADER = "X-Outbox-Sent-At";
    static final String SOURCE_HEADER = "X-Outbox-Source";
    static final String DESTINATIONS_HEADER = "X-Outbox-Destinations";

    private static final Session SESSION = Session.getInstance(new Properties());
    /** Raw messages may carry UTF-8 headers (RFC 6532); read them as such and write them back unchanged. */
    private static final Session PARSE_SESSION = Session.getInstance(utf8Headers());

    private static Properties utf8Headers() {
        Properties properties = new Properties();
        properties.setProperty("mail.mime.allowutf8", "true");
        return properties;
    }

    private MimeMail() {
    }

    /** A text with the charset the caller asked for (SES's {@code Content}: {@code Data} and {@code Charset}). */
    record Content(String data, String charset) {
        Content {
            charset = supportedCharset(charset);
        }

        private static String supportedCharset(String name) {
            try {
                if (name != null && !name.isBlank() && Charset.isSupported(name)) {
                    return name;
                }
            } catch (IllegalCharsetNameException e) {
                // fall through to UTF-8, as an unknown charset cannot encode anything
            }
            return StandardCharsets.UTF_8.name();
        }
    }

    static InternetAddress address(String text) throws AddressException {
        InternetAddress parsed = new InternetAddress(text.trim(), false);
        parsed.validate();
        try {
            // Parsing takes the text as already encoded; building anew RFC 2047-encodes a non-ASCII name.
            return new InternetAddress(parsed.getAddress(), parsed.getPersonal(), StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The form kept in {@link OutboxMessage}: {@code Name <a@b>} (decoded) or {@code a@b}. */
    static String display(InternetAddress address) {
        return address.toUnicodeString();
    }

    /** Composes what SendEmail sends: one text/plain or text/html part, or multipart/alternative with both. */
    static MimeMessage compose(InternetAddress from, List<InternetAddress> to, List<InternetAddress> cc,
                               List<InternetAddress> replyTo, Content subject, Content text, Content html)
            throws MessagingException {
        MimeMessage message = new MimeMessage(SESSION);
        message.setFrom(from);
        if (!to.isEmpty()) {
            message.setRecipients(RecipientType.TO, to.toArray(Address[]::new));
        }
        if (!cc.isEmpty()) {
            message.setRecipients(RecipientType.CC, cc.toArray(Address[]::new));
        }
        if (!replyTo.isEmpty()) {
            message.setReplyTo(replyTo.toArray(Address[]::new));
        }
        message.setSubject(subject.data(), subject.charset());
        if (text != null && html != null) {
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(textPart(text, "plain"));
            alternative.addBodyPart(textPart(html, "html"));
            message.setContent(alternative);
        } else if (html != null) {
            message.setText(crlf(html.data()), html.charset(), "html");
        } else {
            Content body = text == null ? new Content("", null) : text;
            message.setText(crlf(body.data()), body.charset(), "plain");
        }
        // Fixes Content-Type/-Transfer-Encoding now; the outbox then sets Message-ID and Date, which a later
        // saveChanges would overwrite.
        message.saveChanges();
        return message;
    }

    private static MimeBodyPart textPart(Content content, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(crlf(content.data()), content.charset(), subtype);
        return part;
    }

    /** RFC 5322 lines end in CRLF; a 7bit body is written as given, so the line breaks are fixed here. */
    private static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    static MimeMessage parse(byte[] raw) throws MessagingException {
        return new MimeMessage(PARSE_SESSION, new ByteArrayInputStream(raw));
    }

    /** Stamps the envelope and SES's Message-ID/Date onto the message and returns its bytes. */
    static byte[] stamp(MimeMessage message, String id, Instant sentAt, InternetAddress source,
                        List<InternetAddress> destinations) throws MessagingException, IOException {
        message.setHeader("Message-ID", "<" + id + "@email.amazonses.com>");
        message.setSentDate(Date.from(sentAt));
        message.setHeader(ID_HEADER, id);
        message.setHeader(SENT_AT_HEADER, sentAt.toString());
        message.setHeader(SOURCE_HEADER, source.toString());
        message.setHeader(DESTINATIONS_HEADER,
            MimeUtility.fold(DESTINATIONS_HEADER.length() + 2, InternetAddress.toString(
                destinations.toArray(Address[]::new))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    /** Reads a stored message back; the envelope comes from the headers {@link #stamp} wrote. */
    static OutboxMessage read(byte[] stored) throws MessagingException, IOException {
        MimeMessage message = parse(stored);
        String id = requiredHeader(message, ID_HEADER);
        Instant sentAt = Instant.parse(requiredHeader(message, SENT_AT_HEADER));
        String source = display(InternetAddress.parseHeader(requiredHeader(message, SOURCE_HEADER), false)[0]);
        List<String> destinations = displayAll(InternetAddress.parseHeader(
            MimeUtility.unfold(requiredHeader(message, DESTINATIONS_HEADER)), false));
        List<String> to = displayAll(message.getRecipients(RecipientType.TO));
        List<String> cc = displayAll(message.getRecipients(RecipientType.CC));
        List<String> bcc = blindCopies(displayAll(message.getRecipients(RecipientType.BCC)), to, cc, destinations);
        List<String> replyTo = message.getHeader("Reply-To", ",") == null
            ? List.of() : displayAll(message.getReplyTo());
        Bodies bodies = new Bodies();
        bodies.collect(message);
        return new OutboxMessage(id, source, displayAll(message.getFrom()), to, cc, bcc, replyTo, destinations,
            message.getSubject(), bodies.text, bodies.html, sentAt, stored);
    }

    /** Bcc header entries plus every envelope recipient that no To/Cc header shows. */
    private static List<String> blindCopies(List<String> bccHeader, List<String> to, List<String> cc,
                                            List<String> destinations) {
        Set<String> shown = new LinkedHashSet<>();
        to.forEach(a -> shown.add(bareAddress(a)));
        cc.forEach(a -> shown.add(bareAddress(a)));
        List<String> bcc = new ArrayList<>(bccHeader);
        bccHeader.forEach(a -> shown.add(bareAddress(a)));
        for (String destination : destinations) {
            if (shown.add(bareAddress(destination))) {
                bcc.add(destination);
            }
        }
        return bcc;
    }

    static String bareAddress(String display) {
        try {
            return new InternetAddress(display, false).getAddress().toLowerCase(Locale.ROOT);
        } catch (AddressException e) {
            return display.toLowerCase(Locale.ROOT);
        }
    }

    private static String requiredHeader(MimeMessage message, String name) throws MessagingException {
        String value = message.getHeader(name, null);
        if (value == null) {
            throw new MessagingException("missing header " + name);
        }
        return value;
    }

    static List<String> displayAll(Address[] addresses) {
        List<String> out = new ArrayList<>();
        if (addresses != null) {
            for (Address address : addresses) {
                out.add(address instanceof InternetAddress ia ? display(ia) : address.toString());
            }
        }
        return out;
    }

    /** The first text/plain and the first text/html that are not attachments, line breaks as \n. */
    private static final class Bodies {
        String text;
        String html;

        void collect(Part part) throws MessagingException, IOException {
            if (part.isMimeType("multipart/*")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    collect(child);
                }
            } else if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return;
            } else if (text == null && part.isMimeType("text/plain")) {
                text = lf(decodedText(part));
            } else if (html == null && part.isMimeType("text/html")) {
                html = lf(decodedText(part));
            }
        }

        /** A charset Java does not know must not make a raw message unreadable: read it as UTF-8 then. */
        private static String decodedText(Part part) throws MessagingException, IOException {
            try {
                return (String) part.getContent();
            } catch (UnsupportedEncodingException e) {
                try (var in = part.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }

        private static String lf(String text) {
            return text.replace("\r\n", "\n");
        }
    }
}
