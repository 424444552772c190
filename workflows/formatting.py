"""Numbers in messages, written the reader's language's way (5.000; 1,5), so that a
limit or a count in a message reads like the same figure on the page."""

from django.utils.formats import number_format


def grouped(number) -> str:
    """`number` with the language's thousands separator and, for a fraction, its decimal
    separator: 5.000, 1.000.000.000.000.000, 1,5."""
    return number_format(number, force_grouping=True)
