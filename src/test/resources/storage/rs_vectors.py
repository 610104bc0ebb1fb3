#!/usr/bin/env python3
"""Reed-Solomon test vectors for com.sheratan.offgrid.storage.ReedSolomon, computed without it.

Field: GF(2^8) with polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11D), generator 2.
Encoding matrix (k + m rows, k columns): the k x k identity on top of the m x k Cauchy matrix
C[i][j] = 1 / (x_i XOR y_j) with x_i = k + i, y_j = j.  parity[i] = XOR over j of C[i][j] * data[j].
Here multiplication is done bit by bit (Russian peasant, reducing by 0x11D) and the inverse by
brute force, so nothing is shared with the Java tables.

Data shard j, byte b = first byte of SHA-256("rs-vector k=<k> m=<m> shard=<j> byte=<b>").

Run:  python3 src/test/resources/storage/rs_vectors.py > src/test/resources/storage/rs-vectors.json
"""
import hashlib
import json

POLY = 0x11D


def gf_mul(a, b):
    p = 0
    while b:
        if b & 1:
            p ^= a
        a <<= 1
        if a & 0x100:
            a ^= POLY
        b >>= 1
    return p


def gf_inv(a):
    for x in range(1, 256):
        if gf_mul(a, x) == 1:
            return x
    raise ValueError("no inverse of 0")


def data_shard(k, m, j, size):
    return bytes(hashlib.sha256(f"rs-vector k={k} m={m} shard={j} byte={b}".encode()).digest()[0]
                 for b in range(size))


def case(k, m, size):
    data = [data_shard(k, m, j, size) for j in range(k)]
    parity = []
    for i in range(m):
        row = [gf_inv((k + i) ^ j) for j in range(k)]
        out = bytearray(size)
        for j in range(k):
            for b in range(size):
                out[b] ^= gf_mul(row[j], data[j][b])
        parity.append(bytes(out))
    return {"k": k, "m": m, "shard_bytes": size,
            "data": [d.hex() for d in data], "parity": [p.hex() for p in parity]}


if __name__ == "__main__":
    cases = [case(1, 1, 8), case(1, 2, 16), case(2, 1, 33), case(4, 2, 64), case(3, 3, 40),
             case(10, 4, 24), case(17, 3, 5)]
    print(json.dumps({"field_polynomial": "0x11D",
                      "matrix": "identity on top of Cauchy C[i][j] = 1/((k+i) xor j)",
                      "cases": cases}, indent=1))
