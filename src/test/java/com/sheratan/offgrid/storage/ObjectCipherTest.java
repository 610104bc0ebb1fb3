package com.sheratan.offgrid.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sheratan.offgrid.security.Digests;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The object cipher against the JDK's own AES-GCM used whole: what {@link ObjectCipher#encryptInto}
 * writes is what one GCM call makes, and what {@link ObjectCipher#decrypting} streams back is what
 * one GCM decryption of it gives, for sizes that end anywhere in a shard (the tag too).
 */
class ObjectCipherTest {
    private static final String OBJECT_ID = "obj-0123456789abcdef";

    private final ObjectCipher cipher = new ObjectCipher();
    private final byte[] key = cipher.newKey();
    private final byte[] nonce = cipher.newNonce();

    @ParameterizedTest
    @CsvSource({"0,1", "1,1", "15,2", "16,1", "100,3", "65536,2", "200003,3", "1000000,4"})
    void shardsHoldWhatOneGcmCallMakesAndStreamBackAsOneGcmDecryptionGives(int size, int k) throws Exception {
        byte[] plain = new byte[size];
        new Random(size).nextBytes(plain);
        long cipherBytes = size + ObjectCipher.TAG_BYTES;
        int shardBytes = (int) ((cipherBytes + k - 1) / k);
        byte[][] shards = new byte[k][shardBytes];
        cipher.encryptInto(key, nonce, OBJECT_ID, ByteBuffer.wrap(plain), shards, k, shardBytes);

        byte[] joined = new byte[k * shardBytes];
        for (int i = 0; i < k; i++) {
            System.arraycopy(shards[i], 0, joined, i * shardBytes, shardBytes);
        }
        byte[] expected = jdkGcm(Cipher.ENCRYPT_MODE, plain, plain.length);
        assertArrayEquals(expected, java.util.Arrays.copyOf(joined, (int) cipherBytes));
        assertArrayEquals(plain, jdkGcm(Cipher.DECRYPT_MODE, joined, (int) cipherBytes));

        cipher.verify(key, nonce, OBJECT_ID, shards, shardBytes, cipherBytes, Digests.sha256Hex(plain));
        try (InputStream stream = cipher.decrypting(key, nonce, shards, shardBytes, cipherBytes)) {
            assertArrayEquals(plain, readInOddParts(stream));
        }
    }

    @Test
    void aChangedByteAWrongKeyOrAnotherObjectIdFailVerification() throws Exception {
        byte[] plain = "the bytes of an object, long enough to span both shards".getBytes(StandardCharsets.UTF_8);
        long cipherBytes = plain.length + ObjectCipher.TAG_BYTES;
        int shardBytes = (int) ((cipherBytes + 1) / 2);
        byte[][] shards = new byte[2][shardBytes];
        cipher.encryptInto(key, nonce, OBJECT_ID, ByteBuffer.wrap(plain), shards, 2, shardBytes);
        String sha = Digests.sha256Hex(plain);
        cipher.verify(key, nonce, OBJECT_ID, shards, shardBytes, cipherBytes, sha);

        assertThrows(GeneralSecurityException.class,
                () -> cipher.verify(cipher.newKey(), nonce, OBJECT_ID, shards, shardBytes, cipherBytes, sha));
        assertThrows(GeneralSecurityException.class,
                () -> cipher.verify(key, nonce, "obj-another", shards, shardBytes, cipherBytes, sha));
        assertThrows(GeneralSecurityException.class,
                () -> cipher.verify(key, nonce, OBJECT_ID, shards, shardBytes, cipherBytes, Digests.sha256Hex("x")));
        assertThrows(GeneralSecurityException.class,
                () -> cipher.verify(key, nonce, OBJECT_ID, shards, shardBytes, (long) 2 * shardBytes + 1, sha));
        for (int at : new int[] {0, shardBytes - 1, shardBytes, (int) cipherBytes - 1 - shardBytes}) {
            byte[] shard = at < shardBytes ? shards[0] : shards[1];
            int index = at < shardBytes ? at : at - shardBytes;
            shard[index] ^= 0x01;
            assertThrows(GeneralSecurityException.class,
                    () -> cipher.verify(key, nonce, OBJECT_ID, shards, shardBytes, cipherBytes, sha), "byte " + at);
            shard[index] ^= 0x01;
        }
        cipher.verify(key, nonce, OBJECT_ID, shards, shardBytes, cipherBytes, sha);
    }

    @Test
    void theStreamReadsByteByByteAndEndsAtTheObjectsSize() throws Exception {
        byte[] plain = "seventeen bytes!!".getBytes(StandardCharsets.UTF_8);
        long cipherBytes = plain.length + ObjectCipher.TAG_BYTES;
        byte[][] shards = new byte[1][(int) cipherBytes];
        cipher.encryptInto(key, nonce, OBJECT_ID, ByteBuffer.wrap(plain), shards, 1, (int) cipherBytes);
        try (InputStream stream = cipher.decrypting(key, nonce, shards, (int) cipherBytes, cipherBytes)) {
            assertEquals(plain.length, stream.available());
            for (byte b : plain) {
                assertEquals(b & 0xff, stream.read());
            }
            assertEquals(-1, stream.read());
            assertEquals(-1, stream.read(new byte[4], 0, 4));
        }
    }

    private byte[] jdkGcm(int mode, byte[] input, int length) throws GeneralSecurityException {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD(OBJECT_ID.getBytes(StandardCharsets.UTF_8));
        return gcm.doFinal(input, 0, length);
    }

    private static byte[] readInOddParts(InputStream stream) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[70001];
        int[] sizes = {1, 7, 4096, 70001, 13};
        for (int i = 0; ; i++) {
            int n = stream.read(buffer, 0, sizes[i % sizes.length]);
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buffer, 0, n);
        }
    }
}
