package com.sheratan.offgrid.security;

import com.sheratan.offgrid.config.RoleStartException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A role's TLS material from PEM files: its certificate chain and private key
 * ({@value #CERT_FILE}, {@value #KEY_FILE}), with which it serves HTTPS, and the CA bundle
 * ({@value #CA_FILE}) its calls to other roles verify the receiver against. Both halves are optional:
 * without a certificate the role serves plain HTTP; without a CA bundle a call to an {@code https://}
 * URL trusts the JVM's default CAs. A file that cannot be read, or a key that is not the
 * certificate's, stops the role at start-up with what to fix.
 */
public final class MeshTls {
    public static final String CERT_FILE = "offgrid.tls.cert-file";
    public static final String KEY_FILE = "offgrid.tls.key-file";
    public static final String CA_FILE = "offgrid.tls.ca-file";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    /** The certificate and key in one in-memory key store (null: plain HTTP), and its password. */
    private final KeyStore identity;
    private final String identityPassword;
    /** The CA certificates (null: the JVM's default trust). */
    private final KeyStore trust;
    private final String describe;

    private MeshTls(KeyStore identity, String identityPassword, KeyStore trust, String describe) {
        this.identity = identity;
        this.identityPassword = identityPassword;
        this.trust = trust;
        this.describe = describe;
    }

    /** The TLS of a role's settings; {@code setting} answers a key's value, null or blank when unset. */
    public static MeshTls from(Function<String, String> setting) {
        String cert = blankToNull(setting.apply(CERT_FILE));
        String key = blankToNull(setting.apply(KEY_FILE));
        String ca = blankToNull(setting.apply(CA_FILE));
        if ((cert == null) != (key == null)) {
            throw new RoleStartException("TLS needs both " + CERT_FILE + " and " + KEY_FILE + " (PEM files), "
                    + (cert == null ? KEY_FILE : CERT_FILE) + " alone is set");
        }
        KeyStore identity = null;
        String password = null;
        if (cert != null) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            password = HexFormat.of().formatHex(random);
            identity = identity(Path.of(cert), Path.of(key), password.toCharArray());
        }
        KeyStore trust = ca == null ? null : trust(Path.of(ca));
        String describe = (cert == null ? "plain HTTP" : "HTTPS with " + cert)
                + (ca == null ? "; calls trust the JVM's CAs" : "; calls verify receivers against " + ca);
        return new MeshTls(identity, password, trust, describe);
    }

    /** True when the role serves HTTPS. */
    public boolean serves() {
        return identity != null;
    }

    /** True when calls verify the receiver against the configured CA bundle. */
    public boolean hasCa() {
        return trust != null;
    }

    /** The HTTP server's side: its certificate and key (no client certificates are asked for). */
    public SSLContextParameters serverParameters(CamelContext context) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setCamelContext(context);
        store.setKeyStore(identity);
        store.setPassword(identityPassword);
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setCamelContext(context);
        keys.setKeyStore(store);
        keys.setKeyPassword(identityPassword);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setCamelContext(context);
        parameters.setKeyManagers(keys);
        return parameters;
    }

    /** A caller's side for Camel's http component: trust the CA bundle only (null without one). */
    public SSLContextParameters clientParameters(CamelContext context) {
        if (trust == null) {
            return null;
        }
        KeyStoreParameters store = new KeyStoreParameters();
        store.setCamelContext(context);
        store.setKeyStore(trust);
        TrustManagersParameters trusted = new TrustManagersParameters();
        trusted.setCamelContext(context);
        trusted.setKeyStore(store);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setCamelContext(context);
        parameters.setTrustManagers(trusted);
        return parameters;
    }

    /** A caller's side as a JDK SSL context: trust the CA bundle only (null without one). */
    public SSLContext clientContext() {
        if (trust == null) {
            return null;
        }
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context from " + CA_FILE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return describe;
    }

    private static KeyStore identity(Path certFile, Path keyFile, char[] password) {
        List<Certificate> chain = certificates(certFile, CERT_FILE);
        PrivateKey key = privateKey(keyFile);
        if (!belongTogether(key, (X509Certificate) chain.get(0))) {
            throw new RoleStartException(KEY_FILE + " " + keyFile + " is not the key of the certificate in "
                    + CERT_FILE + " " + certFile + " (the first certificate of the file must be the role's own)");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("role", key, password, chain.toArray(Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new RoleStartException("cannot hold the TLS key of " + keyFile + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore trust(Path caFile) {
        List<Certificate> cas = certificates(caFile, CA_FILE);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new RoleStartException("cannot hold the CA certificates of " + caFile + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file, String key) {
        try {
            List<Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file))));
            if (certificates.isEmpty()) {
                throw new RoleStartException(key + " " + file + " holds no PEM certificate");
            }
            return certificates;
        } catch (IOException e) {
            throw new RoleStartException("cannot read " + key + " " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new RoleStartException(key + " " + file + " is not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    /** PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}), unencrypted. */
    private static PrivateKey privateKey(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new RoleStartException("cannot read " + KEY_FILE + " " + file + ": " + e.getMessage(), e);
        }
        Matcher block = PEM.matcher(pem);
        while (block.find()) {
            String type = block.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue; // e.g. EC PARAMETERS before the key
            }
            byte[] der = Base64.getMimeDecoder().decode(block.group(2));
            try {
                return switch (type) {
                    case "PRIVATE KEY" -> pkcs8(der);
                    case "RSA PRIVATE KEY" -> pkcs8(new PrivateKeyInfo(new AlgorithmIdentifier(
                            PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                            org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(der)).getEncoded());
                    case "EC PRIVATE KEY" -> pkcs8(new PrivateKeyInfo(new AlgorithmIdentifier(
                            X9ObjectIdentifiers.id_ecPublicKey, ECPrivateKey.getInstance(der).getParametersObject()),
                            ECPrivateKey.getInstance(der)).getEncoded());
                    default -> throw new RoleStartException(KEY_FILE + " " + file + " holds an " + type
                            + ": give the role an unencrypted key (openssl pkey -in " + file.getFileName()
                            + " -out plain-key.pem) and keep the file readable by the role only (chmod 600)");
                };
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw new RoleStartException(KEY_FILE + " " + file + " holds a " + type + " that cannot be read: "
                        + e.getMessage(), e);
            }
        }
        throw new RoleStartException(KEY_FILE + " " + file + " holds no PEM private key");
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Signs a few bytes with the key and checks them with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            byte[] probe = "offgrid-tls-key-check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
