package com.sheratan.offgrid.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.Receipt;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs receipts with a host's Ed25519 key (JDK built-in): {@code sig} = Base64 Ed25519 over the
 * canonical JSON ({@link CanonicalJson}) of the receipt without {@code sig}, with {@code sig_algo}
 * and {@code verify_key} already filled in, so both are covered by the signature.
 */
public final class ReceiptSigner {
    private final PrivateKey privateKey;
    private final String verifyKey;

    public ReceiptSigner(KeyPair keyPair) {
        this.privateKey = keyPair.getPrivate();
        this.verifyKey = encodeVerifyKey(keyPair.getPublic());
    }

    /** Base64 of the X.509 (SubjectPublicKeyInfo) encoding, as published in {@code /announce}. */
    public static String encodeVerifyKey(PublicKey publicKey) {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    public String verifyKey() {
        return verifyKey;
    }

    public Receipt sign(Receipt unsigned) {
        Receipt withKey = unsigned.signed(Receipt.SIG_ALGO, verifyKey, null);
        return withKey.signed(Receipt.SIG_ALGO, verifyKey, Base64.getEncoder().encodeToString(sign(signedBytes(withKey))));
    }

    public byte[] sign(byte[] message) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(privateKey);
            ed25519.update(message);
            return ed25519.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed: " + e.getMessage(), e);
        }
    }

    /** The bytes a receipt's signature covers: its canonical JSON without {@code sig}. */
    public static byte[] signedBytes(Receipt receipt) {
        ObjectNode tree = Json.mapper().valueToTree(receipt);
        tree.remove("sig");
        return CanonicalJson.bytes(tree);
    }
}
