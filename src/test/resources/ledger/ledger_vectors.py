#!/usr/bin/env python3
"""Independent test vectors for the cost ledger (SPEC section 12), computed without the product's code.

Writes ledger-vectors.json next to this script: for a fixed list of charges, each entry's canonical
JSON, its leaf hash, the root of every tree size, and every inclusion and consistency proof
(RFC 9162 2.1.1, 2.1.3, 2.1.4), with amounts computed in Python's decimal arithmetic.
LedgerVectorsTest recomputes all of it with the product's code and compares.

    python3 src/test/resources/ledger/ledger_vectors.py
"""
import hashlib
import json
import os
from decimal import Decimal, ROUND_HALF_EVEN

NINE = Decimal("0.000000001")
RESERVE_RATE = Decimal("0.01")


def number(value):
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int):
        return str(value)
    d = Decimal(repr(value))  # repr is the shortest form that reads back as the same double
    if d == 0:
        return "0"
    text = format(d.normalize(), "f")
    return text


def canonical(value):
    """Keys sorted, no whitespace, numbers plain decimal without exponent or trailing zeros."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical(value[k]) for k in sorted(value)) + "}"
    raise ValueError(repr(value))


def amount(value):
    return format(value.quantize(NINE, rounding=ROUND_HALF_EVEN), "f")


def sha256(data):
    return hashlib.sha256(data).digest()


def leaf_hash(entry_bytes):
    return sha256(b"\x00" + entry_bytes)


def node_hash(left, right):
    return sha256(b"\x01" + left + right)


def largest_power_of_two_below(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves):
    n = len(leaves)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return leaves[0]
    k = largest_power_of_two_below(n)
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def path(m, leaves):
    n = len(leaves)
    if n == 1:
        return []
    k = largest_power_of_two_below(n)
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m, leaves, whole):
    n = len(leaves)
    if m == n:
        return [] if whole else [mth(leaves)]
    k = largest_power_of_two_below(n)
    if m <= k:
        return subproof(m, leaves[:k], whole) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def receipt(node, job, attempt, kind, units, quote, n):
    return {"version": "1", "node_id": node, "job_id": job, "attempt_id": attempt, "kind": kind, "units": units,
            "quote": quote, "started_ms": 1767225600000 + n, "finished_ms": 1767225600007 + n,
            "output_sha256": hashlib.sha256(("out-%d" % n).encode()).hexdigest(), "nonce": "nonce-%d" % n,
            "sig_algo": "Ed25519", "verify_key": "MCowBQYDK2VwAyEA" + "A" * 43 + "=", "sig": "c2lnLQ==" }


# (job_id, attempt_id, mission_id, task_id, kind, node_id, units, quote)
CHARGES = [
    ("job-1", "att-1", None, None, "echo", "host-a", 0.1, 0.1),
    ("job-2", "att-2", "m-1", "t-1", "sha256", "host-b", 0.1, 0.15),
    ("job-3", "att-3", "m-1", "t-2", "llm_call", "host-a", 0.000123, 0.000123),
    ("job-4", "att-4", "m-2", None, "write_file", "host-a", 1e-05, 1e-05),
    ("job-5", "att-5", None, None, "echo", "host-b", 0.1, 2.0000000005),
    ("job-6", "att-6", "m-1", None, "echo", "host-a", 0.1, 1.5e-09),
    ("job-7", "att-7", "m-\u00e9t\u00e9", "t-\"q\"", "echo", "host-a", 1.0, 1.0),
    ("job-8", "att-8", "m-2", None, "read_file", "host-b", 0.05, 123.456789),
    ("job-9", "att-9", None, None, "echo", "host-a", 0.1, 0.000000150),
]


def main():
    entries = []
    for seq, (job, attempt, mission, task, kind, node, units, quote) in enumerate(CHARGES):
        rec = receipt(node, job, attempt, kind, units, quote, seq)
        amt = Decimal(repr(quote)).quantize(NINE, rounding=ROUND_HALF_EVEN)
        reserve = (amt * RESERVE_RATE).quantize(NINE, rounding=ROUND_HALF_EVEN)
        entry = {"seq": seq, "type": "charge", "ts": "2027-01-01T00:00:%02dZ" % seq, "job_id": job,
                 "attempt_id": attempt, "mission_id": mission, "task_id": task, "kind": kind, "node_id": node,
                 "payer": "mission:" + (mission if mission is not None else "none"), "payee": "host:" + node,
                 "amount": amount(amt), "reserve": amount(reserve), "host_amount": amount(amt - reserve),
                 "receipt_sha256": hashlib.sha256(canonical(rec).encode()).hexdigest(), "receipt": rec}
        entries.append(entry)
    leaves = [leaf_hash(canonical(e).encode()) for e in entries]
    balances = {}
    for e in entries:
        for account, change in ((e["payer"], -Decimal(e["amount"])), (e["payee"], Decimal(e["host_amount"])),
                                ("reserve", Decimal(e["reserve"]))):
            balances[account] = balances.get(account, Decimal(0)) + change
    out = {
        "reserve_rate": str(RESERVE_RATE),
        "entries": [{"entry": e, "canonical": canonical(e), "leaf_hash": leaves[i].hex()} for i, e in enumerate(entries)],
        "roots": [mth(leaves[:n]).hex() for n in range(len(leaves) + 1)],
        "inclusion": [{"seq": m, "tree_size": n, "audit_path": [h.hex() for h in path(m, leaves[:n])]}
                      for n in range(1, len(leaves) + 1) for m in range(n)],
        "consistency": [{"first": m, "second": n, "proof": [h.hex() for h in subproof(m, leaves[:n], True)]}
                        for n in range(1, len(leaves) + 1) for m in range(1, n + 1)],
        "balances": {k: amount(v) for k, v in sorted(balances.items())},
    }
    target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ledger-vectors.json")
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
