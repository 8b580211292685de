"""`{{ hearing|hearing_status }}`: a hearing's status in its own words (web_client/next_step.py)."""

from django import template

from web_client.next_step import STATUS_WORDS

register = template.Library()


@register.filter
def hearing_status(hearing) -> str:
    return str(STATUS_WORDS.get(hearing.status, hearing.get_status_display()))
