package com.sheratan.offgrid.storage;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Systematic Reed–Solomon over GF(2^8) with the polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D):
 * {@code k} data shards and {@code m} parity shards, any {@code k} of the {@code k + m} rebuild the rest.
 * <p>
 * The encoding matrix is the {@code k} × {@code k} identity on top of an {@code m} × {@code k} Cauchy
 * matrix {@code C[i][j] = 1 / (x_i + y_j)} with {@code x_i = k + i} and {@code y_j = j} (addition is
 * XOR; all {@code x_i}, {@code y_j} distinct, so every square submatrix of C is invertible and so is
 * every {@code k} rows of the whole matrix). src/test/resources/storage/rs_vectors.py builds the same
 * matrix independently; docs/storage.md describes it.
 * <p>
 * Made once per (k, m) by the caller; the decoding matrix of each pattern of missing shards is kept
 * in the instance. Thread-safe. Arithmetic goes through a 64 KiB table of all products, so the inner
 * loops are one table look-up and one XOR per byte.
 */
public final class ReedSolomon {
    /** Shards are coded in stripes of this many bytes, so the parity being summed stays in cache. */
    private static final int STRIPE = 16 * 1024;

    private final int dataShards;
    private final int parityShards;
    private final GaloisField field;
    /** rows k..k+m-1 of the encoding matrix: parity[i] = Σ_j parityRows[i][j] · data[j] */
    private final byte[][] parityRows;
    private final Map<String, byte[][]> decodeMatrices = new ConcurrentHashMap<>();

    public ReedSolomon(int dataShards, int parityShards) {
        if (dataShards < 1 || parityShards < 0 || dataShards + parityShards > 256) {
            throw new IllegalArgumentException("k must be at least 1, m at least 0 and k + m at most 256, was k="
                    + dataShards + " m=" + parityShards);
        }
        this.dataShards = dataShards;
        this.parityShards = parityShards;
        this.field = GaloisField.INSTANCE;
        this.parityRows = new byte[parityShards][dataShards];
        for (int i = 0; i < parityShards; i++) {
            for (int j = 0; j < dataShards; j++) {
                parityRows[i][j] = (byte) field.inverse((dataShards + i) ^ j);
            }
        }
    }

    public int dataShards() {
        return dataShards;
    }

    public int parityShards() {
        return parityShards;
    }

    public int totalShards() {
        return dataShards + parityShards;
    }

    /** Row {@code index} of the encoding matrix (for tests and docs). */
    public byte[] matrixRow(int index) {
        if (index < dataShards) {
            byte[] row = new byte[dataShards];
            row[index] = 1;
            return row;
        }
        return parityRows[index - dataShards].clone();
    }

    /**
     * Computes the parity shards {@code shards[k..k+m-1]} from the data shards {@code shards[0..k-1]},
     * over bytes {@code offset .. offset+length-1} of each. Every shard array must be that long.
     */
    public void encodeParity(byte[][] shards, int offset, int length) {
        checkShards(shards, offset, length);
        byte[][] data = Arrays.copyOf(shards, dataShards);
        java.util.List<byte[]> rows = new java.util.ArrayList<>();
        java.util.List<byte[]> parity = new java.util.ArrayList<>();
        for (int i = 0; i < parityShards; i++) {
            if (!(isCopyOfData(dataShards + i) && shards[dataShards + i] == shards[0])) {
                rows.add(parityRows[i]);
                parity.add(shards[dataShards + i]);
            }
        }
        multiply(rows.toArray(byte[][]::new), data, parity.toArray(byte[][]::new), offset, length);
    }

    /**
     * Arrays for the k + m shards of {@code bytes} each. With k = 1 the first parity row is [1]: that
     * parity shard is the data shard itself, so it shares its array (a replicated object is then held
     * once, not twice, while it is written) and {@link #encodeParity} leaves it as it is.
     */
    public byte[][] newShards(int bytes) {
        byte[][] shards = new byte[totalShards()][];
        for (int i = 0; i < totalShards(); i++) {
            shards[i] = isCopyOfData(i) ? shards[0] : new byte[bytes];
        }
        return shards;
    }

    private boolean isCopyOfData(int index) {
        return dataShards == 1 && index >= 1 && parityRows[index - 1][0] == 1;
    }

    /**
     * Fills in the shards whose {@code present[i]} is false from at least {@code k} present ones,
     * over bytes {@code offset .. offset+length-1} of each; missing shards must already be arrays of
     * the right size (their content is overwritten), except missing parity shards given as
     * {@code null}, which are left out (a reader that needs only the data passes them so).
     *
     * @throws IllegalArgumentException when fewer than {@code k} shards are present
     */
    public void decodeMissing(byte[][] shards, boolean[] present, int offset, int length) {
        checkShards(shards, present, offset, length);
        if (present.length != totalShards()) {
            throw new IllegalArgumentException("present has " + present.length + " flags for " + totalShards() + " shards");
        }
        int[] chosen = new int[dataShards];
        int have = 0;
        for (int i = 0; i < totalShards() && have < dataShards; i++) {
            if (present[i]) {
                chosen[have++] = i;
            }
        }
        if (have < dataShards) {
            throw new IllegalArgumentException("only " + have + " of the " + dataShards + " shards needed are present");
        }
        // missing data shards: data = inverse(rows of the chosen shards) · chosen shards
        int missingData = 0;
        for (int i = 0; i < dataShards; i++) {
            if (!present[i]) {
                missingData++;
            }
        }
        if (missingData > 0) {
            byte[][] inverse = decodeMatrices.computeIfAbsent(Arrays.toString(chosen), key -> decodeMatrix(chosen));
            byte[][] rows = new byte[missingData][];
            byte[][] outputs = new byte[missingData][];
            int r = 0;
            for (int i = 0; i < dataShards; i++) {
                if (!present[i]) {
                    rows[r] = inverse[i];
                    outputs[r++] = shards[i];
                }
            }
            byte[][] inputs = new byte[dataShards][];
            for (int c = 0; c < dataShards; c++) {
                inputs[c] = shards[chosen[c]];
            }
            multiply(rows, inputs, outputs, offset, length);
        }
        // missing parity shards: encode them again from the (now whole) data
        int missingParity = 0;
        for (int i = dataShards; i < totalShards(); i++) {
            if (!present[i] && shards[i] != null) {
                missingParity++;
            }
        }
        if (missingParity > 0) {
            byte[][] rows = new byte[missingParity][];
            byte[][] outputs = new byte[missingParity][];
            int r = 0;
            for (int i = dataShards; i < totalShards(); i++) {
                if (!present[i] && shards[i] != null) {
                    rows[r] = parityRows[i - dataShards];
                    outputs[r++] = shards[i];
                }
            }
            multiply(rows, Arrays.copyOf(shards, dataShards), outputs, offset, length);
        }
    }

    private byte[][] decodeMatrix(int[] chosen) {
        byte[][] sub = new byte[dataShards][];
        for (int r = 0; r < dataShards; r++) {
            sub[r] = matrixRow(chosen[r]);
        }
        return field.invert(sub);
    }

    /** outputs[r] = Σ_c rows[r][c] · inputs[c], stripe by stripe. */
    private void multiply(byte[][] rows, byte[][] inputs, byte[][] outputs, int offset, int length) {
        int end = offset + length;
        for (int start = offset; start < end; start += STRIPE) {
            int stop = Math.min(end, start + STRIPE);
            for (int r = 0; r < rows.length; r++) {
                byte[] out = outputs[r];
                byte[] row = rows[r];
                byte[] table = field.productsOf(row[0]);
                byte[] in = inputs[0];
                for (int b = start; b < stop; b++) {
                    out[b] = table[in[b] & 0xff];
                }
                for (int c = 1; c < inputs.length; c++) {
                    table = field.productsOf(row[c]);
                    in = inputs[c];
                    for (int b = start; b < stop; b++) {
                        out[b] ^= table[in[b] & 0xff];
                    }
                }
            }
        }
    }

    private void checkShards(byte[][] shards, boolean[] present, int offset, int length) {
        if (shards.length != totalShards() || present.length != totalShards()) {
            throw new IllegalArgumentException(shards.length + " shards and " + present.length + " flags given, "
                    + totalShards() + " expected");
        }
        for (int i = 0; i < totalShards(); i++) {
            boolean mayBeLeftOut = i >= dataShards && !present[i];
            if (shards[i] == null ? !mayBeLeftOut : shards[i].length < offset + length) {
                throw new IllegalArgumentException("shard " + i + " must hold at least " + (offset + length) + " bytes");
            }
        }
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative");
        }
    }

    private void checkShards(byte[][] shards, int offset, int length) {
        if (shards.length != totalShards()) {
            throw new IllegalArgumentException(shards.length + " shards given, " + totalShards() + " expected");
        }
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must not be negative");
        }
        for (byte[] shard : shards) {
            if (shard == null || shard.length < offset + length) {
                throw new IllegalArgumentException("every shard must hold at least " + (offset + length) + " bytes");
            }
        }
    }

    /** GF(2^8) with 0x11D: log/exp tables, and a table of all 256 × 256 products. Immutable. */
    static final class GaloisField {
        static final GaloisField INSTANCE = new GaloisField();
        private static final int POLYNOMIAL = 0x11D;

        private final int[] exp = new int[512];
        private final int[] log = new int[256];
        private final byte[][] products = new byte[256][256];

        private GaloisField() {
            int x = 1;
            for (int i = 0; i < 255; i++) {
                exp[i] = x;
                log[x] = i;
                x <<= 1;
                if (x >= 256) {
                    x ^= POLYNOMIAL;
                }
            }
            for (int i = 255; i < 512; i++) {
                exp[i] = exp[i - 255];
            }
            for (int a = 0; a < 256; a++) {
                for (int b = 0; b < 256; b++) {
                    products[a][b] = (byte) multiply(a, b);
                }
            }
        }

        int multiply(int a, int b) {
            return a == 0 || b == 0 ? 0 : exp[log[a] + log[b]];
        }

        int inverse(int a) {
            if (a == 0) {
                throw new ArithmeticException("0 has no inverse in GF(2^8)");
            }
            return exp[255 - log[a]];
        }

        byte[] productsOf(byte coefficient) {
            return products[coefficient & 0xff];
        }

        /** The inverse of a square matrix by Gauss–Jordan elimination. */
        byte[][] invert(byte[][] matrix) {
            int n = matrix.length;
            int[][] work = new int[n][2 * n];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    work[r][c] = matrix[r][c] & 0xff;
                }
                work[r][n + r] = 1;
            }
            for (int col = 0; col < n; col++) {
                int pivot = col;
                while (pivot < n && work[pivot][col] == 0) {
                    pivot++;
                }
                if (pivot == n) {
                    throw new ArithmeticException("the matrix is singular");
                }
                int[] swap = work[col];
                work[col] = work[pivot];
                work[pivot] = swap;
                int scale = inverse(work[col][col]);
                for (int c = 0; c < 2 * n; c++) {
                    work[col][c] = multiply(work[col][c], scale);
                }
                for (int r = 0; r < n; r++) {
                    if (r != col && work[r][col] != 0) {
                        int factor = work[r][col];
                        for (int c = 0; c < 2 * n; c++) {
                            work[r][c] ^= multiply(factor, work[col][c]);
                        }
                    }
                }
            }
            byte[][] inverse = new byte[n][n];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < n; c++) {
                    inverse[r][c] = (byte) work[r][n + c];
                }
            }
            return inverse;
        }
    }
}
