"""Signals the recording layer sends upward, always after its transaction commits.

`recording_finalized(sender=Recording, recording=..., hearing=...)`: a hearing's recording is in
the case file (its files hashed and audited). Higher layers react without recording knowing them:
transcription queues the hearing's transcript (transcription/reactions.py).
"""

from __future__ import annotations

from django.dispatch import Signal

recording_finalized = Signal()
