package com.sheratan.offgrid.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM as mesh storage uses it (SPEC 13): each object version is encrypted with a fresh
 * 256-bit data key and a random 96-bit nonce, with the object id as associated data; the data key
 * is wrapped (AES-256-GCM too: nonce ‖ ciphertext ‖ tag) with the core's storage key. The ciphertext
 * goes straight into the data shards, so the object's bytes are never copied whole once more.
 */
public final class ObjectCipher {
    public static final int KEY_BYTES = 32;
    public static final int NONCE_BYTES = 12;
    public static final int TAG_BYTES = 16;
    private static final int CHUNK = 64 * 1024;

    private final SecureRandom random = new SecureRandom();

    public byte[] newKey() {
        return randomBytes(KEY_BYTES);
    }

    public byte[] newNonce() {
        return randomBytes(NONCE_BYTES);
    }

    public byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Seals small values (a data key, a manifest) with {@code key}: nonce ‖ ciphertext ‖ tag. */
    public byte[] seal(byte[] key, byte[] plain, String associatedData) {
        byte[] nonce = newNonce();
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, associatedData);
            byte[] sealed = new byte[NONCE_BYTES + plain.length + TAG_BYTES];
            System.arraycopy(nonce, 0, sealed, 0, NONCE_BYTES);
            cipher.doFinal(plain, 0, plain.length, sealed, NONCE_BYTES);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    /** Opens what {@link #seal} made; a wrong key, changed bytes or other associated data throws. */
    public byte[] open(byte[] key, byte[] sealed, String associatedData) throws GeneralSecurityException {
        if (sealed.length < NONCE_BYTES + TAG_BYTES) {
            throw new GeneralSecurityException("sealed value too short");
        }
        byte[] nonce = java.util.Arrays.copyOf(sealed, NONCE_BYTES);
        return cipher(Cipher.DECRYPT_MODE, key, nonce, associatedData)
                .doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    }

    /**
     * Encrypts the bytes left in {@code plain} (a view of the request body: no copy is made) and writes
     * the ciphertext (tag included: 16 bytes more)
     * across {@code shards[0..k-1]}, {@code shardBytes} each, in order; the rest of the last ones stays zero.
     */
    public void encryptInto(byte[] dataKey, byte[] nonce, String objectId, ByteBuffer plain, byte[][] shards, int k,
                            int shardBytes) {
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, dataKey, nonce, objectId);
            ShardWriter out = new ShardWriter(shards, k, shardBytes);
            byte[] buffer = new byte[CHUNK + TAG_BYTES];
            ByteBuffer in = plain.duplicate();
            while (in.hasRemaining()) {
                ByteBuffer chunk = in.slice();
                chunk.limit(Math.min(CHUNK, chunk.remaining()));
                in.position(in.position() + chunk.remaining());
                int n = cipher.update(chunk, ByteBuffer.wrap(buffer));
                out.write(buffer, n);
            }
            out.write(buffer, cipher.doFinal(buffer, 0));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts {@code cipherBytes} bytes read across {@code shards[0..k-1]}; the tag is checked before
     * anything is returned, so changed bytes throw and are never served.
     */
    public byte[] decryptFrom(byte[] dataKey, byte[] nonce, String objectId, byte[][] shards, int k, int shardBytes,
                              long cipherBytes) throws GeneralSecurityException {
        if (cipherBytes < TAG_BYTES || cipherBytes > (long) k * shardBytes) {
            throw new GeneralSecurityException("the manifest's sizes do not fit its shards");
        }
        Cipher cipher = cipher(Cipher.DECRYPT_MODE, dataKey, nonce, objectId);
        byte[] plain = new byte[(int) (cipherBytes - TAG_BYTES)];
        int written = 0;
        long left = cipherBytes;
        for (int i = 0; i < k && left > 0; i++) {
            int take = (int) Math.min(shardBytes, left);
            written += cipher.update(shards[i], 0, take, plain, written);
            left -= take;
        }
        cipher.doFinal(plain, written);
        return plain;
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, String associatedData)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** Writes a byte stream across consecutive shards. */
    private static final class ShardWriter {
        private final byte[][] shards;
        private final int k;
        private final int shardBytes;
        private int shard;
        private int at;

        ShardWriter(byte[][] shards, int k, int shardBytes) {
            this.shards = shards;
            this.k = k;
            this.shardBytes = shardBytes;
        }

        void write(byte[] bytes, int length) {
            int from = 0;
            while (from < length) {
                if (at == shardBytes) {
                    shard++;
                    at = 0;
                }
                if (shard >= k) {
                    throw new IllegalStateException("the ciphertext does not fit its " + k + " shards");
                }
                int n = Math.min(length - from, shardBytes - at);
                System.arraycopy(bytes, from, shards[shard], at, n);
                at += n;
                from += n;
            }
        }
    }
}
