"""The public side of the committee: guides per dispute kind, FAQ, offices and hours (content
staff edit in the admin, no deploy), appointment booking with its slots, and the clerk's record
of applications received by mail.

Layer: just below web_client, above minutes (import-linter layers in pyproject.toml); it uses
case_core and accounts.
"""
