"""The language a case speaks to its citizen.

A case keeps the language of the page it was submitted from (one of settings.LANGUAGES; a
case entered by staff keeps the default unless the form says otherwise). The emails about it
are composed later, by the outbox and in whatever thread sends them, so they read the stored
language, never the sending thread's.
"""

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def supported(code: str | None) -> str:
    """One of settings.LANGUAGES for a language code ("en-us" -> "en"), else the default."""
    if code:
        try:
            return translation.get_supported_language_variant(code.lower())
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def current() -> str:
    """The language of the page being answered, as a case stores it."""
    return supported(translation.get_language())


def explanation(due_rule: dict, language: str) -> tuple[str, str]:
    """How a case's due moment was counted, as (text, the language it is written in).

    The Indonesian text is the record (it is also the history's note); the English one is kept
    beside it since English was added, so a case received before has its Indonesian only.
    """
    if language != settings.LANGUAGE_CODE and due_rule.get(f"explain_{language}"):
        return due_rule[f"explain_{language}"], language
    return due_rule.get("explain", ""), settings.LANGUAGE_CODE


def counter_field(*, help_text) -> forms.ChoiceField:
    """The language of a case entered by staff: Indonesian unless they choose otherwise (a form
    sent without it keeps Indonesian)."""
    return forms.ChoiceField(
        label=_("Bahasa email"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,
        help_text=help_text,
    )
