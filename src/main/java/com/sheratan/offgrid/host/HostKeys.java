package com.sheratan.offgrid.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's Ed25519 key pair for receipts, kept in its state folder so the published
 * {@code verify_key} stays the same across restarts: {@code receipt-key.pk8} (Base64 PKCS#8,
 * owner-only) and {@code receipt-key.pub} (Base64 X.509). Created on first start.
 */
final class HostKeys {
    private static final Logger LOG = LoggerFactory.getLogger(HostKeys.class);
    static final String PRIVATE_FILE = "receipt-key.pk8";
    static final String PUBLIC_FILE = "receipt-key.pub";

    private HostKeys() {
    }

    static KeyPair loadOrCreate(Path stateDir) {
        Path privateFile = stateDir.resolve(PRIVATE_FILE);
        Path publicFile = stateDir.resolve(PUBLIC_FILE);
        try {
            if (Files.isRegularFile(privateFile) && Files.isRegularFile(publicFile)) {
                return load(privateFile, publicFile);
            }
            KeyPair created = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.createDirectories(stateDir);
            writeAtomically(publicFile, created.getPublic().getEncoded(), false);
            writeAtomically(privateFile, created.getPrivate().getEncoded(), true);
            LOG.info("created a new Ed25519 receipt key pair in {}", stateDir);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the receipt key pair in " + stateDir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the receipt key pair in " + stateDir + " is unreadable (" + e.getMessage()
                    + "); move " + PRIVATE_FILE + " and " + PUBLIC_FILE + " aside to make a new one", e);
        }
    }

    private static KeyPair load(Path privateFile, Path publicFile) throws IOException, GeneralSecurityException {
        KeyFactory factory = KeyFactory.getInstance("Ed25519");
        return new KeyPair(
                factory.generatePublic(new X509EncodedKeySpec(decode(publicFile))),
                factory.generatePrivate(new PKCS8EncodedKeySpec(decode(privateFile))));
    }

    private static byte[] decode(Path file) throws IOException {
        return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
    }

    private static void writeAtomically(Path file, byte[] encoded, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Base64.getEncoder().encodeToString(encoded) + "\n", StandardCharsets.US_ASCII);
        if (secret) {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // the folder's own permissions protect it
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
