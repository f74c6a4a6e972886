package com.warehouseexport.poller;

/** Counts the records of a part's (uncompressed) bytes as they are copied into the archive. */
interface RecordCounter {
    void update(byte[] bytes, int offset, int length);

    /** Records seen, counting a last one without a final line break. */
    long records();
}
