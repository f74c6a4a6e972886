package com.warehouseexport.poller;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The row count of a Parquet file, read from its footer: the file ends with the Thrift-compact-encoded
 * {@code FileMetaData}, its length (4 bytes, little endian) and {@code PAR1}; {@code num_rows} is field 3 (i64).
 * Only what is needed to skip the other fields is decoded. Used where the warehouse does not report rows
 * (Athena's UNLOAD).
 */
final class ParquetRowCount {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int FILE_METADATA_NUM_ROWS = 3;

    private final ByteBuffer in;

    private ParquetRowCount(byte[] footer) {
        this.in = ByteBuffer.wrap(footer);
    }

    /** The footer length from the file's last 8 bytes; IOException when they are not a Parquet tail. */
    static int footerLength(byte[] last8) throws IOException {
        if (last8.length != 8 || last8[4] != MAGIC[0] || last8[5] != MAGIC[1] || last8[6] != MAGIC[2]
                || last8[7] != MAGIC[3]) {
            throw new IOException("not a Parquet file (no PAR1 at the end)");
        }
        int length = ByteBuffer.wrap(last8, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (length <= 0) {
            throw new IOException("Parquet footer length " + length + " is not valid");
        }
        return length;
    }

    /** {@code num_rows} of the encoded {@code FileMetaData}. */
    static long numRows(byte[] footer) throws IOException {
        try {
            return new ParquetRowCount(footer).readNumRows();
        } catch (RuntimeException e) {
            throw new IOException("unreadable Parquet footer: " + e, e);
        }
    }

    private long readNumRows() throws IOException {
        short fieldId = 0;
        while (true) {
            int header = in.get() & 0xff;
            int type = header & 0x0f;
            if (type == 0) {
                throw new IOException("Parquet footer has no num_rows");
            }
            int delta = header >>> 4;
            fieldId = delta == 0 ? (short) zigzag(varint()) : (short) (fieldId + delta);
            if (fieldId == FILE_METADATA_NUM_ROWS && type == 6) {
                return zigzag(varint());
            }
            skip(type);
        }
    }

    private void skip(int type) {
        switch (type) {
            case 1, 2 -> {
                // booleans in a field header carry their value
            }
            case 3 -> in.get();
            case 4, 5, 6 -> varint();
            case 7 -> in.position(in.position() + 8);
            case 8 -> {
                int length = (int) varint(); // read first: it moves the position
                in.position(in.position() + length);
            }
            case 9, 10 -> {
                int header = in.get() & 0xff;
                long size = header >>> 4 == 15 ? varint() : header >>> 4;
                int elementType = header & 0x0f;
                for (long i = 0; i < size; i++) {
                    skipElement(elementType);
                }
            }
            case 11 -> {
                long size = varint();
                if (size > 0) {
                    int types = in.get() & 0xff;
                    for (long i = 0; i < size; i++) {
                        skipElement(types >>> 4);
                        skipElement(types & 0x0f);
                    }
                }
            }
            case 12 -> skipStruct();
            default -> throw new IllegalStateException("unknown Thrift compact type " + type);
        }
    }

    /** Inside collections a boolean takes one byte. */
    private void skipElement(int type) {
        if (type == 1 || type == 2) {
            in.get();
        } else {
            skip(type);
        }
    }

    private void skipStruct() {
        while (true) {
            int header = in.get() & 0xff;
            int type = header & 0x0f;
            if (type == 0) {
                return;
            }
            if (header >>> 4 == 0) {
                varint(); // long-form field id
            }
            skip(type);
        }
    }

    private long varint() {
        long result = 0;
        int shift = 0;
        while (true) {
            int b = in.get() & 0xff;
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
            shift += 7;
        }
    }

    private static long zigzag(long n) {
        return (n >>> 1) ^ -(n & 1);
    }
}
