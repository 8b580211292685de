"""System checks of the product's own settings (run by `tribunal check`, `--deploy` for these).

tribunal.E001  SECRET_KEY is a key published in the project's source: anyone can forge with it.
tribunal.E002  SECRET_KEY was generated for embedded use and this is not declared a deployment.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from hearing_server.secret_key import KEY_FILE, is_published


@register(Tags.security, deploy=True)
def secret_key_check(app_configs, **kwargs) -> list[Error]:
    if is_published(settings.SECRET_KEY):
        return [
            Error(
                "SECRET_KEY is a key published in OpenTribunal's source code; anyone can sign "
                "hearing links, join credentials and sessions with it.",
                hint="Set SECRET_KEY to a new random value, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(64))'.",
                id="tribunal.E001",
            )
        ]
    if getattr(settings, "TRIBUNAL_SECRET_KEY_GENERATED", False) and not getattr(
        settings, "TRIBUNAL_DEPLOYMENT", False
    ):
        return [
            Error(
                f"SECRET_KEY was generated for embedded use ({settings.DATA_DIR / KEY_FILE}).",
                hint="For a deployment set SECRET_KEY and TRIBUNAL_EMBEDDED=0, or declare that "
                "this machine's generated key is meant for it with TRIBUNAL_DEPLOYMENT=1.",
                id="tribunal.E002",
            )
        ]
    return []
