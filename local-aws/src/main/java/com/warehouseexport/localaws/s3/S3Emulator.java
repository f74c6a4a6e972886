package com.warehouseexport.localaws.s3;

import com.warehouseexport.localaws.Ports;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * S3Proxy, in-process, with SigV2/SigV4 authorization enforced: a tampered or expired presigned URL is refused
 * as S3 refuses it. Presigned URLs are valid only for the exact host:port they were signed for.
 */
public final class S3Emulator implements AutoCloseable {
    private final S3Proxy proxy;

    private S3Emulator(S3Proxy proxy) {
        this.proxy = proxy;
    }

    /** {@code preferredPort} 0 or taken: any free port. */
    public static S3Emulator start(Path dataDir, String accessKey, String secretKey, int preferredPort)
            throws Exception {
        BlobStore store;
        if (dataDir == null) {
            store = new TransientNio2BlobStore();
        } else {
            Path dir = Files.createDirectories(dataDir.resolve("s3"));
            store = new FilesystemNio2BlobStore(dir.toAbsolutePath().toString());
        }
        S3Proxy proxy = S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:" + Ports.preferredOrFree(preferredPort)))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .stopTimeout(0)
            .build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(2);
        }
        return new S3Emulator(proxy);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
