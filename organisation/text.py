"""The product's one place for comparing and ordering Vietnamese text.

Every app imports organisation, so every app may use these: text is stored in NFC
(`nfc`), searched through a folded copy (`fold`) and ordered by a stored key
(`vietnamese_sort_key`, `person_sort_key`). The keys are plain strings of hexadecimal
digits, so a database orders them the same way whatever its collation: SQLite and
PostgreSQL give the same lists, and no ICU is needed.
"""

from __future__ import annotations

import unicodedata

from django.db import models
from django.db.models import Q

# Letters that Vietnamese counts as letters of their own, not as accented letters: the
# modifier marks that make them (breve, circumflex, horn) are part of the letter.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
_LETTER_MARKS = {_BREVE, _CIRCUMFLEX, _HORN}
_MODIFIED = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}

# The Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y),
# with the Latin letters it lacks (f j w z) in their Latin places, as CLDR's Vietnamese
# collation places them.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_WEIGHT = {letter: 0x4000 + i for i, letter in enumerate(ALPHABET, start=1)}

# The tones, in the order of Vietnamese dictionaries and of CLDR's Vietnamese collation
# (common/collation/vi.xml: a << à << ả << ã << á << ạ): none (ngang), grave (huyền),
# hook above (hỏi), tilde (ngã), acute (sắc), dot below (nặng).
TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
_TONE_WEIGHT = {mark: i for i, mark in enumerate(TONES, start=1)}
_OTHER_MARK = len(TONES) + 1  # any other combining mark: after every tone

_SPACE, _SYMBOL, _DIGIT, _OTHER = 0x0001, 0x0010, 0x3000, 0x5000


def nfc(text: str | None) -> str:
    """Text as stored: NFC. Decomposed text (some keyboards, text copied from PDFs)
    looks the same but compares unequal, so a search or a uniqueness check misses it."""
    return unicodedata.normalize("NFC", text) if text else ""


def clean(text: str | None) -> str:
    """Text a caller hands a service, as stored: NFC, without NUL characters, without
    surrounding blanks. The forms refuse NUL with a message; a service must not rely
    on that, as imports, scripts and the fuzz tests call it directly, and PostgreSQL
    refuses NUL in text and jsonb with an error (SQLite stores it silently)."""
    return nfc(text).replace("\x00", "").strip() if text else ""


def nfc_deep(value):
    """JSON-like data (a document's sections, say) with every string in NFC."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc_deep(v) for v in value]
    if isinstance(value, dict):
        return {nfc_deep(k): nfc_deep(v) for k, v in value.items()}
    return value


def compose_rows(queryset, fields: tuple[str, ...]) -> int:
    """For the data migrations: store these text (or JSON) fields in NFC wherever they
    are not yet, as the forms now do for new input. Returns how many rows changed."""
    changed = 0
    manager = queryset.model._base_manager
    for row in queryset.values("pk", *fields).iterator(chunk_size=2000):
        values = {f: nfc_deep(row[f]) for f in fields if nfc_deep(row[f]) != row[f]}
        if values:
            manager.filter(pk=row["pk"]).update(**values)
            changed += 1
    return changed


def fold(text: str | None) -> str:
    """Text as searched: NFC, case-folded, without diacritics (đ as d), single spaces.
    Users often type Vietnamese without diacritics: "ke hoach ung dung" must find
    "Kế hoạch ứng dụng", and "đắk nông" "ĐẮK NÔNG"."""
    decomposed = unicodedata.normalize("NFD", nfc(text).casefold().replace("đ", "d"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.split())


def _elements(text: str):
    """(letter, tone weight) for each character of the case-folded NFD text: a base
    letter with the modifier marks that make a Vietnamese letter of it, and its tone."""
    base, tone = None, 1
    for c in unicodedata.normalize("NFD", nfc(text)):
        if base is not None and unicodedata.combining(c):
            modified = _MODIFIED.get((base.casefold(), c)) if c in _LETTER_MARKS else None
            if modified:
                base = modified.upper() if base.isupper() else modified
            else:
                tone = max(tone, _TONE_WEIGHT.get(c, _OTHER_MARK))
            continue
        if base is not None:
            yield base, tone
        base, tone = c, 1
    if base is not None:
        yield base, tone


def _primary(letter: str) -> int:
    lower = letter.casefold()
    if lower in _LETTER_WEIGHT:
        return _LETTER_WEIGHT[lower]
    if letter.isspace():
        return _SPACE
    if letter.isdigit():
        return _DIGIT + (unicodedata.digit(letter, 0) if len(letter) == 1 else 0)
    if letter.isalpha():
        return min(_OTHER + ord(lower[0]), 0xFFFF)
    return min(_SYMBOL + ord(letter), _DIGIT - 1)


def vietnamese_sort_key(text: str | None) -> str:
    """A key whose plain (binary) order is Vietnamese alphabetical order, as in CLDR's
    Vietnamese collation (Unicode Collation Algorithm, three levels): first the letters,
    a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư; then, only between words of the same
    letters, the tones (none, huyền, hỏi, ngã, sắc, nặng); then lower case before upper.
    So "Đào" < "Đặng" (a < ă decides before any tone), "Dung" < "Đức" < "Em".

    Hexadecimal digits only, so that every database collation orders it as Python does.
    """
    elements = list(_elements(" ".join((text or "").split())))
    primary = "".join(f"{_primary(c):04x}" for c, _ in elements)
    secondary = "".join(f"{tone:x}" for _, tone in elements)
    tertiary = "".join("2" if c != c.casefold() else "1" for c, _ in elements)
    # Each level ends below any of its weights, so a prefix comes first ("An" < "Anh").
    return f"{primary}0000{secondary}0{tertiary}"


def person_sort_key(full_name: str | None) -> str:
    """Order of Vietnamese staff lists: by given name (the last word), then by the rest
    of the name: "Trần Văn An" < "Lê Thị Bình" < "Nguyễn Bình"."""
    words = (full_name or "").split()
    given, rest = (words[-1], " ".join(words[:-1])) if words else ("", "")
    return f"{vietnamese_sort_key(given)}0{vietnamese_sort_key(rest)}"


def folded_search(field: str, query: str | None) -> Q:
    """Rows whose folded column `field` holds every word of the query, folded the same
    way, in any order: "ung dung ke hoach" finds "Kế hoạch ứng dụng" too. The same
    on every database, as both sides are folded here rather than by the database."""
    condition = Q()
    for word in fold(query).split():
        condition &= Q(**{f"{field}__contains": word})
    return condition


class DerivedText(models.Model):
    """A model with columns derived from its text (NFC text, folded search copies, sort
    keys), computed in `derive()` only. save() and the bulk paths of `DerivedTextQuerySet`
    call it, so a derived column never goes stale whichever way a row is written."""

    # The fields derive() reads, and those it writes (the NFC text among them).
    derived_from: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.derive()
        fields = kwargs.get("update_fields")
        if fields is not None and set(self.derived_from) & set(fields):
            kwargs["update_fields"] = {*fields, *self.derived}
        super().save(*args, **kwargs)

    def derive(self) -> None:
        raise NotImplementedError


class DerivedTextQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.derive()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if set(self.model.derived_from) & set(fields):
            for obj in objs:
                obj.derive()
            fields = [*fields, *(f for f in self.model.derived if f not in fields)]
        return super().bulk_update(objs, fields, *args, **kwargs)
