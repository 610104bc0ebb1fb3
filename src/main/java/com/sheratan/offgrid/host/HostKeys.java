package com.sheratan.offgrid.host;

import com.sheratan.offgrid.security.Ed25519KeyFile;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * A host's Ed25519 key pair for receipts, kept in its state folder so the published
 * {@code verify_key} stays the same across restarts: {@code receipt-key.pk8} (Base64 PKCS#8,
 * owner-only) and {@code receipt-key.pub} (Base64 X.509); see {@link Ed25519KeyFile}.
 */
final class HostKeys {
    static final String PRIVATE_FILE = "receipt-key.pk8";
    static final String PUBLIC_FILE = "receipt-key.pub";

    private HostKeys() {
    }

    static KeyPair loadOrCreate(Path stateDir) {
        return new Ed25519KeyFile(stateDir, "receipt-key", "receipt key").loadOrCreate();
    }
}
