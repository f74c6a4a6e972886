package com.warehouseexport.poller;

/** The zip written for a request: where, how many bytes, and the row and part counts from the manifest. */
public record PackagedArchive(String archiveKey, long bytes, long rows, int parts) {
}
