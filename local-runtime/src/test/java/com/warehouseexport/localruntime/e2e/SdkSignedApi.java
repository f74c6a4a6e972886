package com.warehouseexport.localruntime.e2e;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Calls signed by the AWS SDK's own SigV4 signer ({@code AwsV4HttpSigner}), sent with {@code java.net.http}: the
 * way a Java partner would call the API. The signing clock can be set to sign "at another time".
 */
final class SdkSignedApi implements SignedApi {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final URI base;
    private final Partner partner;
    private final Clock clock;

    SdkSignedApi(URI base, Partner partner) {
        this(base, partner, Clock.systemUTC());
    }

    SdkSignedApi(URI base, Partner partner, Clock clock) {
        this.base = base;
        this.partner = partner;
        this.clock = clock;
    }

    @Override
    public HttpReply get(String path, Map<String, String> headers) {
        return send(SdkHttpMethod.GET, path, headers, null);
    }

    @Override
    public HttpReply postJson(String path, String json) {
        return send(SdkHttpMethod.POST, path, Map.of("Content-Type", "application/json"), json);
    }

    @Override
    public HttpReply delete(String path) {
        return send(SdkHttpMethod.DELETE, path, Map.of(), null);
    }

    private HttpReply send(SdkHttpMethod method, String path, Map<String, String> headers, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder().method(method).uri(base.resolve(path));
        headers.forEach(unsigned::putHeader);
        SdkHttpRequest signed = SIGNER.sign(r -> r
            .identity(AwsCredentialsIdentity.create(partner.accessKeyId(), partner.secretAccessKey()))
            .request(unsigned.build())
            .payload(ContentStreamProvider.fromByteArray(bytes))
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
            .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
            .putProperty(HttpSigner.SIGNING_CLOCK, clock)).request();

        HttpRequest.Builder http = HttpRequest.newBuilder(signed.getUri()).timeout(Duration.ofSeconds(60))
            .method(method.name(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        // java.net.http sets Host itself (127.0.0.1:<port>, the value the signer signed) and refuses it as a header
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> http.header(name, value));
            }
        });
        return PlainHttp.send(http.build());
    }
}
