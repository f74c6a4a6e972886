package com.warehouseexport.poller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.warehouseexport.model.json.Json;
import org.junit.jupiter.api.Test;

class UnloadManifestTest {

    @Test
    void readsAVerboseManifest() {
        UnloadManifest manifest = UnloadManifest.parse(Json.parse("""
                {"entries": [
                   {"url": "s3://results/exports/x/part_0000_part_00", "meta": {"content_length": 5956, "record_count": 60}},
                   {"url": "s3://results/exports/x/part_0001_part_00", "meta": {"content_length": 4000, "record_count": 40}}],
                 "schema": {"elements": [{"name": "sku", "type": {"base": "character varying", "max_length": 20}}]},
                 "meta": {"content_length": 9956, "record_count": 100},
                 "author": {"name": "Amazon Redshift", "version": "1.0.0"}}
                """));
        assertEquals(2, manifest.entries().size());
        assertEquals(new UnloadManifest.Entry("results", "exports/x/part_0000_part_00", 5956), manifest.entries().get(0));
        assertEquals(100, manifest.recordCount());
        assertEquals(9956, manifest.totalBytes());
        assertEquals("sku", manifest.schema().path("elements").get(0).path("name").textValue());
    }

    @Test
    void anEmptyResultHasNoEntries() {
        UnloadManifest manifest = UnloadManifest.parse(Json.parse(
                "{\"entries\": [], \"meta\": {\"content_length\": 0, \"record_count\": 0}}"));
        assertEquals(0, manifest.entries().size());
        assertEquals(0, manifest.recordCount());
    }

    @Test
    void refusesWhatIsNotAVerboseManifest() {
        for (String text : new String[] {
                "[]",
                "{\"meta\": {\"record_count\": 1}}",
                "{\"entries\": [{\"url\": \"s3://b/k\"}]}",
                "{\"entries\": [{\"url\": \"https://b/k\"}], \"meta\": {\"record_count\": 1}}",
                "{\"entries\": [{\"url\": \"s3://bucket-only/\"}], \"meta\": {\"record_count\": 1}}",
                "{\"entries\": [{}], \"meta\": {\"record_count\": 1}}"}) {
            assertThrows(UnloadManifest.InvalidManifestException.class, () -> UnloadManifest.parse(Json.parse(text)), text);
        }
    }
}
