"""Static files the product serves, and only those.

viewflow's wheel ships its whole frontend (49 MB of Material CSS, JS and fonts) although
the product never serves a page of viewflow's own UI. Its stylesheets refer to font files
the wheel does not contain, so the strict manifest storage used in production stops
`collectstatic` with MissingFileError, and every page then answers 500 for lack of a
manifest. Rather than relax the manifest (which would hide a missing file of our own),
these apps' static folders are never collected: `STATICFILES_SKIP_APPS` names them.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.finders import AppDirectoriesFinder


class ServedAppDirectoriesFinder(AppDirectoriesFinder):
    """AppDirectoriesFinder for every installed app but those in STATICFILES_SKIP_APPS."""

    def __init__(self, app_names=None, *args, **kwargs):
        skip = set(getattr(settings, "STATICFILES_SKIP_APPS", ()))
        if app_names is None:
            app_names = [c.name for c in apps.get_app_configs() if c.name not in skip]
        super().__init__(app_names, *args, **kwargs)
