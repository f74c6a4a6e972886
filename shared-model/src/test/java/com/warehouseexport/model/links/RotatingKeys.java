package com.warehouseexport.model.links;

import java.util.Optional;

/** Current and previous key in memory, rotated by the test. */
final class RotatingKeys implements LinkKeys {
    private LinkKey current;
    private LinkKey previous;

    RotatingKeys(LinkKey first) {
        this.current = first;
    }

    void rotateTo(LinkKey next) {
        previous = current;
        current = next;
    }

    @Override
    public LinkKey signingKey() {
        return current;
    }

    @Override
    public Optional<LinkKey> verificationKey(String keyId) {
        if (current.id().equals(keyId)) {
            return Optional.of(current);
        }
        return previous != null && previous.id().equals(keyId) ? Optional.of(previous) : Optional.empty();
    }

    static LinkKey key(String id, char fill) {
        return LinkKey.ofText(id, String.valueOf(fill).repeat(40));
    }
}
