# English shares the Vietnamese formats: dates dd/mm/yyyy and '.' between thousands, since
# the documents are Vietnamese state documents whatever language the reader chose.
from config.formats.vi.formats import *  # noqa: F403
