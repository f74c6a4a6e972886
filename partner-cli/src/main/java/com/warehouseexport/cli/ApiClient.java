package com.warehouseexport.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** SigV4-signed calls to the export API (service {@code execute-api}), sent with {@code java.net.http}. */
public final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final HttpClient http;

    public ApiClient(URI endpoint, String region, AwsCredentialsProvider credentials, HttpClient http) {
        // paths resolve below the endpoint, which may carry a stage (https://…/v1)
        this.endpoint = URI.create(endpoint.toString().replaceAll("/+$", ""));
        this.region = region;
        this.credentials = credentials;
        this.http = http;
    }

    /** The answer of a call, whatever its status. */
    public record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body.isEmpty() ? "{}" : body);
            } catch (IOException e) {
                throw new CliException(ExitCode.SERVER_OR_NETWORK, "the API answered " + status + " with a body "
                    + "that is not JSON: " + abbreviate(body));
            }
        }
    }

    public Reply get(String path) {
        return send(SdkHttpMethod.GET, path, null);
    }

    public Reply postJson(String path, String json) {
        return send(SdkHttpMethod.POST, path, json);
    }

    public Reply delete(String path) {
        return send(SdkHttpMethod.DELETE, path, null);
    }

    /** The JSON body of a 2xx answer; any other answer becomes the matching {@link CliException}. */
    public JsonNode expectSuccess(String what, Reply reply) {
        if (reply.status() / 100 == 2) {
            return reply.json();
        }
        throw failure(what, reply);
    }

    static CliException failure(String what, Reply reply) {
        String detail = describeError(reply);
        ExitCode code = reply.status() >= 400 && reply.status() < 500 ? ExitCode.API_ERROR : ExitCode.SERVER_OR_NETWORK;
        return new CliException(code, what + " failed: HTTP " + reply.status() + " " + detail);
    }

    /** {@code error: message} of the service's errors, or API Gateway's {@code message}. */
    static String describeError(Reply reply) {
        try {
            JsonNode body = JSON.readTree(reply.body());
            if (body != null && body.hasNonNull("error")) {
                return body.path("error").asText() + ": " + body.path("message").asText();
            }
            if (body != null && body.hasNonNull("message")) {
                return body.path("message").asText();
            }
        } catch (IOException notJson) {
            // shown as it came
        }
        return abbreviate(reply.body());
    }

    private Reply send(SdkHttpMethod method, String path, String body) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder().method(method)
            .uri(URI.create(endpoint + path));
        if (body != null) {
            unsigned.putHeader("Content-Type", "application/json");
        }
        SdkHttpRequest signed;
        try {
            AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
            signed = SIGNER.sign(r -> r.identity(identity).request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)).request();
        } catch (RuntimeException e) {
            throw new CliException(ExitCode.USAGE, "no AWS credentials to sign with (" + rootMessage(e) + "); set "
                + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --profile / AWS_PROFILE", e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.getUri()).timeout(TIMEOUT)
            .method(method.name(), body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(bytes));
        // java.net.http sets Host itself (the value that was signed) and refuses it as a header
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            HttpResponse<String> response = http.send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new CliException(ExitCode.SERVER_OR_NETWORK, method + " " + signed.getUri() + " failed: "
                + rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.SERVER_OR_NETWORK, "interrupted", e);
        }
    }

    static String rootMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "cannot connect (is the endpoint right and reachable?)";
            }
            if (t instanceof java.net.http.HttpTimeoutException) {
                return "timed out";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName()
            : root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static String abbreviate(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }
}
