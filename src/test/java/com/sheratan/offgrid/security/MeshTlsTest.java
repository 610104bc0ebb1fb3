package com.sheratan.offgrid.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sheratan.offgrid.config.RoleStartException;
import com.sheratan.offgrid.testing.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a role makes of its TLS settings, and the start errors that say what to fix. */
class MeshTlsTest {
    @TempDir
    Path home;

    @Test
    void certificateAndKeyServeHttpsAndTheCaBundleIsTrusted() {
        TestCertificates ca = TestCertificates.authority(home, "mesh-ca");
        TestCertificates.Issued broker = ca.issue("broker");
        MeshTls tls = from(Map.of(MeshTls.CERT_FILE, broker.certFile().toString(),
                MeshTls.KEY_FILE, broker.keyFile().toString(), MeshTls.CA_FILE, ca.caFile().toString()));
        assertTrue(tls.serves());
        assertTrue(tls.hasCa());
        assertTrue(tls.clientContext() != null);

        MeshTls none = from(Map.of());
        assertFalse(none.serves());
        assertFalse(none.hasCa());
    }

    @Test
    void refusesACertificateWithoutItsKeyAndAKeyThatIsNotTheCertificates() {
        TestCertificates ca = TestCertificates.authority(home, "mesh-ca");
        TestCertificates.Issued one = ca.issue("one");
        TestCertificates.Issued other = ca.issue("other");
        RoleStartException alone = assertThrows(RoleStartException.class,
                () -> from(Map.of(MeshTls.CERT_FILE, one.certFile().toString())));
        assertTrue(alone.getMessage().contains("needs both offgrid.tls.cert-file and offgrid.tls.key-file"),
                alone.getMessage());
        RoleStartException mismatch = assertThrows(RoleStartException.class, () -> from(Map.of(
                MeshTls.CERT_FILE, one.certFile().toString(), MeshTls.KEY_FILE, other.keyFile().toString())));
        assertTrue(mismatch.getMessage().contains("is not the key of the certificate"), mismatch.getMessage());
    }

    @Test
    void refusesAnEncryptedKeySayingHowToUnlockIt() throws IOException {
        TestCertificates ca = TestCertificates.authority(home, "mesh-ca");
        TestCertificates.Issued one = ca.issue("one");
        Path encrypted = Files.writeString(home.resolve("locked.pem"),
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        RoleStartException refused = assertThrows(RoleStartException.class, () -> from(Map.of(
                MeshTls.CERT_FILE, one.certFile().toString(), MeshTls.KEY_FILE, encrypted.toString())));
        assertTrue(refused.getMessage().contains("openssl pkey -in locked.pem"), refused.getMessage());
    }

    private static MeshTls from(Map<String, String> settings) {
        return MeshTls.from(settings::get);
    }
}
