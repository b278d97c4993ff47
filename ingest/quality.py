"""Flag extracted text that is garbage (broken font encodings, mojibake) instead of indexing it."""

from __future__ import annotations

import re

from .errors import GarbledTextError

_MOJIBAKE = re.compile(r"Ã[\x80-\xbf¡-ÿ]|â€|Â[\xa0-\xbf]|ï¿½")
_TOKEN = re.compile(r"\S+")
# A run of more than 25 letters is no word of a brief's language: words glued together by an
# extractor that lost the spaces between them.
GLUED_RUN = re.compile(r"[^\W\d_]{26,}")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def text_defects(text: str) -> float:
    """Share of the letters in glued runs or replacement characters: 0.0 for clean text."""
    letters = sum(len(run) for run in _LETTER_RUN.findall(text))
    if not letters:
        return 0.0
    glued = sum(len(run) for run in GLUED_RUN.findall(text))
    return (glued + text.count("\ufffd")) / letters


def glued_token_share(text: str) -> float:
    """Share of the alphabetic tokens that are glued runs (the fidelity figure we report)."""
    runs = _LETTER_RUN.findall(text)
    return sum(len(run) > 25 for run in runs) / len(runs) if runs else 0.0


def garbage_reason(text: str) -> str | None:
    """Why `text` looks garbled, or None when it reads like language."""
    visible = [c for c in text if not c.isspace()]
    if len(visible) < 40:
        return None
    letters = sum(c.isalpha() for c in visible)
    if letters / len(visible) < 0.55:
        return f"only {letters / len(visible):.0%} of the characters are letters"
    odd = sum(c == "\ufffd" or 0xE000 <= ord(c) <= 0xF8FF or ord(c) < 32 for c in visible)
    if odd / len(visible) > 0.01:
        return "many replacement or private-use characters (a font without a Unicode map)"
    if len(_MOJIBAKE.findall(text)) > max(3, len(visible) / 500):
        return "mojibake (UTF-8 text decoded with the wrong encoding)"
    words = [w for w in _TOKEN.findall(text) if sum(c.isalpha() for c in w) >= 4]
    if len(words) >= 20:
        plausible = sum(bool(re.search(r"[aeiouyAEIOUYà-ÿ]", w)) for w in words)
        if plausible / len(words) < 0.7:
            return "most words have no vowels (a broken font encoding)"
    return None


def check_text_quality(text: str) -> None:
    reason = garbage_reason(text)
    if reason:
        raise GarbledTextError(f"extracted text looks garbled: {reason}; not indexed")
