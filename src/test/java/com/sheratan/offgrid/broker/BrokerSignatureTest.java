package com.sheratan.offgrid.broker;

import static com.sheratan.offgrid.testing.Http.json;
import static com.sheratan.offgrid.broker.BrokerUnderTest.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sheratan.offgrid.security.AuthKeys;
import com.sheratan.offgrid.security.RequestSigner;
import com.sheratan.offgrid.security.SignedHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal of SPEC section 6 on POST /auction, and key rotation; a refused job reaches no host. */
class BrokerSignatureTest {
    private static final AuthKeys DEV = AuthKeys.parse(AuthKeys.DEVELOPMENT_SECRET, "", "default");

    @TempDir
    Path home;

    @Test
    void everyBadSignatureIs401AndTouchesNoHost() {
        try (StandInHost host = StandInHost.start("host-a");
             BrokerUnderTest broker = new BrokerUnderTest(home).discover(host).start()) {
            byte[] body = request("job-sig", "echo").getBytes(StandardCharsets.UTF_8);
            Map<String, String> good = new RequestSigner(DEV).sign("POST", "/auction", "broker", body).asMap();

            Map<String, String> missing = new HashMap<>(good);
            missing.remove(SignedHeaders.SIGNATURE);
            assertRefused(broker, body, missing, "missing_signature");
            assertRefused(broker, body, Map.of(), "missing_signature");

            Map<String, String> unknownKey = new HashMap<>(good);
            unknownKey.put(SignedHeaders.KEY_ID, "someone-else");
            assertRefused(broker, body, unknownKey, "unknown_key");

            long tenMinutesAgo = System.currentTimeMillis() / 1000 - 600;
            assertRefused(broker, body, new RequestSigner(DEV)
                    .sign("POST", "/auction", "broker", body, tenMinutesAgo, UUID.randomUUID().toString()).asMap(), "stale_timestamp");

            Map<String, String> forged = new RequestSigner(AuthKeys.parse("not-the-secret", "", "default"))
                    .sign("POST", "/auction", "broker", body).asMap();
            assertRefused(broker, body, forged, "bad_signature");

            byte[] tampered = request("job-other", "echo").getBytes(StandardCharsets.UTF_8);
            assertRefused(broker, tampered, good, "bad_signature");

            Map<String, String> wrongPath = new RequestSigner(DEV).sign("POST", "/run", "broker", body).asMap();
            assertRefused(broker, body, wrongPath, "bad_signature");

            Map<String, String> forAHost = new RequestSigner(DEV).sign("POST", "/auction", host.nodeId, body).asMap();
            assertRefused(broker, body, forAHost, "wrong_audience");

            // the genuine request passes once; sent again it is a replay
            assertEquals(200, post(broker, body, good).statusCode());
            assertRefused(broker, body, good, "replayed_nonce");

            assertEquals(1, host.runs(), "only the genuine request reached a host");
        }
    }

    @Test
    void keyRotationAcceptsEveryConfiguredKeyAndSeveralSignatures() {
        AuthKeys rotated = AuthKeys.parse("", "old:secret-one,new:secret-two", "new");
        try (StandInHost host = StandInHost.start("host-a", rotated);
             BrokerUnderTest broker = new BrokerUnderTest(home,
                     Map.of("OFFGRID_AUTH_KEYS", "old:secret-one,new:secret-two", "OFFGRID_AUTH_KEY_ID", "new"),
                     rotated).discover(host).start()) {
            byte[] body = request("job-rot-1", "echo").getBytes(StandardCharsets.UTF_8);
            // a sender still on the old key
            AuthKeys oldSender = AuthKeys.parse("", "old:secret-one", "old");
            assertEquals(200, post(broker, body, new RequestSigner(oldSender).sign("POST", "/auction", "broker", body).asMap())
                    .statusCode());

            // one header carrying a stale-secret value and the current one: any match passes
            byte[] second = request("job-rot-2", "echo").getBytes(StandardCharsets.UTF_8);
            long now = System.currentTimeMillis() / 1000;
            String nonce = UUID.randomUUID().toString();
            SignedHeaders current = new RequestSigner(rotated).sign("POST", "/auction", "broker", second, now, nonce);
            SignedHeaders retired = new RequestSigner(AuthKeys.parse("", "new:retired-secret", "new"))
                    .sign("POST", "/auction", "broker", second, now, nonce);
            Map<String, String> both = new HashMap<>(current.asMap());
            both.put(SignedHeaders.SIGNATURE, retired.signature() + " " + current.signature());
            assertEquals(200, post(broker, second, both).statusCode());

            // the broker signs its /run calls with the new key, which the host accepts
            assertEquals(2, host.runs());
            assertEquals(0, host.refusedSignatures.size());

            // the development secret is no longer accepted
            byte[] third = request("job-rot-3", "echo").getBytes(StandardCharsets.UTF_8);
            assertRefused(broker, third, new RequestSigner(DEV).sign("POST", "/auction", "broker", third).asMap(), "unknown_key");
        }
    }

    private static void assertRefused(BrokerUnderTest broker, byte[] body, Map<String, String> headers, String error) {
        HttpResponse<String> response = post(broker, body, headers);
        assertEquals(401, response.statusCode(), error + ": " + response.body());
        assertEquals("Offgrid-HMAC", response.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals(error, json(response).path("error").asText());
        assertNull(response.headers().firstValue(SignedHeaders.SIGNATURE).orElse(null), "no header echoed back");
    }

    private static HttpResponse<String> post(BrokerUnderTest broker, byte[] body, Map<String, String> signed) {
        Map<String, String> headers = new HashMap<>(signed);
        headers.put("Content-Type", "application/json");
        return broker.http.post(broker.url("/auction"), body, headers);
    }
}
