from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = _("Organisation")

    def ready(self):
        from . import navigation, roles

        navigation.register(
            navigation.NavItem("home", "home", _("Home"), lambda user: True, order=0)
        )
        navigation.register(
            navigation.NavItem(
                "admin", "admin:index", _("Administration"), lambda user: user.is_staff, order=900
            )
        )

        # Groups for the product's roles must exist before anyone can be given one; the
        # permissions themselves are only created in post_migrate, app by app, hence the
        # hook on every app's signal (it waits until all the roles' permissions exist).
        post_migrate.connect(roles.create_missing_roles, dispatch_uid="ubdt-create-roles")

        from django.contrib.auth.signals import user_logged_in

        from . import session_renewal

        user_logged_in.connect(session_renewal.signed_in, dispatch_uid="ubdt-session-renewal")
