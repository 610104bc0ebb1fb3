package com.sheratan.offgrid.host;

import static com.sheratan.offgrid.testing.Http.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sheratan.offgrid.security.ReceiptSigner;
import com.sheratan.offgrid.security.ReceiptVerifier;
import com.sheratan.offgrid.testing.TestRoles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receipt key pair in the host's state folder: kept across restarts, repaired rather than replaced. */
class HostKeysTest {
    @TempDir
    Path home;

    @Test
    void aMissingPublicKeyIsWrittenAgainFromThePrivateKey() throws Exception {
        Path keys = home.resolve("state/hosts/host-k");
        String keyBefore;
        String privateBefore;
        try (TestRoles roles = new TestRoles(home)) {
            keyBefore = json(new HostCalls(roles.host("host-k", Map.of())).get("/announce")).get("verify_key").asText();
            privateBefore = Files.readString(keys.resolve(HostKeys.PRIVATE_FILE));
        }
        Files.delete(keys.resolve(HostKeys.PUBLIC_FILE));

        try (TestRoles roles = new TestRoles(home)) {
            HostCalls calls = new HostCalls(roles.host("host-k", Map.of()));
            assertEquals(keyBefore, json(calls.get("/announce")).get("verify_key").asText(),
                    "the host's verify_key changed because one file was missing");
            assertEquals(privateBefore, Files.readString(keys.resolve(HostKeys.PRIVATE_FILE)), "the private key was replaced");
            assertEquals(keyBefore, Files.readString(keys.resolve(HostKeys.PUBLIC_FILE)).strip());
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(keys.resolve(HostKeys.PRIVATE_FILE))));

            JsonNode ran = json(calls.run(HostCalls.job("echo", Map.of("text", "signed"))));
            assertTrue(ReceiptVerifier.verify(ran.get("receipt"), keyBefore), ran.toString());
        }
    }

    @Test
    void aPublicKeyThatIsNotThePrivateKeysOwnIsWrittenAgainSoReceiptsVerify() throws Exception {
        Path keys = home.resolve("state/hosts/host-k");
        String keyBefore;
        try (TestRoles roles = new TestRoles(home)) {
            keyBefore = json(new HostCalls(roles.host("host-k", Map.of())).get("/announce")).get("verify_key").asText();
        }
        String foreign = ReceiptSigner.encodeVerifyKey(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic());
        Files.writeString(keys.resolve(HostKeys.PUBLIC_FILE), foreign + "\n");

        try (TestRoles roles = new TestRoles(home)) {
            HostCalls calls = new HostCalls(roles.host("host-k", Map.of()));
            assertEquals(keyBefore, json(calls.get("/announce")).get("verify_key").asText(),
                    "the published verify_key is the private key's own");
            assertEquals(keyBefore, Files.readString(keys.resolve(HostKeys.PUBLIC_FILE)).strip());
            JsonNode ran = json(calls.run(HostCalls.job("echo", Map.of("text", "signed"))));
            assertTrue(ReceiptVerifier.verify(ran.get("receipt"), keyBefore), ran.toString());
        }
    }
}
