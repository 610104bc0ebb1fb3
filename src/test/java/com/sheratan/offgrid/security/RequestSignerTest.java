package com.sheratan.offgrid.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The documented test vectors of docs/signing.md, and every refusal of the verifier. */
class RequestSignerTest {
    private static final byte[] BODY = "{\"job_id\":\"job-123\",\"kind\":\"echo\"}".getBytes(StandardCharsets.UTF_8);
    private static final long TS = 1767225600L;
    private static final String NONCE = "0f8e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final AuthKeys KEYS = AuthKeys.parse("shared-secret", "", "default");
    private static final Clock AT_TS = Clock.fixed(Instant.ofEpochSecond(TS + 10), ZoneOffset.UTC);

    @Test
    void signsTheDocumentedTestVector() {
        SignedHeaders headers = new RequestSigner(KEYS).sign("POST", "/auction", "broker", BODY, TS, NONCE);
        assertEquals("v1=e06d93a8fbfee1a870962315ee093d398286d23820ad462a3bea3f83a713b43c", headers.signature());
        assertEquals("default", headers.keyId());
        assertEquals("6be0dff4650056490a196f15c41333ec1228dcf3eaffa27ba3cbf4d3afb7ff40", Digests.sha256Hex(BODY));
    }

    @Test
    void signsTheDocumentedHostVectors() {
        RequestSigner signer = new RequestSigner(KEYS);
        assertEquals("v1=1bf1ba5e820322374c3a568097692bc987b0f42a74be85bd20e9a5fa20fa7917",
                signer.sign("POST", "/run", "host-a", BODY, TS, NONCE).signature());
        assertEquals("v1=36e6a1b4ca961a14a98d06f46c5e699bc328fa017c08f4ef6e9ae8071b491775",
                signer.sign("POST", "/run", "host-b", BODY, TS, NONCE).signature());
        assertEquals("host-a", signer.sign("POST", "/run", "host-a", BODY, TS, NONCE).asMap()
                .get(SignedHeaders.AUDIENCE));
    }

    @Test
    void refusesARequestMeantForAnotherReceiverWithoutBurningItsNonce() {
        RequestVerifier hostB = new RequestVerifier(KEYS, "host-b", new ReplayGuard(600), AT_TS);
        Map<String, String> forHostA = new RequestSigner(KEYS).sign("POST", "/run", "host-a", BODY, TS, NONCE).asMap();
        assertEquals(Optional.of(SignatureError.WRONG_AUDIENCE), hostB.verify("POST", "/run", forHostA::get, BODY));

        // naming host-b in the header instead breaks the signature, which covers the audience
        Map<String, String> relabelled = new HashMap<>(forHostA);
        relabelled.put(SignedHeaders.AUDIENCE, "host-b");
        assertEquals(Optional.of(SignatureError.BAD_SIGNATURE), hostB.verify("POST", "/run", relabelled::get, BODY));

        Map<String, String> noAudience = new HashMap<>(forHostA);
        noAudience.remove(SignedHeaders.AUDIENCE);
        assertEquals(Optional.of(SignatureError.MISSING_SIGNATURE), hostB.verify("POST", "/run", noAudience::get, BODY));

        RequestVerifier hostA = new RequestVerifier(KEYS, "host-a", new ReplayGuard(600), AT_TS);
        assertEquals(Optional.empty(), hostA.verify("POST", "/run", forHostA::get, BODY));
    }

    @Test
    void claimTokenMatchesTheDocumentedVector() {
        assertEquals("2b4d9c5c0e5274af53bb93f5ff119df0bd7f001b79783238cbdb37a857810d5d",
                ClaimToken.compute("shared-secret", "job-123", "attempt-1", 1767225900L));
        assertTrue(ClaimToken.verify(KEYS, "job-123", "attempt-1", 1767225900L,
                "2b4d9c5c0e5274af53bb93f5ff119df0bd7f001b79783238cbdb37a857810d5d"));
        assertFalse(ClaimToken.verify(KEYS, "job-123", "attempt-2", 1767225900L,
                "2b4d9c5c0e5274af53bb93f5ff119df0bd7f001b79783238cbdb37a857810d5d"));
    }

    @Test
    void acceptsAGenuineRequestOnceThenRefusesTheReplay() {
        RequestVerifier verifier = new RequestVerifier(KEYS, "broker", new ReplayGuard(600), AT_TS);
        Map<String, String> headers = new RequestSigner(KEYS).sign("POST", "/auction", "broker", BODY, TS, NONCE).asMap();
        assertEquals(Optional.empty(), verifier.verify("POST", "/auction", headers::get, BODY));
        assertEquals(Optional.of(SignatureError.REPLAYED_NONCE), verifier.verify("POST", "/auction", headers::get, BODY));
    }

    @Test
    void refusesEveryKindOfBadRequest() {
        RequestVerifier verifier = new RequestVerifier(KEYS, "broker", new ReplayGuard(600), AT_TS);
        Map<String, String> good = new RequestSigner(KEYS).sign("POST", "/auction", "broker", BODY, TS, NONCE).asMap();

        Map<String, String> missing = new HashMap<>(good);
        missing.remove(SignedHeaders.NONCE);
        assertEquals(Optional.of(SignatureError.MISSING_SIGNATURE), verifier.verify("POST", "/auction", missing::get, BODY));

        Map<String, String> unknownKey = new HashMap<>(good);
        unknownKey.put(SignedHeaders.KEY_ID, "other");
        assertEquals(Optional.of(SignatureError.UNKNOWN_KEY), verifier.verify("POST", "/auction", unknownKey::get, BODY));

        Map<String, String> stale = new RequestSigner(KEYS).sign("POST", "/auction", "broker", BODY, TS - 400, NONCE).asMap();
        assertEquals(Optional.of(SignatureError.STALE_TIMESTAMP), verifier.verify("POST", "/auction", stale::get, BODY));

        byte[] tampered = "{\"job_id\":\"job-124\",\"kind\":\"echo\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(Optional.of(SignatureError.BAD_SIGNATURE), verifier.verify("POST", "/auction", good::get, tampered));
        assertEquals(Optional.of(SignatureError.BAD_SIGNATURE), verifier.verify("POST", "/run", good::get, BODY));

        Map<String, String> forged = new RequestSigner(AuthKeys.parse("not-the-secret", "", "default"))
                .sign("POST", "/auction", "broker", BODY, TS, NONCE).asMap();
        assertEquals(Optional.of(SignatureError.BAD_SIGNATURE), verifier.verify("POST", "/auction", forged::get, BODY));

        // none of the refusals burnt the nonce: the genuine request still passes
        assertEquals(Optional.empty(), verifier.verify("POST", "/auction", good::get, BODY));
    }

    @Test
    void keyRotationAcceptsAnyOfSeveralSignatures() {
        AuthKeys receiver = AuthKeys.parse("", "old:secret-1,new:secret-2", "new");
        RequestVerifier verifier = new RequestVerifier(receiver, "broker", new ReplayGuard(600), AT_TS);
        String oldSig = new RequestSigner(AuthKeys.parse("", "old:secret-1", "old"))
                .sign("POST", "/auction", "broker", BODY, TS, NONCE).signature();
        String newSig = new RequestSigner(AuthKeys.parse("", "new:secret-2", "new"))
                .sign("POST", "/auction", "broker", BODY, TS, NONCE).signature();
        Map<String, String> both = Map.of(SignedHeaders.KEY_ID, "new", SignedHeaders.TIMESTAMP, String.valueOf(TS),
                SignedHeaders.NONCE, NONCE, SignedHeaders.AUDIENCE, "broker", SignedHeaders.SIGNATURE, oldSig + " " + newSig);
        assertEquals(Optional.empty(), verifier.verify("POST", "/auction", both::get, BODY));
    }
}
