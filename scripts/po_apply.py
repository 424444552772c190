"""Apply a dict of Vietnamese translations to locale/vi: `python scripts/po_apply.py FILE`
where FILE defines T = {msgid: msgstr} and P = {singular msgid: msgstr} (Vietnamese has
one plural form). Existing translations are overwritten; others are left alone."""

import runpy
import sys
from pathlib import Path

import polib

data = runpy.run_path(sys.argv[1])
path = Path(__file__).resolve().parent.parent / "locale/vi/LC_MESSAGES/django.po"
po = polib.pofile(str(path))
po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
applied = 0
for entry in po:
    if entry.msgid_plural and entry.msgid in data.get("P", {}):
        entry.msgstr_plural = {0: data["P"][entry.msgid]}
    elif entry.msgid in data.get("T", {}):
        entry.msgstr = data["T"][entry.msgid]
    else:
        continue
    applied += 1
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
po.save()
print(f"applied {applied} Vietnamese entries")
