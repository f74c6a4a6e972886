package com.warehouseexport.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** A partner's SigV4-signed calls (the SDK's signer), sent with java.net.http; safe for concurrent use. */
final class SignedClient {
    static final String PARTNER_KEY = "AKIDPARTNERA";
    static final String PARTNER_SECRET = "partner-a-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();

    SignedClient(URI base) {
        this.base = base;
    }

    Reply get(String path) {
        return send(SdkHttpMethod.GET, path, null);
    }

    Reply post(String path, String json) {
        return send(SdkHttpMethod.POST, path, json);
    }

    private Reply send(SdkHttpMethod method, String path, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder().method(method).uri(base.resolve(path));
        if (body != null) {
            unsigned.putHeader("Content-Type", "application/json");
        }
        SdkHttpRequest signed = SIGNER.sign(r -> r
            .identity(AwsCredentialsIdentity.create(PARTNER_KEY, PARTNER_SECRET))
            .request(unsigned.build())
            .payload(ContentStreamProvider.fromByteArray(bytes))
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
            .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.getUri()).timeout(Duration.ofSeconds(60))
            .method(method.name(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
