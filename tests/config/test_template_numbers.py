"""A number printed into an attribute is read back by a program (a form, a link, a
script), not by a person, and must not be grouped: under Vietnamese formats 14971
renders "14.971", which a hidden version field, a page link or a row id then refuses
(document 14971 was unreachable from the follow-up page once PostgreSQL's ids passed
1,000). Every such attribute says `|unlocalize`; text for people (aria-label, title, alt)
keeps the grouping."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ATTRIBUTE = re.compile(r'\s([a-zA-Z][\w:-]*)="([^"]*)"')
VARIABLE = re.compile(r"\{\{\s*([^}]+?)\s*\}\}")
# Names that hold integers: ids, versions, counters, years, page numbers.
NUMERIC = re.compile(
    r"(^|[._])(pk|id|version|number|year|count|seq|index|page|total|counter0?)$"
    r"|_(number|id|pk|count|year)$"
)
FOR_PEOPLE = {"aria-label", "title", "alt", "placeholder"}
SAFE_FILTERS = {"unlocalize", "stringformat", "date", "time", "urlencode", "slugify"}


def ungrouped_attribute_problems(text: str, name: str) -> list[str]:
    problems = []
    for attribute in ATTRIBUTE.finditer(text):
        if attribute.group(1) in FOR_PEOPLE:
            continue
        for variable in VARIABLE.finditer(attribute.group(2)):
            base, *filters = (part.strip() for part in variable.group(1).split("|"))
            if {f.split(":")[0] for f in filters} & SAFE_FILTERS:
                continue
            if NUMERIC.search(base):
                line = text[: attribute.start()].count("\n") + 1
                problems.append(
                    f"{name}:{line}: {attribute.group(1)}=…{{{{ {variable.group(1)} }}}}"
                )
    return problems


def test_numbers_in_attributes_are_never_grouped():
    folders = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    problems = [
        problem
        for folder in folders
        for path in sorted(folder.rglob("*.html"))
        for problem in ungrouped_attribute_problems(path.read_text(), str(path.relative_to(folder)))
    ]
    assert not problems, "add |unlocalize (and {% load l10n %}):\n" + "\n".join(problems)


def test_the_check_finds_a_grouped_version_and_passes_an_unlocalized_one():
    assert ungrouped_attribute_problems('<input value="{{ document.version }}">', "t")
    assert ungrouped_attribute_problems('<a href="?page={{ page.next_page_number }}">', "t")
    assert not ungrouped_attribute_problems(
        '<input value="{{ document.version|unlocalize }}">', "t"
    )
    assert not ungrouped_attribute_problems('<span aria-label="{{ count }} việc">', "t")


def test_page_links_past_page_999_stay_followable_while_the_text_is_grouped():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("vi"):
        html = render_to_string("includes/pagination.html", {"page": _Page(1234)})
    assert "page=1235" in html and "page=1233" in html
    assert "page=1.2" not in html
    assert "1.234" in html  # "Trang 1.234 / 5.000" for people


class _Page:
    """The little of a Django Page the pagination include reads."""

    def __init__(self, number):
        self.number = number
        self.paginator = type("P", (), {"num_pages": 5000, "count": 100_000})()

    def has_previous(self):
        return True

    def has_next(self):
        return True

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1
