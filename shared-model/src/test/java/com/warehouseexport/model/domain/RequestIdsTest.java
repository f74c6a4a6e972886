package com.warehouseexport.model.domain;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestIdsTest {

    @Test
    void newIdsAreWellFormedVersion4AndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.newId();
            assertTrue(RequestIds.isWellFormed(id), id);
            assertEquals(4, UUID.fromString(id).version());
            assertEquals(2, UUID.fromString(id).variant());
            assertTrue(seen.add(id));
        }
    }

    /**
     * Ids are handles a caller could try to guess: all 122 bits outside version and variant must vary, each set in
     * about half the ids (UUID.randomUUID draws them from SecureRandom, per its specification). A counter, a
     * timestamp or a weak generator leaves bits constant or skewed and fails this.
     */
    @Test
    void idsCarry122UniformlyRandomBits() {
        int samples = 20_000;
        int[] ones = new int[128];
        for (int i = 0; i < samples; i++) {
            UUID id = UUID.fromString(RequestIds.newId());
            for (int bit = 0; bit < 64; bit++) {
                ones[bit] += (int) ((id.getMostSignificantBits() >>> (63 - bit)) & 1);
                ones[64 + bit] += (int) ((id.getLeastSignificantBits() >>> (63 - bit)) & 1);
            }
        }
        int random = 0;
        for (int bit = 0; bit < 128; bit++) {
            boolean fixed = (bit >= 48 && bit < 52) || bit == 64 || bit == 65; // version nibble, variant bits
            if (fixed) {
                assertTrue(ones[bit] == 0 || ones[bit] == samples, "bit " + bit + " is fixed by the UUID format");
            } else {
                random++;
                double share = ones[bit] / (double) samples;
                // 20,000 fair coins: the share is within 0.5 ± 0.02 except with probability ~1e-8
                assertTrue(share > 0.48 && share < 0.52, "bit " + bit + " set in " + share + " of the ids");
            }
        }
        assertEquals(122, random);
    }

    @Test
    void pathInputThatIsNotACanonicalV4UuidIsRejected() {
        String good = "0b0f5c1e-8a0e-4b5e-9c41-2f0f1d0c9a11";
        assertTrue(RequestIds.isWellFormed(good));
        for (String bad : new String[] {
                null, "", "abc", good.toUpperCase(), good + "0", good.substring(1),
                "0b0f5c1e-8a0e-1b5e-9c41-2f0f1d0c9a11", // version 1
                "0b0f5c1e-8a0e-4b5e-7c41-2f0f1d0c9a11", // wrong variant
                "0b0f5c1e_8a0e-4b5e-9c41-2f0f1d0c9a11",
                "0b0f5c1e-8a0e-4b5e-9c41-2f0f1d0c9a1g",
                "../../../../etc/passwd-aaaaaaaaaaaaa",
                "0b0f5c1e-8a0e-4b5e-9c41-2f0f1d0c9a1\u0661",
                "0b0f5c1e-8a0e-4b5e-9c41-2f0f1d0c9a1'",
                "{0b0f5c1e-8a0e-4b5e-9c41-2f0f1d0c9a}"}) {
            assertFalse(RequestIds.isWellFormed(bad), String.valueOf(bad));
        }
    }

    @Test
    void exportLocationsFollowTheDesign() {
        String id = "0b0f5c1e-8a0e-4b5e-9c41-2f0f1d0c9a11";
        assertEquals("exports/" + id + "/", ExportLocations.resultsPrefix(id));
        assertEquals("exports/" + id + "/part_manifest", ExportLocations.manifestKey(id));
        assertEquals("s3://results/exports/" + id + "/part_", ExportLocations.unloadTarget("results", id));
        assertEquals("archives/" + id + "/" + id + ".zip", ExportLocations.archiveKey(id));
        assertThrows(IllegalArgumentException.class, () -> ExportLocations.archiveKey("../x"));
    }

    @Test
    void timestampsHaveFixedWidthMilliseconds() {
        assertEquals("2025-01-02T03:04:05.000Z", Timestamps.format(java.time.Instant.parse("2025-01-02T03:04:05Z")));
        assertEquals("2025-01-02T03:04:05.120Z",
                Timestamps.format(java.time.Instant.parse("2025-01-02T03:04:05.120999Z")));
        assertEquals(java.time.Instant.parse("2025-01-02T03:04:05.120Z"), Timestamps.parse("2025-01-02T03:04:05.120Z"));
    }

    @Test
    void formatsParseByApiName() {
        assertEquals(ExportFormat.CSV, ExportFormat.fromName("csv"));
        assertEquals(ExportFormat.PARQUET, ExportFormat.fromName("Parquet"));
        assertEquals(ExportFormat.JSON, ExportFormat.fromName("json"));
        assertTrue(ExportFormat.JSON.isSupported(), "JSON is offered (UNLOAD FORMAT AS JSON)");
        assertEquals(null, ExportFormat.fromName("xlsx"));
    }
}
