"""Translation coverage of the records (``casebook status``)."""

from __future__ import annotations

from .load import format_loc
from .schema import ValidCase, iter_texts


def translation_status(cases: list[ValidCase]) -> str:
    """A plain-text report: one line per case, then each field still missing English."""
    lines: list[str] = []
    total = translated = 0
    for item in cases:
        texts = list(iter_texts(item.case))
        missing = [format_loc(loc) for loc, text in texts if text.en is None]
        done = len(texts) - len(missing)
        total += len(texts)
        translated += done
        state = item.case.translation.en
        lines.append(f"{item.id}: {done}/{len(texts)} text fields in English ({_percent(done, len(texts))}), "
                     f"translation {state}")
        lines.extend(f"  missing en: {loc}" for loc in missing)
    lines.append(f"total: {translated}/{total} text fields in English ({_percent(translated, total)}) "
                 f"in {len(cases)} case{'s' if len(cases) != 1 else ''}")
    return "\n".join(lines) + "\n"


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "100%"
