package com.warehouseexport.localaws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The URL-connection client reports a keep-alive connection the server has just closed ("Unexpected end of file
 * from server" while sending a body) as an {@link UncheckedIOException}, which the SDK's retry stage does not
 * catch, so the call fails at once. Handing the SDK the {@link IOException} inside lets its retry strategy retry
 * it on a fresh connection, as it does for every other I/O error. (The functions' copy is shared-model's
 * {@code model.aws.RetryableIoHttpClient}: local-aws does not depend on the application.)
 */
final class RetryableIoHttpClient implements SdkHttpClient {
    private final SdkHttpClient delegate;

    RetryableIoHttpClient(SdkHttpClient delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest prepared = delegate.prepareRequest(request);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                try {
                    return prepared.call();
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }

            @Override
            public void abort() {
                prepared.abort();
            }
        };
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
