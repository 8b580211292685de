"""Signals of the signing service, for the layers above it (connected in their AppConfig.ready).

document_completed(sender=SignableDocument, document=...)  sent inside the transaction that
    seals a document (every required signer has signed, or it was issued under the seal
    alone), so a receiver's changes (e.g. documents serving it) commit or roll back with it.
"""

from django.dispatch import Signal

document_completed = Signal()
