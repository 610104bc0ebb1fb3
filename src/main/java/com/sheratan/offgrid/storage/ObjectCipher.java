package com.sheratan.offgrid.storage;

import com.sheratan.offgrid.security.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
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
        byte[] nonce = Arrays.copyOf(sealed, NONCE_BYTES);
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
            ShardCursor out = new ShardCursor(Arrays.copyOf(shards, k), shardBytes);
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
     * Checks the ciphertext across {@code shards[0..k-1]} before any of it is served: it decrypts
     * under the data key to bytes whose SHA-256 is {@code plainSha256} and whose GCM tag is the one
     * stored after the ciphertext. One pass in 64 KiB chunks, no copy of the object: the bytes are
     * decrypted as AES-CTR from GCM's first counter block (see {@link #decrypting}) and encrypted
     * once more with AES-GCM to recompute the tag, because the JDK's GCM decryption would hold the
     * whole object until its tag is checked.
     */
    public void verify(byte[] dataKey, byte[] nonce, String objectId, byte[][] shards, int shardBytes,
                       long cipherBytes, String plainSha256) throws GeneralSecurityException {
        checkSizes(shards.length, shardBytes, cipherBytes);
        long plainBytes = cipherBytes - TAG_BYTES;
        Cipher counter = counterMode(dataKey, nonce);
        Cipher retag = cipher(Cipher.ENCRYPT_MODE, dataKey, nonce, objectId);
        MessageDigest digest = Digests.sha256();
        byte[] plain = new byte[CHUNK];
        byte[] again = new byte[CHUNK + TAG_BYTES];
        ShardCursor cursor = new ShardCursor(shards, shardBytes);
        for (long left = plainBytes; left > 0; ) {
            int n = cursor.next((int) Math.min(CHUNK, left));
            counter.update(cursor.array(), cursor.offset(), n, plain, 0);
            digest.update(plain, 0, n);
            retag.update(plain, 0, n, again, 0);
            left -= n;
        }
        byte[] stored = new byte[TAG_BYTES];
        for (int got = 0; got < TAG_BYTES; ) {
            int n = cursor.next(TAG_BYTES - got);
            System.arraycopy(cursor.array(), cursor.offset(), stored, got, n);
            got += n;
        }
        int tail = retag.doFinal(again, 0);
        byte[] computed = Arrays.copyOfRange(again, tail - TAG_BYTES, tail);
        if (!MessageDigest.isEqual(stored, computed)) {
            throw new AEADBadTagException("the GCM tag does not match: wrong data key or changed bytes");
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(plainSha256)) {
            throw new GeneralSecurityException("the decrypted bytes do not hash to the manifest's sha256");
        }
    }

    /**
     * The plaintext of the ciphertext across {@code shards[0..k-1]}, decrypted as it is read: AES-GCM
     * encrypts with AES-CTR from the counter block nonce ‖ 2 (NIST SP 800-38D), so AES-CTR from that
     * block decrypts it, 64 KiB at a time. The tag is not checked here: call {@link #verify} first.
     */
    public InputStream decrypting(byte[] dataKey, byte[] nonce, byte[][] shards, int shardBytes, long cipherBytes)
            throws GeneralSecurityException {
        checkSizes(shards.length, shardBytes, cipherBytes);
        return new PlainStream(counterMode(dataKey, nonce), new ShardCursor(shards, shardBytes), cipherBytes - TAG_BYTES);
    }

    private static void checkSizes(int k, int shardBytes, long cipherBytes) throws GeneralSecurityException {
        if (cipherBytes < TAG_BYTES || cipherBytes > (long) k * shardBytes) {
            throw new GeneralSecurityException("the manifest's sizes do not fit its shards");
        }
    }

    private static Cipher counterMode(byte[] key, byte[] nonce) throws GeneralSecurityException {
        if (nonce.length != NONCE_BYTES) {
            throw new GeneralSecurityException("a nonce is " + NONCE_BYTES + " bytes");
        }
        byte[] block = Arrays.copyOf(nonce, 16);
        // J0 = nonce ‖ 1; the first block of ciphertext uses inc32(J0). inc32 turns only the low 32 bits,
        // AES-CTR all 128: the same below 2^32 blocks (64 GiB), far above the largest object (an array)
        block[15] = 2;
        Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(block));
        return cipher;
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce, String associatedData)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** A byte stream across consecutive shards: each {@link #next} gives a run within one shard. */
    private static final class ShardCursor {
        private final byte[][] shards;
        private final int shardBytes;
        private int shard;
        private int at;
        private int offset;

        ShardCursor(byte[][] shards, int shardBytes) {
            this.shards = shards;
            this.shardBytes = shardBytes;
        }

        /** Moves past at most {@code max} bytes of the current shard; {@link #array()} and {@link #offset()} say where they are. */
        int next(int max) {
            if (at == shardBytes) {
                shard++;
                at = 0;
            }
            if (shard >= shards.length) {
                throw new IllegalStateException("the bytes do not fit their " + shards.length + " shards");
            }
            int n = Math.min(max, shardBytes - at);
            offset = at;
            at += n;
            return n;
        }

        byte[] array() {
            return shards[shard];
        }

        int offset() {
            return offset;
        }

        /** Copies {@code length} bytes of {@code bytes} to where the stream is, across shards. */
        void write(byte[] bytes, int length) {
            for (int from = 0; from < length; ) {
                int n = next(length - from);
                System.arraycopy(bytes, from, array(), offset(), n);
                from += n;
            }
        }
    }

    /** The plaintext, decrypted into the reader's own buffer as it asks for it. */
    private static final class PlainStream extends InputStream {
        private final Cipher counter;
        private final ShardCursor cursor;
        private long left;

        PlainStream(Cipher counter, ShardCursor cursor, long plainBytes) {
            this.counter = counter;
            this.cursor = cursor;
            this.left = plainBytes;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, into.length);
            if (left == 0) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            int n = cursor.next((int) Math.min(Math.min(length, CHUNK), left));
            try {
                counter.update(cursor.array(), cursor.offset(), n, into, offset);
            } catch (ShortBufferException e) {
                throw new IOException(e);
            }
            left -= n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, left);
        }
    }
}
