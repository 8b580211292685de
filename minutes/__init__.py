"""Hearing minutes: built from the case, the hearing's event log (main room only) and the reviewed
transcript, laid out as a PDF and sent for signature through case_core's signing service.

Entry points:
    minutes.services.minutes_generate(actor=, hearing=) -> SignableDocument (awaiting signatures)
    minutes.record.minutes_record(hearing) -> MinutesRecord (what the minutes say)
    minutes.pdf.render_minutes(record, signers) -> PDF bytes
The generate view is `minutes:generate`; the signing pages of any document are web_client's
(`documents:page`). Layering: minutes may import case_core, signaling, recording and
transcription; none of those imports minutes.
"""
