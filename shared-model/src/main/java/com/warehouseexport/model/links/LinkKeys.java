package com.warehouseexport.model.links;

import java.util.Optional;

/** Where signing keys come from: the one to sign new tokens with, and any key a token may name. */
public interface LinkKeys {
    /** The key new tokens are signed with. */
    LinkKey signingKey();

    /** The key with this id if it is still accepted (current or previous), else empty. */
    Optional<LinkKey> verificationKey(String keyId);
}
