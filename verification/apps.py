from django.apps import AppConfig


class VerificationConfig(AppConfig):
    """The public verification of issued PDFs (/verify/, manage.py verify_pdf); the
    checking itself is signing.verification, on bytes."""

    name = "verification"
    verbose_name = "Verification"
