package com.sheratan.offgrid.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sheratan.offgrid.contract.Json;
import com.sheratan.offgrid.contract.Receipt;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The documented Ed25519 test vector of docs/host.md (RFC 8032 section 7.1, test 1) and the canonical form. */
class ReceiptSignerTest {
    static final HexFormat HEX = HexFormat.of();
    static final String SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    static final String PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    static final String EMPTY_MESSAGE_SIG = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065"
            + "224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
    static final String VERIFY_KEY = "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    static final String CANONICAL = "{\"attempt_id\":\"attempt-1\",\"finished_ms\":1767225600250,\"job_id\":\"job-123\","
            + "\"kind\":\"echo\",\"node_id\":\"host-a\",\"nonce\":\"0f8e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b\","
            + "\"output_sha256\":\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\",\"quote\":0.1,"
            + "\"sig_algo\":\"Ed25519\",\"started_ms\":1767225600000,\"units\":0.1,\"verify_key\":\"" + VERIFY_KEY + "\","
            + "\"version\":\"1\"}";
    static final String RECEIPT_SIG = "icgQ1Cs2tW1RfIKC+OkKlY70ly+Tp3asyiIjw0abJwtQJjimvH1igL5VKHvHAMXgh9nYRE6MCxGHpYuWMT36CQ==";

    /** The RFC 8032 test-1 key pair, made by the JDK from its 32-byte seed. */
    static KeyPair rfc8032KeyPair() throws Exception {
        byte[] seed = HEX.parseHex(SEED);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, bytes.length);
            }
        });
        return generator.generateKeyPair();
    }

    static Receipt documentedReceipt() {
        return new Receipt("1", "host-a", "job-123", "attempt-1", "echo", 0.1, 0.1, 1767225600000L, 1767225600250L,
                Digests.sha256Hex("hello"), "0f8e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b", null, null, null);
    }

    @Test
    void signsTheRfc8032TestVector() throws Exception {
        KeyPair keys = rfc8032KeyPair();
        byte[] encoded = keys.getPublic().getEncoded();
        assertEquals(PUBLIC, HEX.formatHex(encoded, encoded.length - 32, encoded.length));
        assertEquals(VERIFY_KEY, ReceiptSigner.encodeVerifyKey(keys.getPublic()));
        assertEquals(EMPTY_MESSAGE_SIG, HEX.formatHex(new ReceiptSigner(keys).sign(new byte[0])));
    }

    @Test
    void signsTheDocumentedReceipt() throws Exception {
        ReceiptSigner signer = new ReceiptSigner(rfc8032KeyPair());
        Receipt signed = signer.sign(documentedReceipt());
        assertEquals(CANONICAL, new String(ReceiptSigner.signedBytes(signed), StandardCharsets.UTF_8));
        assertEquals(RECEIPT_SIG, signed.sig());
        assertTrue(ReceiptVerifier.verify(signed, VERIFY_KEY));
    }

    @Test
    void verifiesTheReceiptAsItArrivesOverTheWireAndRefusesAnyChange() throws Exception {
        Receipt signed = new ReceiptSigner(rfc8032KeyPair()).sign(documentedReceipt());
        // pretty-printed, keys in another order: the canonical form is the same
        JsonNode wire = Json.mapper().readTree(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(signed));
        assertTrue(ReceiptVerifier.verify(wire, VERIFY_KEY));

        ObjectNode changed = wire.deepCopy();
        changed.put("job_id", "job-124");
        assertFalse(ReceiptVerifier.verify(changed, VERIFY_KEY));
        ObjectNode unsigned = wire.deepCopy();
        unsigned.remove("sig");
        assertFalse(ReceiptVerifier.verify(unsigned, VERIFY_KEY));
        ObjectNode badSig = wire.deepCopy();
        badSig.put("sig", "not base64!");
        assertFalse(ReceiptVerifier.verify(badSig, VERIFY_KEY));
        assertFalse(ReceiptVerifier.verify(wire, "MCowBQYDK2VwAyEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    }

    @Test
    void canonicalJsonSortsKeysAndWritesPlainNumbers() throws Exception {
        JsonNode value = Json.mapper().readTree("{ \"b\": [1.0, 0.0001, 2.50, -0, 1e21, 12345678901234567890],"
                + " \"a\": {\"z\": null, \"y\": \"ä\\n\\\"\"}, \"c\": true }");
        assertEquals("{\"a\":{\"y\":\"ä\\n\\\"\",\"z\":null},\"b\":[1,0.0001,2.5,0,1000000000000000000000,"
                + "12345678901234567890],\"c\":true}", new String(CanonicalJson.bytes(value), StandardCharsets.UTF_8));
    }
}
