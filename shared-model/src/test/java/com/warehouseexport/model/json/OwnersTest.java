package com.warehouseexport.model.json;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OwnersTest {
    private static final String ARN = "arn:aws:iam::000000000000:user/partner-a";

    @Test
    void theUserArnIsTheOwner() {
        assertEquals(Optional.of(ARN), Owners.fromIdentity(ARN, "AIDAEXAMPLE"));
        assertEquals(Optional.of(ARN), Owners.fromIdentity(" " + ARN + " ", null));
    }

    @Test
    void withoutAUsableArnTheCallerIsTheOwner() {
        assertEquals(Optional.of("AIDAEXAMPLE"), Owners.fromIdentity(null, "AIDAEXAMPLE"));
        assertEquals(Optional.of("AIDAEXAMPLE"), Owners.fromIdentity("  ", "AIDAEXAMPLE"));
        assertEquals(Optional.of("AIDAEXAMPLE"), Owners.fromIdentity("arn\u0000x", "AIDAEXAMPLE"));
    }

    @Test
    void noIdentityAtAll() {
        assertEquals(Optional.empty(), Owners.fromIdentity(null, null));
        assertEquals(Optional.empty(), Owners.fromIdentity("", "\t"));
        assertEquals(Optional.empty(), Owners.fromIdentity("a".repeat(2049), null));
    }
}
