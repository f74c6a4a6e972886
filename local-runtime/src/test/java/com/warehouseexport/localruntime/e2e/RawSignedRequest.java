package com.warehouseexport.localruntime.e2e;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Any request, signed by the AWS SDK's {@code AwsV4HttpSigner} for any region, service and signing time, which a test
 * may then alter (drop a header, change the body) before sending it with {@code java.net.http}: the tampering cases
 * of API Gateway's IAM authorization, and the fuzz suite's hostile requests.
 */
final class RawSignedRequest {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final String method;
    private final URI uri;
    /** The headers to send, signed ones included; mutable. */
    final Map<String, String> headers;
    byte[] body;

    private RawSignedRequest(String method, URI uri, Map<String, String> headers, byte[] body) {
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.body = body;
    }

    /** Signs {@code method base+rawPath} with these headers and body (null: none) as the partner. */
    static RawSignedRequest sign(URI base, Partner partner, String method, String rawPath, Map<String, String> headers,
                                 byte[] body, String region, String service, Clock clock) {
        URI uri = URI.create(base.toString().replaceAll("/$", "") + rawPath);
        byte[] bytes = body == null ? new byte[0] : body;
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method))
            .uri(uri);
        headers.forEach(unsigned::putHeader);
        SdkHttpRequest signed = SIGNER.sign(r -> r
            .identity(AwsCredentialsIdentity.create(partner.accessKeyId(), partner.secretAccessKey()))
            .request(unsigned.build())
            .payload(ContentStreamProvider.fromByteArray(bytes))
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(HttpSigner.SIGNING_CLOCK, clock)).request();
        Map<String, String> sent = new LinkedHashMap<>();
        signed.forEachHeader((name, values) -> {
            // java.net.http sets Host itself (the value the signer signed) and refuses it as a header
            if (!name.equalsIgnoreCase("Host")) {
                sent.put(name, String.join(",", values));
            }
        });
        return new RawSignedRequest(method, uri, sent, body);
    }

    static RawSignedRequest sign(URI base, Partner partner, String method, String rawPath, Map<String, String> headers,
                                 String body) {
        return sign(base, partner, method, rawPath, headers, body == null ? null
            : body.getBytes(StandardCharsets.UTF_8), SignedApi.REGION, SignedApi.SERVICE, Clock.systemUTC());
    }

    void removeHeader(String name) {
        new ArrayList<>(headers.keySet()).stream().filter(name::equalsIgnoreCase).forEach(headers::remove);
    }

    HttpReply send() {
        HttpRequest.Builder http = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(http::header);
        return PlainHttp.send(http.build());
    }

    @Override
    public String toString() {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        return method + " " + uri.getRawPath() + " " + headersForDisplay() + " "
            + (text.length() > 300 ? text.substring(0, 300) + "… (" + body.length + " bytes)" : text);
    }

    private List<String> headersForDisplay() {
        List<String> shown = new ArrayList<>();
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Authorization")) {
                shown.add(name + ": " + (value.length() > 80 ? value.substring(0, 80) + "…" : value));
            }
        });
        return shown;
    }
}
