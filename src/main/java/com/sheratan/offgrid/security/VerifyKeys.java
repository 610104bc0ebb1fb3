package com.sheratan.offgrid.security;

import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Ed25519 signature checks with the decoded public keys kept by their published form (Base64 X.509).
 * Decoding validates the point fully, a scalar multiplication that costs about half a verification,
 * and a mesh has few keys: the broker, which checks every receipt before it charges the run, decodes
 * each host's key once. Bounded, so a flood of made-up keys cannot fill the memory.
 */
public final class VerifyKeys {
    private static final int MAX_KEYS = 1024;
    private final Map<String, Ed25519PublicKeyParameters> decoded = new ConcurrentHashMap<>();

    /** True when {@code signature} (Base64 Ed25519) is {@code message} signed by the key published as {@code verifyKey}. */
    public boolean verify(String verifyKey, byte[] message, String signature) {
        try {
            Ed25519PublicKeyParameters key = decoded.get(verifyKey);
            if (key == null) {
                key = decode(verifyKey);
                if (decoded.size() >= MAX_KEYS) {
                    decoded.clear();
                }
                decoded.put(verifyKey, key);
            }
            return verify(key, message, signature);
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }

    static Ed25519PublicKeyParameters decode(String verifyKey) throws IOException {
        return (Ed25519PublicKeyParameters) PublicKeyFactory.createKey(Base64.getDecoder().decode(verifyKey));
    }

    static boolean verify(Ed25519PublicKeyParameters key, byte[] message, String signature) {
        byte[] sig = Base64.getDecoder().decode(signature);
        if (sig.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
            return false;
        }
        Ed25519Signer ed25519 = new Ed25519Signer();
        ed25519.init(false, key);
        ed25519.update(message, 0, message.length);
        return ed25519.verifySignature(sig);
    }
}
