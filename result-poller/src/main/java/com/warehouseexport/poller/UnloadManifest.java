package com.warehouseexport.poller;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest UNLOAD writes with {@code MANIFEST VERBOSE}: {@code entries[].url} (and per-entry
 * {@code meta.content_length}), the totals {@code meta.content_length} / {@code meta.record_count}, and the
 * column {@code schema}.
 */
public record UnloadManifest(List<Entry> entries, long totalBytes, long recordCount, JsonNode schema) {

    /** One part: where it is and, when the manifest says, how many bytes it has (-1 if unknown). */
    public record Entry(String bucket, String key, long contentLength) {
    }

    public UnloadManifest {
        entries = List.copyOf(entries);
    }

    /** Reads a manifest; {@link InvalidManifestException} naming the problem when it is not one. */
    public static UnloadManifest parse(JsonNode manifest) {
        if (manifest == null || !manifest.isObject()) {
            throw new InvalidManifestException("manifest is not a JSON object");
        }
        JsonNode entriesNode = manifest.path("entries");
        if (!entriesNode.isArray()) {
            throw new InvalidManifestException("manifest has no \"entries\" array");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode entry : entriesNode) {
            JsonNode url = entry.path("url");
            if (!url.isTextual()) {
                throw new InvalidManifestException("manifest entry " + entries.size() + " has no \"url\"");
            }
            JsonNode length = entry.path("meta").path("content_length");
            entries.add(parseUrl(url.textValue(), length.canConvertToLong() ? length.longValue() : -1));
        }
        JsonNode meta = manifest.path("meta");
        JsonNode records = meta.path("record_count");
        if (!records.canConvertToLong() || records.longValue() < 0) {
            throw new InvalidManifestException("manifest has no \"meta.record_count\" (is it a VERBOSE manifest?)");
        }
        JsonNode bytes = meta.path("content_length");
        return new UnloadManifest(entries, bytes.canConvertToLong() ? bytes.longValue() : -1, records.longValue(),
                manifest.path("schema"));
    }

    private static Entry parseUrl(String url, long contentLength) {
        if (!url.startsWith("s3://")) {
            throw new InvalidManifestException("manifest entry is not an s3:// URL: " + url);
        }
        int slash = url.indexOf('/', "s3://".length());
        if (slash < 0 || slash == url.length() - 1) {
            throw new InvalidManifestException("manifest entry has no object key: " + url);
        }
        return new Entry(url.substring("s3://".length(), slash), url.substring(slash + 1), contentLength);
    }

    /** The manifest is missing, unreadable or not what UNLOAD writes: packaging cannot succeed. */
    public static final class InvalidManifestException extends RuntimeException {
        public InvalidManifestException(String message) {
            super(message);
        }
    }
}
