package com.warehouseexport.poller;

/**
 * Counts the objects of newline-delimited JSON as it passes: one per non-empty line (JSON escapes line breaks
 * inside strings, so every raw {@code \n} ends an object). Works on UTF-8 bytes directly.
 */
final class JsonLineCounter implements RecordCounter {
    private long records;
    private boolean lineOpen;

    @Override
    public void update(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                if (lineOpen) {
                    records++;
                }
                lineOpen = false;
            } else if (b != '\r' && b != ' ' && b != '\t') {
                lineOpen = true;
            }
        }
    }

    @Override
    public long records() {
        return records + (lineOpen ? 1 : 0);
    }
}
