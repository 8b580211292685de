"""What the layers above case_core add to the record's integrity, provided in AppConfig.ready.

case_core cannot import signaling or transcription, so the composition root
(`hearing_server/record_checks.py`) provides:

* head providers: `fn() -> {chain name: [seq, hash]}` (e.g. "hearing-<id>" for each hearing's
  event log), signed into every checkpoint beside the audit chains;
* checks: `fn(case_ids, anchors, report)` run by `verify_record` after case_core's own, adding
  findings to the report (hearing event logs, reviewed transcripts, recording files).
"""

from __future__ import annotations

_head_providers: list = []
_checks: list = []


def provide_chain_heads(fn) -> None:
    if fn not in _head_providers:
        _head_providers.append(fn)


def provide_check(fn) -> None:
    if fn not in _checks:
        _checks.append(fn)


def head_providers() -> list:
    return list(_head_providers)


def checks() -> list:
    return list(_checks)
