package com.warehouseexport.localruntime.apigateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

/**
 * API Gateway's {@code AWS_IAM} authorization: checks the request's SigV4 Authorization header for service
 * {@code execute-api} in the configured region by signing the received request again with the AWS SDK's own signer
 * and the caller's secret, and comparing the signatures in constant time. Rejections carry API Gateway's own
 * status, error type and message.
 *
 * <p>The SDK's {@code Aws4Signer} (module {@code auth}) is used rather than the newer {@code AwsV4HttpSigner}: the
 * newer one always adds and signs an {@code x-amz-content-sha256} header, so it cannot reproduce a signature over
 * exactly the headers a client signed (curl signs only {@code host;x-amz-date}). Aws4Signer signs exactly the
 * headers it is given, which here are the client's SignedHeaders with the received values.
 */
@SuppressWarnings("deprecation")
public final class SigV4Verifier {
    static final String SERVICE = "execute-api";
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(ZoneOffset.UTC);

    private final Principals principals;
    private final String region;
    private final Clock clock;
    private final Aws4Signer signer = Aws4Signer.create();

    public SigV4Verifier(Principals principals, String region, Clock clock) {
        this.principals = principals;
        this.region = region;
        this.clock = clock;
    }

    /** The parts of a received request the signature covers; header names in any case. */
    public record ReceivedRequest(String method, String host, String rawPath, String rawQuery,
                                  Map<String, List<String>> headers, byte[] body) {
        Optional<String> header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                    return Optional.of(entry.getValue().get(0));
                }
            }
            return Optional.empty();
        }

        List<String> headerValues(String name) {
            List<String> values = new ArrayList<>();
            headers.forEach((key, list) -> {
                if (key.equalsIgnoreCase(name)) {
                    values.addAll(list);
                }
            });
            return values;
        }
    }

    /** Either the verified caller or API Gateway's rejection. */
    public sealed interface Outcome permits Verified, Rejected {
    }

    public record Verified(Principal principal) implements Outcome {
    }

    public record Rejected(int status, String errorType, String message) implements Outcome {
    }

    public static final Rejected MISSING_TOKEN = new Rejected(403, "MissingAuthenticationTokenException",
        "Missing Authentication Token");
    public static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the "
        + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
        + "documentation for details.";

    public Outcome verify(ReceivedRequest request) {
        Optional<String> authorization = request.header("Authorization");
        if (authorization.isEmpty()) {
            return MISSING_TOKEN;
        }
        String header = authorization.get().trim();
        if (!header.startsWith(ALGORITHM + " ")) {
            return incomplete("Authorization header requires 'Credential' parameter. Authorization header requires "
                + "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization "
                + "header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + header);
        }
        Map<String, String> parts = authorizationParts(header.substring(ALGORITHM.length() + 1));
        List<String> missing = new ArrayList<>();
        for (String part : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!parts.containsKey(part)) {
                missing.add("Authorization header requires '" + part + "' parameter.");
            }
        }
        Optional<String> amzDate = request.header("X-Amz-Date");
        if (amzDate.isEmpty()) {
            missing.add("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (!missing.isEmpty()) {
            return incomplete(String.join(" ", missing) + " Authorization=" + header);
        }
        String[] credential = parts.get("Credential").split("/");
        if (credential.length != 5 || !credential[4].equals("aws4_request")) {
            return invalidSignature("Credential should be scoped to a valid region. ");
        }
        Optional<Principal> principal = principals.byAccessKey(credential[0]);
        if (principal.isEmpty()) {
            return new Rejected(403, "UnrecognizedClientException",
                "The security token included in the request is invalid.");
        }
        Instant signedAt;
        try {
            signedAt = AMZ_DATE.parse(amzDate.get(), Instant::from);
        } catch (DateTimeParseException e) {
            return incomplete("Date must be in ISO-8601 'basic format'. Got '" + amzDate.get() + "'. See "
                + "http://en.wikipedia.org/wiki/ISO_8601");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (signedAt.isBefore(now.minus(MAX_SKEW))) {
            return invalidSignature("Signature expired: " + AMZ_DATE.format(signedAt) + " is now earlier than "
                + AMZ_DATE.format(now.minus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " - 5 min.)");
        }
        if (signedAt.isAfter(now.plus(MAX_SKEW))) {
            return invalidSignature("Signature not yet current: " + AMZ_DATE.format(signedAt) + " is still later "
                + "than " + AMZ_DATE.format(now.plus(MAX_SKEW)) + " (" + AMZ_DATE.format(now) + " + 5 min.)");
        }
        if (!credential[1].equals(amzDate.get().substring(0, 8))) {
            return invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                + "from HTTP: '" + credential[1] + "' != '" + amzDate.get().substring(0, 8) + "', from '"
                + amzDate.get() + "'.");
        }
        if (!credential[2].equals(region)) {
            return invalidSignature("Credential should be scoped to a valid region. ");
        }
        if (!credential[3].equals(SERVICE)) {
            return invalidSignature("Credential should be scoped to correct service: '" + SERVICE + "'. ");
        }
        String expected = expectedSignature(request, parts.get("SignedHeaders"), principal.get(), signedAt);
        boolean matches = expected != null && MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.US_ASCII),
            parts.get("Signature").toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        return matches ? new Verified(principal.get()) : invalidSignature(SIGNATURE_MISMATCH);
    }

    /** Signs the received request again (only its signed headers) and returns the hex signature. */
    private String expectedSignature(ReceivedRequest request, String signedHeaders, Principal principal,
                                     Instant signedAt) {
        List<String> names = List.of(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
        if (!names.contains("host")) {
            return null;
        }
        String host = request.host();
        int port = -1;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
            port = Integer.parseInt(host.substring(colon + 1));
            host = host.substring(0, colon);
        }
        SdkHttpFullRequest.Builder builder = SdkHttpFullRequest.builder()
            .method(SdkHttpMethod.fromValue(request.method()))
            .protocol("http")
            .host(host)
            .port(port < 0 ? 80 : port)
            .encodedPath(request.rawPath().isEmpty() ? "/" : request.rawPath())
            .contentStreamProvider(ContentStreamProvider.fromByteArray(request.body()));
        queryParameters(request.rawQuery()).forEach(builder::putRawQueryParameter);
        for (String name : names) {
            if (!name.equals("host")) {
                List<String> values = request.headerValues(name);
                if (values.isEmpty()) {
                    return null;
                }
                builder.putHeader(name, values);
            }
        }
        Aws4SignerParams params = Aws4SignerParams.builder()
            .awsCredentials(AwsBasicCredentials.create(principal.accessKeyId(), principal.secretAccessKey()))
            .signingName(SERVICE)
            .signingRegion(Region.of(region))
            .signingClockOverride(Clock.fixed(signedAt, ZoneOffset.UTC))
            .doubleUrlEncode(true)
            .build();
        SdkHttpFullRequest signed = signer.sign(builder.build(), params);
        String authorization = signed.firstMatchingHeader("Authorization").orElse("");
        int at = authorization.indexOf("Signature=");
        return at < 0 ? null : authorization.substring(at + "Signature=".length()).trim();
    }

    /** Query parameters percent-decoded ('+' stays '+', as SigV4 canonicalisation treats it). */
    static Map<String, List<String>> queryParameters(String rawQuery) {
        Map<String, List<String>> parameters = new TreeMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
            parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }

    private static Map<String, String> authorizationParts(String text) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return parts;
    }

    private static Rejected incomplete(String message) {
        return new Rejected(403, "IncompleteSignatureException", message);
    }

    private static Rejected invalidSignature(String message) {
        return new Rejected(403, "InvalidSignatureException", message);
    }
}
