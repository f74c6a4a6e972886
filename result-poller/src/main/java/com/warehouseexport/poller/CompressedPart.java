package com.warehouseexport.poller;

import com.warehouseexport.model.domain.Compression;
import io.airlift.compress.zstd.ZstdInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;

/**
 * Copies a compressed part into the zip byte for byte while decoding it on the way, so its CSV records can be
 * counted without a second read: the decoder pulls from a tee that writes every compressed byte it reads to the
 * zip. Gzip is the JDK's; zstd is aircompressor's pure-Java decoder (no native library in the function).
 */
final class CompressedPart {
    private static final int BUFFER = 64 * 1024;

    private CompressedPart() {
    }

    /** Copies {@code part} to {@code out} and feeds its decoded bytes to {@code counter}; returns the bytes copied. */
    static long copyCounting(InputStream part, OutputStream out, Compression compression, RecordCounter counter)
            throws IOException {
        Tee tee = new Tee(part, out);
        InputStream decoded = switch (compression) {
            case GZIP -> new GZIPInputStream(tee, BUFFER);
            case ZSTD -> new ZstdInputStream(tee);
            case NONE -> throw new IllegalArgumentException("not compressed");
        };
        byte[] buffer = new byte[BUFFER];
        for (int read; (read = decoded.read(buffer)) >= 0; ) {
            counter.update(buffer, 0, read);
        }
        // whatever follows the last frame (nothing, normally) still belongs in the archive
        tee.drain();
        return tee.copied;
    }

    /**
     * Copies the decoded bytes of a gzip part to {@code out}, feeding them to {@code counter} when given; returns the
     * part's own bytes. Every gzip member is read (see {@link Tee#available()}), and anything after the last one is
     * drained.
     */
    static long copyDecoded(InputStream part, OutputStream out, RecordCounter counter) throws IOException {
        Tee tee = new Tee(part, OutputStream.nullOutputStream());
        try (InputStream decoded = new GZIPInputStream(tee, BUFFER)) {
            byte[] buffer = new byte[BUFFER];
            for (int read; (read = decoded.read(buffer)) >= 0; ) {
                out.write(buffer, 0, read);
                if (counter != null) {
                    counter.update(buffer, 0, read);
                }
            }
            tee.drain();
            return tee.copied;
        }
    }

    /**
     * Writes what is read through it; {@code available()} looks one byte ahead, because GZIPInputStream asks it
     * whether another gzip member follows and an HTTP body often answers 0 before its end.
     */
    private static final class Tee extends FilterInputStream {
        private final OutputStream out;
        private long copied;
        private int peeked = -2; // -2: nothing looked ahead

        Tee(InputStream in, OutputStream out) {
            super(in);
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            int b;
            if (peeked != -2) {
                b = peeked;
                peeked = -2;
                return b; // already written when it was peeked
            }
            b = in.read();
            if (b >= 0) {
                out.write(b);
                copied++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (peeked != -2) {
                int b = read();
                if (b < 0) {
                    return -1;
                }
                buffer[offset] = (byte) b;
                return 1;
            }
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                out.write(buffer, offset, n);
                copied += n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            if (peeked == -2) {
                peeked = in.read();
                if (peeked >= 0) {
                    out.write(peeked);
                    copied++;
                }
            }
            return peeked >= 0 ? 1 : 0;
        }

        @Override
        public long skip(long n) throws IOException {
            // decoders skip nothing we want lost from the archive: read instead
            byte[] buffer = new byte[(int) Math.min(n, BUFFER)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {
            // the caller closes the S3 stream
        }

        void drain() throws IOException {
            byte[] buffer = new byte[BUFFER];
            while (read(buffer, 0, buffer.length) >= 0) {
                // written by read
            }
        }
    }
}
