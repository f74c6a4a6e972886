package com.warehouseexport.poller;

/**
 * Counts the records of a CSV byte stream as it passes: a line break ends a record unless it is inside a
 * quoted field (UNLOAD's CSV quotes fields holding quotes, delimiters or line breaks, and doubles inner quotes,
 * which toggles the state twice). Works on UTF-8 bytes directly: {@code "} and {@code \n} never occur inside
 * a multi-byte sequence.
 */
final class CsvRecordCounter implements RecordCounter {
    private long records;
    private boolean inQuotes;
    private boolean recordOpen;

    @Override
    public void update(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '"') {
                inQuotes = !inQuotes;
                recordOpen = true;
            } else if (b == '\n' && !inQuotes) {
                records++;
                recordOpen = false;
            } else if (b != '\r') {
                recordOpen = true;
            }
        }
    }

    /** Records seen, counting a last one without a final line break. */
    @Override
    public long records() {
        return records + (recordOpen ? 1 : 0);
    }
}
