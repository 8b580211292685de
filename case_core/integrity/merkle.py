"""The Merkle tree over chain heads, as signed checkpoints hold it.

Leaves are the heads sorted by chain name: SHA-256(0x00 || "<chain>\\n<seq>\\n<hash>"); a node is
SHA-256(0x01 || left || right); an odd node at the end of a level is carried up unchanged. A proof
is the list of sibling hashes from the leaf up, each with the side it stands on ("L" or "R").
tools/verify_bundle.py repeats these few lines with the standard library only.
"""

from __future__ import annotations

import hashlib

EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


def leaf(chain: str, seq: int, head_hash: str) -> bytes:
    return hashlib.sha256(b"\x00" + f"{chain}\n{seq}\n{head_hash}".encode()).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _leaves(heads: dict) -> tuple[list[str], list[bytes]]:
    names = sorted(heads)
    return names, [leaf(name, int(heads[name][0]), heads[name][1]) for name in names]


def _levels(level: list[bytes]) -> list[list[bytes]]:
    levels = [level]
    while len(level) > 1:
        level = [
            _node(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
            for i in range(0, len(level), 2)
        ]
        levels.append(level)
    return levels


def merkle_root(heads: dict) -> str:
    """The root over `heads` ({chain: [seq, hash]}); EMPTY_ROOT when there are none."""
    _, leaves = _leaves(heads)
    if not leaves:
        return EMPTY_ROOT
    return _levels(leaves)[-1][0].hex()


def merkle_proof(heads: dict, chain: str) -> list[list[str]]:
    """The path from `chain`'s leaf to the root: [[side, sibling hex], ...]."""
    names, leaves = _leaves(heads)
    index = names.index(chain)
    proof = []
    for level in _levels(leaves)[:-1]:
        sibling = index ^ 1
        if sibling < len(level):
            proof.append(["L" if sibling < index else "R", level[sibling].hex()])
        index //= 2
    return proof


def merkle_check(chain: str, seq: int, head_hash: str, proof: list, root: str) -> bool:
    node = leaf(chain, seq, head_hash)
    for side, sibling in proof:
        other = bytes.fromhex(sibling)
        node = _node(other, node) if side == "L" else _node(node, other)
    return node.hex() == root
