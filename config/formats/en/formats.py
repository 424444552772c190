# English shares the Vietnamese formats: dates dd/mm/yyyy and '.' between thousands, since
# the documents are Vietnamese state documents whatever language the reader chose.
from config.formats.vi.formats import *  # noqa: F403

# Except for amounts in millions, which carry decimals and show them the English way:
# 1.5 million đồng. With '.' as the decimal point, thousands there take ',' (1,234.5), so
# that 1.234 can never be read as both one thousand and one point two (workflows/money.py).
MILLION_DECIMAL_SEPARATOR = "."
MILLION_THOUSAND_SEPARATOR = ","
