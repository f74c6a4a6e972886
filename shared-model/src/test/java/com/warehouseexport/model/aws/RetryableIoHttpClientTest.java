package com.warehouseexport.model.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** A real S3 client over a transport that drops the first connection the way the URL-connection client does. */
class RetryableIoHttpClientTest {

    /** Fails the first {@code failures} calls with the URL-connection client's unchecked error, then answers 200. */
    private static final class DroppingTransport implements SdkHttpClient {
        final AtomicInteger calls = new AtomicInteger();
        private final int failures;

        DroppingTransport(int failures) {
            this.failures = failures;
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() {
                    if (calls.incrementAndGet() <= failures) {
                        throw new UncheckedIOException(new SocketException("Unexpected end of file from server"));
                    }
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200).putHeader("ETag", "\"e\"").build())
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }

    private static S3Client s3(SdkHttpClient http) {
        return S3Client.builder().httpClient(http).region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:9")).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
    }

    @Test
    void aDroppedConnectionIsRetriedBySdk() {
        DroppingTransport transport = new DroppingTransport(1);
        try (S3Client s3 = s3(new RetryableIoHttpClient(transport))) {
            s3.putObject(b -> b.bucket("bucket").key("key"), RequestBody.fromString("body"));
        }
        assertEquals(2, transport.calls.get(), "the second attempt went through");
    }

    @Test
    void withoutItTheSdkGivesUpAtOnce() {
        DroppingTransport transport = new DroppingTransport(1);
        try (S3Client s3 = s3(transport)) {
            assertThrows(UncheckedIOException.class,
                    () -> s3.putObject(b -> b.bucket("bucket").key("key"), RequestBody.fromString("body")));
        }
        assertEquals(1, transport.calls.get());
    }

    @Test
    void aConnectionThatKeepsFailingEndsAsTheSdksClientError() {
        DroppingTransport transport = new DroppingTransport(100);
        try (S3Client s3 = s3(new RetryableIoHttpClient(transport))) {
            SdkClientException e = assertThrows(SdkClientException.class,
                    () -> s3.putObject(b -> b.bucket("bucket").key("key"), RequestBody.fromString("body")));
            assertTrue(e.getCause() instanceof IOException, e::toString);
        }
        // retried, and only as often as the SDK's retry strategy allows (S3's default: 4 attempts)
        assertTrue(transport.calls.get() > 1 && transport.calls.get() < 10, () -> transport.calls + " attempts");
    }
}
