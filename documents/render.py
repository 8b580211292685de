"""A kind's template rendered to text (title, body) from the case file.

Templates are plain text (no HTML escaping). A template that is missing or does not compile or
render gives the clerk `template_error` (a 422 naming the template), and nothing is created.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.utils.translation import gettext as _

from case_core.errors import DomainError
from documents.kinds import Kind

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _engine() -> Engine:
    return Engine(app_dirs=True, autoescape=False, string_if_invalid="")


def template_error(name: str, exc: Exception) -> DomainError:
    log.warning("document template %s failed: %s", name, exc)
    return DomainError(
        "template_error",
        _("The template %(name)s cannot be used: %(error)s")
        % {"name": name, "error": str(exc)[:200]},
        status=422,
        details={"template": name},
    )


def render_text(source_name: str, context: dict, *, source: str | None = None) -> tuple[str, str]:
    """(title, body) from the template `source_name` (or the given template `source`)."""
    try:
        template = (
            _engine().from_string(source)
            if source is not None
            else _engine().get_template(source_name)
        )
        text = template.render(Context(context, autoescape=False))
    except (TemplateDoesNotExist, TemplateSyntaxError) as exc:
        raise template_error(source_name, exc) from None
    except Exception as exc:  # noqa: BLE001 - a filter failing on the case's data
        raise template_error(source_name, exc) from None
    lines = text.strip().splitlines()
    if not lines or not lines[0].strip():
        raise template_error(source_name, ValueError(_("the first line (the title) is empty")))
    return lines[0].strip()[:200], "\n".join(lines[1:]).strip()


def render_kind(kind: Kind, language: str, context: dict) -> tuple[str, str]:
    return render_text(kind.template(language), context)
