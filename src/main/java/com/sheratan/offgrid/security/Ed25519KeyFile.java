package com.sheratan.offgrid.security;

import com.sheratan.offgrid.config.EscapingLogger;
import com.sheratan.offgrid.contract.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.slf4j.Logger;

/**
 * An Ed25519 key pair kept in a state folder so the published {@code verify_key} stays the same
 * across restarts: {@code <name>.pk8} (Base64 PKCS#8, owner-only) and {@code <name>.pub} (Base64
 * X.509). Created on first start; a missing public key is derived again from the private key, never
 * replaced by a new pair. A host keeps its receipt key this way, the broker its ledger key.
 */
public final class Ed25519KeyFile {
    private static final Logger LOG = EscapingLogger.of(Ed25519KeyFile.class);

    private final Path privateFile;
    private final Path publicFile;
    private final String purpose;

    /** {@code name} without extension ({@code receipt-key}); {@code purpose} names the key in messages. */
    public Ed25519KeyFile(Path stateDir, String name, String purpose) {
        this.privateFile = stateDir.resolve(name + ".pk8");
        this.publicFile = stateDir.resolve(name + ".pub");
        this.purpose = purpose;
    }

    public Path privateFile() {
        return privateFile;
    }

    public Path publicFile() {
        return publicFile;
    }

    public KeyPair loadOrCreate() {
        Path stateDir = privateFile.getParent();
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            if (Files.isRegularFile(privateFile)) {
                PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(decode(privateFile)));
                byte[] derived = publicKeyOf(privateKey);
                boolean present = Files.isRegularFile(publicFile);
                if (present && Arrays.equals(decode(publicFile), derived)) {
                    return new KeyPair(factory.generatePublic(new X509EncodedKeySpec(derived)), privateKey);
                }
                // the private key signs, so its own public key is the verify_key: a missing or foreign .pub is repaired
                PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(derived));
                writeAtomically(publicFile, publicKey.getEncoded(), false);
                LOG.warn("{} was {} in {}; wrote it again from {}", publicFile.getFileName(),
                        present ? "not the public key of " + privateFile.getFileName() : "missing", stateDir,
                        privateFile.getFileName());
                return new KeyPair(publicKey, privateKey);
            }
            KeyPair created = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.createDirectories(stateDir);
            writeAtomically(publicFile, created.getPublic().getEncoded(), false);
            writeAtomically(privateFile, created.getPrivate().getEncoded(), true);
            LOG.info("created a new Ed25519 {} pair in {}", purpose, stateDir);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the " + purpose + " pair in " + stateDir + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the " + purpose + " pair in " + stateDir + " is unreadable (" + e.getMessage()
                    + "); move " + privateFile.getFileName() + " and " + publicFile.getFileName()
                    + " aside to make a new one", e);
        }
    }

    /** The X.509 encoding of the public key that belongs to an Ed25519 private key (RFC 8032: derived from its seed). */
    private static byte[] publicKeyOf(PrivateKey privateKey) throws IOException {
        byte[] seed = ((EdECPrivateKey) privateKey).getBytes()
                .orElseThrow(() -> new IllegalArgumentException("the Ed25519 private key has no seed bytes"));
        return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(
                new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey()).getEncoded();
    }

    private static byte[] decode(Path file) throws IOException {
        return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
    }

    /** Base64 text, on disk before the key is used; a secret is owner-only from its first byte on. */
    private static void writeAtomically(Path file, byte[] encoded, boolean secret) throws IOException {
        AtomicFile.write(file, (Base64.getEncoder().encodeToString(encoded) + "\n").getBytes(StandardCharsets.US_ASCII),
                AtomicFile.Sync.DURABLE, secret);
    }
}
