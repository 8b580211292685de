"""Accounts: the front door. Sign-up and sign-in by phone code or password, password reset,
real-name identity, and reaching a case (access codes, powers of attorney, paper invitations).

Sits directly above case_core and below signaling (import-linter layers in pyproject.toml).
"""
