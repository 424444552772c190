"""Fails when a catalogue under locale/ has an untranslated or fuzzy entry.

English msgids are the source; the English catalogue repeats them (or improves them) so
that both catalogues are complete and a missing translation is never silent."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
problems = []
for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/*.po")):
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{po_path.relative_to(ROOT)}: fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            problems.append(f"{po_path.relative_to(ROOT)}: untranslated: {entry.msgid!r}")
for p in problems:
    print(p)
if problems:
    print(f"{len(problems)} catalogue problem(s)")
    sys.exit(1)
print("catalogues complete")
