package com.sheratan.offgrid.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.Receipt;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Checks a host's receipt (SPEC section 8) as it arrived: the signature over the canonical JSON of
 * the receipt without {@code sig}. Pass the key the host published in {@code GET /announce}
 * ({@code verify_key}) to also prove the receipt came from that host — a receipt only checked
 * against its own embedded key proves integrity, not origin.
 */
public final class ReceiptVerifier {
    private ReceiptVerifier() {
    }

    /** True when the receipt is signed by the host whose published key is {@code publishedVerifyKey}. */
    public static boolean verify(JsonNode receipt, String publishedVerifyKey) {
        if (receipt == null || !receipt.isObject() || publishedVerifyKey == null) {
            return false;
        }
        JsonNode embedded = receipt.get("verify_key");
        if (embedded == null || !publishedVerifyKey.equals(embedded.asText())) {
            return false;
        }
        return verify(receipt);
    }

    /** True when the signature matches the receipt's own {@code verify_key} (integrity only). */
    public static boolean verify(JsonNode receipt) {
        ObjectNode signed = signedPart(receipt);
        return signed != null && verifySignature(receipt.get("verify_key").asText(), CanonicalJson.bytes(signed),
                receipt.get("sig").asText());
    }

    /** The receipt without {@code sig}, when it has the fields a signed receipt has; else null. */
    private static ObjectNode signedPart(JsonNode receipt) {
        if (receipt == null || !receipt.isObject()) {
            return null;
        }
        JsonNode sig = receipt.get("sig");
        JsonNode key = receipt.get("verify_key");
        JsonNode algo = receipt.get("sig_algo");
        if (sig == null || !sig.isTextual() || key == null || !key.isTextual() || algo == null
                || !Receipt.SIG_ALGO.equals(algo.asText())) {
            return null;
        }
        ObjectNode signed = ((ObjectNode) receipt).deepCopy();
        signed.remove("sig");
        return signed;
    }

    /**
     * True when {@code signature} (Base64 Ed25519) is {@code message} signed by the key published as
     * {@code verifyKey} (Base64 X.509). Checked by BouncyCastle, several times faster than JDK 17's
     * EdDSA; {@link VerifyKeys} also keeps the decoded keys, for a caller that checks many.
     */
    public static boolean verifySignature(String verifyKey, byte[] message, String signature) {
        try {
            return VerifyKeys.verify(VerifyKeys.decode(verifyKey), message, signature);
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }

    /** {@link #verify(JsonNode)} with the keys decoded once in {@code keys}. */
    public static boolean verify(JsonNode receipt, VerifyKeys keys) {
        ObjectNode signed = signedPart(receipt);
        return signed != null && keys.verify(receipt.get("verify_key").asText(), CanonicalJson.bytes(signed),
                receipt.get("sig").asText());
    }

    public static boolean verify(Receipt receipt, String publishedVerifyKey) {
        return verify(Json.mapper().valueToTree(receipt), publishedVerifyKey);
    }

    /** The public key from its published form (Base64 of the X.509 encoding). */
    public static PublicKey publicKey(String verifyKey) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(verifyKey)));
    }
}
