package com.sheratan.offgrid.ledger;

import com.sheratan.offgrid.security.Digests;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ledger's Merkle tree, RFC 9162 section 2.1: leaf hash = SHA-256(0x00 ‖ entry), node hash =
 * SHA-256(0x01 ‖ left ‖ right), the tree hash MTH of the first n leaves, inclusion proofs (2.1.3)
 * and consistency proofs (2.1.4), and the checks of both that anyone holding a root can run.
 *
 * <p>The tree keeps every complete aligned subtree it has seen (levels of hashes, about twice the
 * leaves), so a root or a proof of any size up to the current one takes O(log² n) hashes, not a
 * pass over every leaf. Appends and reads are synchronised: one tree is shared by the broker's
 * auctions and its GET endpoints.
 */
public final class MerkleTree {
    public static final int HASH_BYTES = 32;
    private static final byte LEAF = 0x00;
    private static final byte NODE = 0x01;

    /** levels.get(h).get(i) = the hash of leaves [i·2^h, (i+1)·2^h). */
    private final List<List<byte[]>> levels = new ArrayList<>();

    public MerkleTree() {
        levels.add(new ArrayList<>());
    }

    public static byte[] leafHash(byte[] entry) {
        MessageDigest sha = Digests.sha256();
        sha.update(LEAF);
        return sha.digest(entry);
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = Digests.sha256();
        sha.update(NODE);
        sha.update(left);
        return sha.digest(right);
    }

    /** MTH of no leaves: SHA-256 of the empty string. */
    public static byte[] emptyRoot() {
        return Digests.sha256().digest();
    }

    public synchronized int size() {
        return levels.get(0).size();
    }

    /** Adds the next leaf by its leaf hash; returns its index. */
    public synchronized int append(byte[] leafHash) {
        if (leafHash.length != HASH_BYTES) {
            throw new IllegalArgumentException("a leaf hash has 32 bytes, not " + leafHash.length);
        }
        int index = levels.get(0).size();
        levels.get(0).add(leafHash.clone());
        int i = index;
        int h = 0;
        byte[] hash = leafHash;
        while ((i & 1) == 1) {
            hash = nodeHash(levels.get(h).get(i - 1), hash);
            h++;
            i >>= 1;
            if (levels.size() == h) {
                levels.add(new ArrayList<>());
            }
            levels.get(h).add(hash);
        }
        return index;
    }

    public synchronized byte[] leaf(int index) {
        return levels.get(0).get(index).clone();
    }

    /** MTH of the first {@code treeSize} leaves. */
    public synchronized byte[] root(int treeSize) {
        checkSize(treeSize);
        return treeSize == 0 ? emptyRoot() : hash(0, treeSize);
    }

    /** RFC 9162 2.1.3.1: the audit path of leaf {@code index} in the tree of the first {@code treeSize} leaves. */
    public synchronized List<byte[]> inclusionProof(int index, int treeSize) {
        checkSize(treeSize);
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + treeSize);
        }
        List<byte[]> path = new ArrayList<>();
        path(index, 0, treeSize, path);
        return path;
    }

    /** RFC 9162 2.1.4.1: the proof that the tree of {@code first} leaves is a prefix of the tree of {@code second}. */
    public synchronized List<byte[]> consistencyProof(int first, int second) {
        checkSize(second);
        if (first < 0 || first > second) {
            throw new IllegalArgumentException("first " + first + " must be between 0 and second " + second);
        }
        List<byte[]> proof = new ArrayList<>();
        if (first > 0 && first < second) {
            subproof(first, 0, second, true, proof);
        }
        return proof;
    }

    private void checkSize(int treeSize) {
        if (treeSize < 0 || treeSize > size()) {
            throw new IllegalArgumentException("tree size " + treeSize + " is beyond the log's " + size() + " entries");
        }
    }

    /** MTH(D[start:end]); ranges the RFC's recursion makes start at a multiple of their largest power of two. */
    private byte[] hash(int start, int end) {
        int n = end - start;
        if (Integer.bitCount(n) == 1 && start % n == 0) {
            return levels.get(Integer.numberOfTrailingZeros(n)).get(start / n);
        }
        int k = largestPowerOfTwoBelow(n);
        return nodeHash(hash(start, start + k), hash(start + k, end));
    }

    private void path(int m, int start, int end, List<byte[]> out) {
        int n = end - start;
        if (n == 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(m, start, start + k, out);
            out.add(hash(start + k, end));
        } else {
            path(m - k, start + k, end, out);
            out.add(hash(start, start + k));
        }
    }

    private void subproof(int m, int start, int end, boolean whole, List<byte[]> out) {
        int n = end - start;
        if (m == n) {
            if (!whole) {
                out.add(hash(start, end));
            }
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, start, start + k, whole, out);
            out.add(hash(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, out);
            out.add(hash(start, start + k));
        }
    }

    /** The largest power of two strictly below n (n ≥ 2). */
    private static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    /** RFC 9162 2.1.3.2: true when {@code path} proves leaf {@code index} is in the tree of {@code treeSize} with {@code root}. */
    public static boolean verifyInclusion(long index, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= treeSize) {
            return false;
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    /** RFC 9162 2.1.4.2: true when {@code proof} shows the tree ({@code first}, {@code firstRoot}) is a prefix of ({@code second}, {@code secondRoot}). */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
                                            List<byte[]> proof) {
        if (first < 0 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
        }
        if (first == 0) {
            // every tree extends the empty one
            return proof.isEmpty() && Arrays.equals(firstRoot, emptyRoot());
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstRoot);
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
    }
}
