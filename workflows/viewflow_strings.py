"""Strings viewflow shows to users without marking them for translation (the edge labels
of its flow chart). Listed here so makemessages keeps them in our catalogues; the chart
template (templates/viewflow/workflow/graph.svg, our copy) translates them."""

from django.utils.translation import gettext_noop

VIEWFLOW_STRINGS = [gettext_noop("yes"), gettext_noop("no")]
