"""The source strings are English: fill the English catalogue's empty entries with them,
so it is complete and an English wording can later be improved without touching code."""

from pathlib import Path

import polib

path = Path(__file__).resolve().parent.parent / "locale/en/LC_MESSAGES/django.po"
po = polib.pofile(str(path))
filled = 0
for entry in po:
    if entry.obsolete:
        continue
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
        entry.msgstr = ""
        entry.msgstr_plural = {}
    if entry.msgid_plural:
        if not all(entry.msgstr_plural.get(i) for i in (0, 1)):
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            filled += 1
    elif not entry.msgstr:
        entry.msgstr = entry.msgid
        filled += 1
po.save()
print(f"filled {filled} English entries")
