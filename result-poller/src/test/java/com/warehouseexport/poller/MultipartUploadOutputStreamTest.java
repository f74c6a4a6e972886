package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.warehouseexport.localaws.junit.LocalAwsTest;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

@LocalAwsTest
class MultipartUploadOutputStreamTest {
    private static final int PART = MultipartUploadOutputStream.MIN_PART_SIZE;

    private static String newBucket(S3Client s3, String name) {
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void splitsAtPartBoundariesAndReassemblesTheObject(S3Client s3) throws IOException {
        String bucket = newBucket(s3, "multipart-boundaries");
        // two full parts and a short last one, written in odd-sized chunks and single bytes
        byte[] data = randomBytes(2 * PART + 12_345, 1);
        MultipartUploadOutputStream out = new MultipartUploadOutputStream(s3, bucket, "a/object.bin", "application/zip", PART);
        int position = 0;
        int chunk = 1;
        while (position < data.length) {
            int length = Math.min(chunk, data.length - position);
            if (length == 1) {
                out.write(data[position]);
            } else {
                out.write(data, position, length);
            }
            position += length;
            chunk = chunk * 7 % 1_000_003 + 1;
        }
        assertEquals(2, out.partsUploaded(), "two full buffers are sent before close");
        out.close();
        assertEquals(3, out.partsUploaded());
        assertEquals(data.length, out.bytesWritten());

        ResponseBytes<GetObjectResponse> stored = s3.getObjectAsBytes(b -> b.bucket(bucket).key("a/object.bin"));
        assertArrayEquals(data, stored.asByteArray());
        assertEquals("application/zip", stored.response().contentType());
        assertNoPendingUploads(s3, bucket);
    }

    @Test
    void exactMultipleOfThePartSizeNeedsNoEmptyExtraPart(S3Client s3) throws IOException {
        String bucket = newBucket(s3, "multipart-exact");
        byte[] data = randomBytes(PART, 2);
        MultipartUploadOutputStream out = new MultipartUploadOutputStream(s3, bucket, "exact.bin", "application/zip", PART);
        out.write(data);
        out.close();
        assertEquals(1, out.partsUploaded());
        assertArrayEquals(data, s3.getObjectAsBytes(b -> b.bucket(bucket).key("exact.bin")).asByteArray());
    }

    @Test
    void smallAndEmptyObjectsAreOnePart(S3Client s3) throws IOException {
        String bucket = newBucket(s3, "multipart-small");
        MultipartUploadOutputStream small = new MultipartUploadOutputStream(s3, bucket, "small.bin", "text/plain");
        small.write("hello".getBytes());
        small.close();
        assertEquals("hello", s3.getObjectAsBytes(b -> b.bucket(bucket).key("small.bin")).asUtf8String());

        MultipartUploadOutputStream empty = new MultipartUploadOutputStream(s3, bucket, "empty.bin", "text/plain");
        empty.close();
        assertEquals(1, empty.partsUploaded());
        assertEquals(0, s3.getObjectAsBytes(b -> b.bucket(bucket).key("empty.bin")).asByteArray().length);
    }

    @Test
    void abortAfterPartsLeavesNoObjectAndNoUpload(S3Client s3) throws IOException {
        String bucket = newBucket(s3, "multipart-abort");
        MultipartUploadOutputStream out = new MultipartUploadOutputStream(s3, bucket, "partial.bin", "application/zip", PART);
        out.write(randomBytes(PART + 10, 3));
        assertEquals(1, out.partsUploaded());
        assertEquals(1, s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().size(), "upload in progress");

        out.abort();
        assertTrue(out.isAborted());
        assertNoPendingUploads(s3, bucket);
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key("partial.bin")));
        assertThrows(IOException.class, () -> out.write(1), "an aborted stream refuses writes");
        assertThrows(IOException.class, out::close, "an aborted stream cannot be completed");
        assertThrows(NoSuchKeyException.class, () -> s3.headObject(b -> b.bucket(bucket).key("partial.bin")));
    }

    @Test
    void failingPartUploadAbortsAndReportsIOException(S3Client s3) {
        // The bucket does not exist: the first part (creating the upload) fails when the buffer fills.
        MultipartUploadOutputStream out =
                new MultipartUploadOutputStream(s3, "multipart-no-such-bucket", "x.bin", "application/zip", PART);
        IOException failure = assertThrows(IOException.class, () -> out.write(randomBytes(PART, 4)));
        assertTrue(failure.getMessage().contains("part 1"), failure.getMessage());
        assertTrue(out.isAborted());
        assertThrows(IOException.class, () -> out.write(1));
    }

    @Test
    void failureOnCloseAbortsTheUpload(S3Client s3) throws IOException {
        String bucket = newBucket(s3, "multipart-close-fails");
        MultipartUploadOutputStream out = new MultipartUploadOutputStream(s3, bucket, "gone.bin", "application/zip", PART);
        out.write(randomBytes(PART, 5));
        assertEquals(1, out.partsUploaded());
        // Someone aborts the upload under us: completing it must fail and leave nothing.
        ListMultipartUploadsResponse uploads = s3.listMultipartUploads(b -> b.bucket(bucket));
        s3.abortMultipartUpload(b -> b.bucket(bucket).key("gone.bin").uploadId(uploads.uploads().get(0).uploadId()));
        assertThrows(IOException.class, out::close);
        assertTrue(out.isAborted());
        assertFalse(s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().anyMatch(o -> o.key().equals("gone.bin")));
    }

    @Test
    void refusesPartsBelowTheS3Minimum(S3Client s3) {
        assertThrows(IllegalArgumentException.class,
                () -> new MultipartUploadOutputStream(s3, "b", "k", "application/zip", PART - 1));
    }

    private static void assertNoPendingUploads(S3Client s3, String bucket) {
        assertEquals(0, s3.listMultipartUploads(b -> b.bucket(bucket)).uploads().size(), "no upload left behind");
    }
}
