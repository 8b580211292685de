"""What the tests share, registered for the whole suite through `pytest_plugins` in
tests/conftest.py (fixtures) or imported by name (helpers):

    require        the skip-or-fail rule for missing parts; project and shared-clip paths
    personas       the role personas (clerk, arbitrator, applicant, respondent, ...) and a filed case
    hearings       an arbitration hearing scheduled by the clerk, its witness, a mediation
    hearing_client the in-process protocol client; every client opened is closed after its test
    hearing_media  aiortc clients negotiating through media.* frames, the embedded media worker
    media          encoded test media, a media engine, sink and client helpers
    transcripts    a held hearing with its event log and a machine transcript
    recordings     per-speaker recordings synthesised from clips
    asr_models     the packaged speech models, installed once per session
    api            the REST API client and the typed-error assertion
    signing, pdf   a minutes-like PDF; reading text back out of PDFs
    scaleout       several server processes on PostgreSQL and Redis
    logs           `no_error_logged`: bad input never logged as a server fault
    chair          the end-to-end tests' presiding arbitrator as a protocol client
    crash_recorder, scaleout_seed   programs the tests run in a subprocess
"""
