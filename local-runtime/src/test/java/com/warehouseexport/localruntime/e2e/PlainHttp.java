package com.warehouseexport.localruntime.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Unsigned HTTP: what a browser does with a link, or a caller that forgot to sign. */
final class PlainHttp {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Follows redirects as a browser does (the emailed link answers 302 to a presigned S3 URL). */
    static final HttpClient BROWSER = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private PlainHttp() {
    }

    static HttpReply get(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
    }

    static HttpReply postJson(URI uri, String json) {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** The body's bytes after any redirects, as a browser gets them; fails unless the answer is 200. */
    static byte[] download(URI uri) {
        HttpResponse<byte[]> response = call(BROWSER, HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + uri + " answered " + response.statusCode() + ": "
                + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }

    static HttpReply send(HttpRequest request) {
        HttpResponse<String> response = call(CLIENT, request,
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new HttpReply(response.statusCode(), response.headers().map(), response.body());
    }

    private static <T> HttpResponse<T> call(HttpClient client, HttpRequest request,
                                            HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
