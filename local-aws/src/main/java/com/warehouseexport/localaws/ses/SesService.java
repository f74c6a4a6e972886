package com.warehouseexport.localaws.ses;

import com.warehouseexport.localaws.AtomicFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.warehouseexport.localaws.http.AwsServiceException;
import com.warehouseexport.localaws.http.QueryProtocolService;
import com.warehouseexport.localaws.http.Xml;
import jakarta.mail.Address;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Amazon SES v1 (query API 2010-12-01) as far as this project sends mail: SendEmail, SendRawEmail and the
 * identity calls. Identities are verified at once. Like an account in the SES sandbox, a message whose sender
 * is not a verified address (or an address of a verified domain or its subdomains) is rejected; recipients are
 * not checked. Sent messages go to the {@link Outbox}; verified identities persist in the state directory.
 */
public final class SesService implements QueryProtocolService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDENTITIES_FILE = "ses-identities.json";
    private static final int MAX_RECIPIENTS = 50;
    private static final int MAX_LIST_ITEMS = 1000;
    /** The sandbox quota of a new account. */
    private static final double MAX_24_HOUR_SEND = 200;
    private static final double MAX_SEND_RATE = 1;
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
        + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Set<String> ACTIONS = Set.of("SendEmail", "SendRawEmail", "VerifyEmailIdentity",
        "VerifyDomainIdentity", "ListIdentities", "DeleteIdentity",
        "GetIdentityVerificationAttributes", "GetSendQuota");

    private final Outbox outbox;
    private final Path identitiesFile;
    private final String region;
    /** Keyed by {@link #identityKey}: domains are case-insensitive, the local part of an address is not. */
    private final Map<String, Identity> identities = new LinkedHashMap<>();

    private record Identity(String name, String type, String verificationToken) {
        boolean isDomain() {
            return "Domain".equals(type);
        }
    }

    public SesService(Outbox outbox, Path stateDirOrNull) {
        this(outbox, stateDirOrNull, "us-east-1");
    }

    /** The region only shows in error texts (SES names it in MessageRejected). */
    public SesService(Outbox outbox, Path stateDirOrNull, String region) {
        this.outbox = outbox;
        this.region = region;
        this.identitiesFile = stateDirOrNull == null ? null : stateDirOrNull.resolve(IDENTITIES_FILE);
        if (identitiesFile != null) {
            loadIdentities();
        }
    }

    public Outbox outbox() {
        return outbox;
    }

    /** Verifies an address or a domain directly, as a test or a local run's set-up would. */
    public synchronized void verifyIdentity(String identity) {
        if (identity.contains("@")) {
            verifyEmail(identity);
        } else {
            verifyDomain(identity);
        }
    }

    @Override
    public Set<String> actions() {
        return ACTIONS;
    }

    @Override
    public String xmlNamespace() {
        return "http://ses.amazonaws.com/doc/2010-12-01/";
    }

    /**
     * Not synchronized as a whole: delivery tells the outbox's subscribers, and one of them may well call this
     * service again (from another thread, over HTTP). Only the identity methods hold the lock.
     */
    @Override
    public String handle(String action, Map<String, String> params) {
        return switch (action) {
            case "SendEmail" -> sendEmail(params);
            case "SendRawEmail" -> sendRawEmail(params);
            case "VerifyEmailIdentity" -> {
                verifyEmail(required(params, "EmailAddress"));
                yield "";
            }
            case "VerifyDomainIdentity" ->
                "<VerificationToken>" + Xml.escape(verifyDomain(required(params, "Domain"))) + "</VerificationToken>";
            case "ListIdentities" -> listIdentities(params);
            case "DeleteIdentity" -> deleteIdentity(required(params, "Identity"));
            case "GetIdentityVerificationAttributes" -> verificationAttributes(members(params, "Identities"));
            case "GetSendQuota" -> sendQuota();
            default -> throw new AwsServiceException(400, "InvalidAction", "The action " + action + " is not valid");
        };
    }

    // ---- sending

    private String sendEmail(Map<String, String> params) {
        InternetAddress source = address(required(params, "Source"));
        requireVerified(List.of(source));
        List<InternetAddress> to = addresses(members(params, "Destination.ToAddresses"));
        List<InternetAddress> cc = addresses(members(params, "Destination.CcAddresses"));
        List<InternetAddress> bcc = addresses(members(params, "Destination.BccAddresses"));
        List<InternetAddress> destinations = new ArrayList<>(to);
        destinations.addAll(cc);
        destinations.addAll(bcc);
        checkRecipientCount(destinations);
        MimeMail.Content subject = new MimeMail.Content(required(params, "Message.Subject.Data"),
            params.get("Message.Subject.Charset"));
        MimeMail.Content text = content(params, "Message.Body.Text");
        MimeMail.Content html = content(params, "Message.Body.Html");
        try {
            MimeMessage message = MimeMail.compose(source, to, cc,
                addresses(members(params, "ReplyToAddresses")), subject, text, html);
            return messageId(outbox.deliver(message, source, destinations));
        } catch (MessagingException e) {
            throw new AwsServiceException(400, "InvalidParameterValue", e.getMessage());
        }
    }

    private String sendRawEmail(Map<String, String> params) {
        byte[] raw;
        try {
            raw = Base64.getMimeDecoder().decode(required(params, "RawMessage.Data"));
        } catch (IllegalArgumentException e) {
            throw new AwsServiceException(400, "InvalidParameterValue", "RawMessage.Data is not valid base64");
        }
        try {
            MimeMessage message = MimeMail.parse(raw);
            List<InternetAddress> from = internetAddresses(message.getFrom());
            String sourceParam = params.get("Source");
            if ((sourceParam == null || sourceParam.isBlank()) && from.isEmpty()) {
                throw new AwsServiceException(400, "InvalidParameterValue", "Missing required header 'From'.");
            }
            InternetAddress source = sourceParam == null || sourceParam.isBlank()
                ? from.get(0) : address(sourceParam);
            List<InternetAddress> senders = new ArrayList<>(from);
            senders.add(0, source);
            requireVerified(senders);

            List<InternetAddress> destinations = addresses(members(params, "Destinations"));
            if (destinations.isEmpty()) {
                destinations.addAll(internetAddresses(message.getRecipients(RecipientType.TO)));
                destinations.addAll(internetAddresses(message.getRecipients(RecipientType.CC)));
                destinations.addAll(internetAddresses(message.getRecipients(RecipientType.BCC)));
            }
            checkRecipientCount(destinations);
            return messageId(outbox.deliver(message, source, destinations));
        } catch (MessagingException e) {
            throw new AwsServiceException(400, "InvalidParameterValue", e.getMessage());
        }
    }

    private static String messageId(OutboxMessage message) {
        return "<MessageId>" + Xml.escape(message.id()) + "</MessageId>";
    }

    private static MimeMail.Content content(Map<String, String> params, String prefix) {
        String data = params.get(prefix + ".Data");
        return data == null ? null : new MimeMail.Content(data, params.get(prefix + ".Charset"));
    }

    private static void checkRecipientCount(List<InternetAddress> destinations) {
        if (destinations.isEmpty()) {
            throw new AwsServiceException(400, "InvalidParameterValue", "Missing required header 'To'.");
        }
        if (destinations.size() > MAX_RECIPIENTS) {
            throw new AwsServiceException(400, "InvalidParameterValue",
                "Recipient count exceeds " + MAX_RECIPIENTS + ".");
        }
    }

    /** The sandbox rule for senders, with SES's own error text. */
    private synchronized void requireVerified(List<InternetAddress> senders) {
        Set<String> failed = new LinkedHashSet<>();
        for (InternetAddress sender : senders) {
            if (!isVerified(sender.getAddress())) {
                failed.add(MimeMail.display(sender));
            }
        }
        if (!failed.isEmpty()) {
            throw new AwsServiceException(400, "MessageRejected",
                "Email address is not verified. The following identities failed the check in region "
                    + region.toUpperCase(Locale.ROOT) + ": " + String.join(", ", failed));
        }
    }

    private boolean isVerified(String address) {
        if (identities.containsKey(identityKey(address))) {
            return true;
        }
        String domain = address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        for (Identity identity : identities.values()) {
            String verified = identity.name().toLowerCase(Locale.ROOT);
            if (identity.isDomain() && (domain.equals(verified) || domain.endsWith("." + verified))) {
                return true;
            }
        }
        return false;
    }

    // ---- identities

    private synchronized void verifyEmail(String emailAddress) {
        String address = address(emailAddress).getAddress();
        identities.putIfAbsent(identityKey(address), new Identity(address, "EmailAddress", null));
        saveIdentities();
    }

    private synchronized String verifyDomain(String domain) {
        if (!DOMAIN.matcher(domain).matches()) {
            throw new AwsServiceException(400, "InvalidParameterValue", "Invalid domain name " + domain + ".");
        }
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        Identity identity = identities.computeIfAbsent(identityKey(domain),
            k -> new Identity(domain, "Domain", Base64.getEncoder().encodeToString(token)));
        saveIdentities();
        return identity.verificationToken();
    }

    private synchronized String listIdentities(Map<String, String> params) {
        String type = params.get("IdentityType");
        if (type != null && !type.equals("EmailAddress") && !type.equals("Domain")) {
            throw new AwsServiceException(400, "ValidationError", "1 validation error detected: Value '" + type
                + "' at 'identityType' failed to satisfy constraint: Member must satisfy enum value set: "
                + "[EmailAddress, Domain]");
        }
        int maxItems = params.containsKey("MaxItems") ? intParam(params, "MaxItems") : MAX_LIST_ITEMS;
        maxItems = Math.max(1, Math.min(maxItems, MAX_LIST_ITEMS));
        int start = params.containsKey("NextToken") ? decodeToken(params.get("NextToken")) : 0;
        List<String> names = identities.values().stream()
            .filter(i -> type == null || i.type().equals(type))
            .map(Identity::name)
            .toList();
        StringBuilder xml = new StringBuilder("<Identities>");
        int end = Math.min(names.size(), start + maxItems);
        for (String name : names.subList(Math.min(start, names.size()), end)) {
            xml.append("<member>").append(Xml.escape(name)).append("</member>");
        }
        xml.append("</Identities>");
        if (end < names.size()) {
            xml.append("<NextToken>").append(encodeToken(end)).append("</NextToken>");
        }
        return xml.toString();
    }

    private synchronized String deleteIdentity(String identity) {
        if (identities.remove(identityKey(identity.trim())) != null) {
            saveIdentities();
        }
        return "";
    }

    /** Unknown identities are left out of the map, as SES does. */
    private synchronized String verificationAttributes(List<String> requested) {
        StringBuilder xml = new StringBuilder("<VerificationAttributes>");
        for (String name : requested) {
            Identity identity = identities.get(identityKey(name.trim()));
            if (identity == null) {
                continue;
            }
            xml.append("<entry><key>").append(Xml.escape(name)).append("</key><value>")
                .append("<VerificationStatus>Success</VerificationStatus>");
            if (identity.verificationToken() != null) {
                xml.append("<VerificationToken>").append(Xml.escape(identity.verificationToken()))
                    .append("</VerificationToken>");
            }
            xml.append("</value></entry>");
        }
        return xml.append("</VerificationAttributes>").toString();
    }

    /** SentLast24Hours counts recipients, as SES does. */
    private String sendQuota() {
        Instant since = Instant.now().minus(Duration.ofHours(24));
        long sent = outbox.messages().stream()
            .filter(m -> m.sentAt().isAfter(since))
            .mapToLong(m -> m.destinations().size())
            .sum();
        return "<Max24HourSend>" + MAX_24_HOUR_SEND + "</Max24HourSend><MaxSendRate>" + MAX_SEND_RATE
            + "</MaxSendRate><SentLast24Hours>" + (double) sent + "</SentLast24Hours>";
    }

    private static String identityKey(String identity) {
        int at = identity.lastIndexOf('@');
        return at < 0 ? identity.toLowerCase(Locale.ROOT)
            : identity.substring(0, at) + "@" + identity.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private void loadIdentities() {
        if (!Files.exists(identitiesFile)) {
            return;
        }
        try {
            for (JsonNode node : JSON.readTree(identitiesFile.toFile()).path("identities")) {
                String token = node.path("verificationToken").isTextual()
                    ? node.path("verificationToken").asText() : null;
                Identity identity = new Identity(node.path("identity").asText(), node.path("type").asText(), token);
                identities.put(identityKey(identity.name()), identity);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + identitiesFile, e);
        }
    }

    private void saveIdentities() {
        if (identitiesFile == null) {
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("identities");
        for (Identity identity : identities.values()) {
            ObjectNode node = list.addObject().put("identity", identity.name()).put("type", identity.type());
            if (identity.verificationToken() != null) {
                node.put("verificationToken", identity.verificationToken());
            }
        }
        try {
            Files.createDirectories(identitiesFile.getParent());
            AtomicFile.write(identitiesFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + identitiesFile, e);
        }
    }

    // ---- query parameters

    private static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) {
            String member = Character.toLowerCase(name.charAt(0)) + name.substring(1);
            throw new AwsServiceException(400, "ValidationError", "1 validation error detected: Value null at '"
                + member + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    /** A query-protocol list: {@code Prefix.member.1}, {@code Prefix.member.2}, ... */
    private static List<String> members(Map<String, String> params, String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 1; params.containsKey(prefix + ".member." + i); i++) {
            values.add(params.get(prefix + ".member." + i));
        }
        return values;
    }

    private static InternetAddress address(String text) {
        try {
            return MimeMail.address(text);
        } catch (AddressException e) {
            throw new AwsServiceException(400, "InvalidParameterValue", e.getMessage());
        }
    }

    private static List<InternetAddress> addresses(List<String> texts) {
        List<InternetAddress> out = new ArrayList<>();
        texts.forEach(t -> out.add(address(t)));
        return out;
    }

    private static List<InternetAddress> internetAddresses(Address[] addresses) {
        List<InternetAddress> out = new ArrayList<>();
        if (addresses != null) {
            for (Address a : addresses) {
                if (a instanceof InternetAddress ia) {
                    out.add(ia);
                }
            }
        }
        return out;
    }

    private static int intParam(Map<String, String> params, String name) {
        try {
            return Integer.parseInt(params.get(name));
        } catch (NumberFormatException e) {
            throw new AwsServiceException(400, "InvalidParameterValue", name + " must be an integer");
        }
    }

    private static String encodeToken(int offset) {
        return Base64.getEncoder().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeToken(String token) {
        try {
            String text = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            return Integer.parseInt(text.substring("offset:".length()));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new AwsServiceException(400, "InvalidParameterValue", "Invalid NextToken");
        }
    }
}
