#!/usr/bin/env python3
"""Verify an OpenTribunal case bundle offline: python3 verify_bundle.py BUNDLE [--key KEY.pem]

One file, the Python standard library and `cryptography` only (pip install cryptography); no
database, no network. It checks:

  1. the BagIt bag: every payload file against manifest-sha256.txt, no file missing or added,
     the tag files against tagmanifest-sha256.txt;
  2. the Ed25519 signature over the manifest (manifest-signature.json);
  3. every signed checkpoint in data/checkpoints/: its hash and its Ed25519 signature;
  4. the case's audit chain (data/audit.jsonl) and each hearing's event log (data/hearings/):
     every entry's hash recomputed from the fields it covers, every link, seq from 1;
  5. data/proofs.json: each chain head is in a signed checkpoint's Merkle root, and the chain
     holds that head at that seq (a chain rewritten or cut since is caught);
  6. each file in data/record.json against its SHA-256 and the audit entry that filed it; each
     transcript against the hash recorded when it was reviewed.

--key names the committee's checkpoint public key as published by the committee (PEM). Without
it, the key inside the bundle is used and the result says so: a bundle signed with a key of its
own proves nothing about who made it. Exit status 0 when everything holds, 1 when not (each
problem is printed with the file it concerns), 2 when the bundle cannot be read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

GENESIS = "0" * 64


class Result:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.notes: list[str] = []

    def fail(self, where: str, problem: str) -> None:
        self.problems.append(f"{where}: {problem}")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def canonical_hash(fields: dict) -> str:
    body = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


# ---- Merkle (as case_core/integrity/merkle.py) --------------------------------------------


def merkle_leaf(chain: str, seq: int, head_hash: str) -> bytes:
    return hashlib.sha256(b"\x00" + f"{chain}\n{seq}\n{head_hash}".encode()).digest()


def merkle_node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(heads: dict) -> str:
    level = [merkle_leaf(n, int(heads[n][0]), heads[n][1]) for n in sorted(heads)]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        level = [
            merkle_node(level[i], level[i + 1]) if i + 1 < len(level) else level[i]
            for i in range(0, len(level), 2)
        ]
    return level[0].hex()


def merkle_check(chain: str, seq: int, head_hash: str, proof: list, root: str) -> bool:
    node = merkle_leaf(chain, seq, head_hash)
    for side, sibling in proof:
        other = bytes.fromhex(sibling)
        node = merkle_node(other, node) if side == "L" else merkle_node(node, other)
    return node.hex() == root


# ---- the checks ---------------------------------------------------------------------------


def _manifest(path: Path) -> dict[str, str]:
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(None, 1)
            entries[name.strip()] = digest.lower()
    return entries


def check_bag(bag: Path, result: Result) -> None:
    payload = _manifest(bag / "manifest-sha256.txt")
    on_disk = {p.relative_to(bag).as_posix() for p in (bag / "data").rglob("*") if p.is_file()}
    for name in sorted(set(payload) - on_disk):
        result.fail(name, "listed in the manifest but missing")
    for name in sorted(on_disk - set(payload)):
        result.fail(name, "not in the manifest (added)")
    for name in sorted(set(payload) & on_disk):
        if sha256_file(bag / name) != payload[name]:
            result.fail(name, "does not match its SHA-256 in the manifest (changed)")
    tags = bag / "tagmanifest-sha256.txt"
    if tags.exists():
        for name, digest in _manifest(tags).items():
            path = bag / name
            if not path.exists():
                result.fail(name, "tag file missing")
            elif sha256_file(path) != digest:
                result.fail(name, "does not match its SHA-256 in the tag manifest (changed)")
    else:
        result.fail("tagmanifest-sha256.txt", "missing")


def load_key(bag: Path, key_path: str | None, result: Result) -> Ed25519PublicKey:
    path = Path(key_path) if key_path else bag / "checkpoint-key.pub.pem"
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    if key_path is None:
        result.notes.append(
            "the key inside the bundle was used; compare it with the committee's published key "
            "(--key) before relying on the result"
        )
    else:
        inside = bag / "checkpoint-key.pub.pem"
        if inside.exists() and inside.read_bytes().strip() != path.read_bytes().strip():
            result.notes.append("the bundle names another key than the one given with --key")
    return key


def _verify(key: Ed25519PublicKey, signature_hex: str, message: bytes) -> bool:
    try:
        key.verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def check_manifest_signature(bag: Path, key, result: Result) -> None:
    try:
        signed = json.loads((bag / "manifest-signature.json").read_text())
    except (OSError, ValueError):
        result.fail("manifest-signature.json", "missing or unreadable")
        return
    digest = hashlib.sha256((bag / "manifest-sha256.txt").read_bytes()).digest()
    if not _verify(key, signed.get("signature", ""), digest):
        result.fail("manifest-signature.json", "the manifest's signature does not verify")


def check_checkpoints(bag: Path, key, result: Result) -> dict[int, dict]:
    good = {}
    for path in sorted((bag / "data" / "checkpoints").glob("*.json")):
        where = path.relative_to(bag).as_posix()
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            fields = doc["fields"]
            bytes.fromhex(doc["hash"])
            merkle_root(fields["heads"])
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            result.fail(where, "unreadable checkpoint (changed)")
            continue
        ok = True
        if canonical_hash({**fields, "seq": doc["seq"], "prev": doc["prev"]}) != doc["hash"]:
            result.fail(where, "content does not match the checkpoint's hash")
            ok = False
        if not _verify(key, doc.get("signature", ""), bytes.fromhex(doc["hash"])):
            result.fail(where, "the checkpoint's signature does not verify")
            ok = False
        if merkle_root(fields["heads"]) != fields["merkle_root"]:
            result.fail(where, "the Merkle root does not match its heads")
            ok = False
        if ok:
            good[int(doc["seq"])] = doc
    return good


def check_chain(bag: Path, relative: str, result: Result) -> dict[int, dict]:
    entries: dict[int, dict] = {}
    prev, expected = GENESIS, 1
    lines = (bag / relative).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        where = f"{relative} line {number}"
        try:
            row = json.loads(line)
            canonical_hash({**row["hashed"], "seq": row["seq"], "prev": row["prev"]})
            row["hash"].encode()
        except (ValueError, KeyError, TypeError, AttributeError):
            result.fail(where, "unreadable entry (changed)")
            continue
        if row["seq"] != expected:
            result.fail(where, f"seq {row['seq']} where {expected} was expected (entry missing)")
        if row["prev"] != prev:
            result.fail(where, "does not link to the entry before it")
        if canonical_hash({**row["hashed"], "seq": row["seq"], "prev": row["prev"]}) != row["hash"]:
            result.fail(where, "content does not match its hash")
        entries[row["seq"]] = row
        prev, expected = row["hash"], row["seq"] + 1
    return entries


def check_proofs(bag: Path, checkpoints, chains, result: Result) -> None:
    proofs = json.loads((bag / "data" / "proofs.json").read_text())
    anchored = set()
    for item in proofs:
        where = f"data/proofs.json (checkpoint {item['checkpoint']}, {item['chain']})"
        doc = checkpoints.get(item["checkpoint"])
        if doc is None:
            result.fail(where, "its checkpoint is missing or does not verify")
            continue
        root = doc["fields"]["merkle_root"]
        if not merkle_check(item["chain"], item["seq"], item["hash"], item["proof"], root):
            result.fail(where, "the head is not in the checkpoint's Merkle root")
            continue
        entries = chains.get(item["chain"])
        if entries is None:
            result.fail(where, "the bundle does not hold this chain")
            continue
        entry = entries.get(item["seq"])
        if entry is None:
            result.fail(where, f"entry {item['seq']} signed in the checkpoint is missing (cut)")
        elif entry["hash"] != item["hash"]:
            result.fail(where, f"entry {item['seq']} differs from the signed head (rewritten)")
        else:
            anchored.add(item["chain"])
    for name in sorted(set(chains) - anchored):
        result.notes.append(f"{name} is not anchored in any checkpoint in the bundle")


def check_files(bag: Path, record: dict, audit: dict[int, dict], result: Result) -> None:
    for item in record["files"]:
        path = bag / item["path"]
        if not path.exists():
            result.fail(item["path"], "missing")
            continue
        if sha256_file(path) != item["sha256"]:
            result.fail(item["path"], "does not match its recorded SHA-256")
        seq = item.get("audit_seq")
        if item["what"] == "evidence":
            entry = audit.get(seq) if seq is not None else None
            data = entry["hashed"]["data"] if entry else {}
            if entry is None or data.get("evidence") != item["id"]:
                result.fail(item["path"], "no audit entry in the chain filed it")
            elif data.get("sha256") != item["sha256"]:
                result.fail(item["path"], "its hash differs from the audit entry that filed it")
    reviewed = {}
    for entry in audit.values():
        if entry["hashed"]["action"] in ("transcript.reviewed", "transcript.minuted"):
            reviewed[entry["hashed"]["data"].get("transcript")] = entry["hashed"]["data"]
    for item in record.get("transcripts", []):
        content = json.loads((bag / item["path"]).read_text(encoding="utf-8"))
        data = reviewed.get(item["id"])
        if item["status"] == "reviewed" and data and "sha256" in data:
            if canonical_hash(content) != data["sha256"]:
                result.fail(item["path"], "differs from the transcript as it was reviewed")


READ_ERRORS = (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError)


def verify(bag: Path, key_path: str | None = None) -> Result:
    result = Result()
    check_bag(bag, result)
    try:
        key = load_key(bag, key_path, result)
    except READ_ERRORS as exc:
        where = key_path or "checkpoint-key.pub.pem"
        result.fail(where, f"not a readable Ed25519 public key ({exc.__class__.__name__})")
        return result
    check_manifest_signature(bag, key, result)
    checkpoints = check_checkpoints(bag, key, result)
    try:
        record = json.loads((bag / "data" / "record.json").read_text(encoding="utf-8"))
        chain_paths = dict(record["chains"])
        case_chain = f"case-{record['case']['id']}"
    except READ_ERRORS:
        result.fail("data/record.json", "unreadable (changed)")
        return result
    chains = {}
    for name, path in chain_paths.items():
        try:
            chains[name] = check_chain(bag, path, result)
        except READ_ERRORS:
            result.fail(str(path), "unreadable (changed)")
    try:
        check_proofs(bag, checkpoints, chains, result)
    except READ_ERRORS:
        result.fail("data/proofs.json", "unreadable (changed)")
    try:
        check_files(bag, record, chains.get(case_chain, {}), result)
    except READ_ERRORS:
        result.fail("data/record.json", "its list of files is unreadable (changed)")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", help="the bundle's directory")
    parser.add_argument("--key", help="the committee's checkpoint public key (PEM)")
    args = parser.parse_args(argv)
    bag = Path(args.bundle)
    try:
        result = verify(bag, args.key)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"cannot read the bundle {bag}: {exc}", file=sys.stderr)
        return 2
    for note in result.notes:
        print(f"note: {note}")
    for problem in result.problems:
        print(f"FAIL {problem}")
    if result.problems:
        print(f"NOT VERIFIED: {len(result.problems)} problems")
        return 1
    print("VERIFIED: every file, chain, checkpoint and signature in the bundle holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
