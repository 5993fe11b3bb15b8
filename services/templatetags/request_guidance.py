"""`{% request_next_step case.status due_text %}`: the request tracking page's "what happens
next" sentence (services.request_guidance), for the page its view renders."""

from django import template

from services.request_guidance import next_step

register = template.Library()


@register.simple_tag
def request_next_step(status: str, due: str = "") -> str:
    return next_step(status, due=due)
