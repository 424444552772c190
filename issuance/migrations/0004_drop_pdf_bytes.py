"""The PDFs are in storage (0003): the bytes leave the database, and the constraints hold
the stored PDF's name, size and hash together."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("issuance", "0003_move_pdf_bytes_to_storage"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="issuedcopy",
            name="signed_pdf",
        ),
        migrations.RemoveField(
            model_name="issuedcopy",
            name="issued_pdf",
        ),
    migrations.AddConstraint(
            model_name="issuedcopy",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("signed_pdf_sha256", ""),
                    ("signed_pdf_sha256__regex", "\\A[0-9a-f]{64}\\Z"),
                    _connector="OR",
                ),
                name="issued_copy_signed_pdf_sha256_hex",
            ),
        ),
        migrations.AddConstraint(
            model_name="issuedcopy",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("signed_pdf_name", ""),
                        ("signed_pdf_sha256", ""),
                        ("signed_pdf_size__isnull", True),
                    ),
                    models.Q(
                        models.Q(("signed_pdf_name", ""), _negated=True),
                        models.Q(("signed_pdf_sha256", ""), _negated=True),
                        ("signed_pdf_size__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="issued_copy_signed_pdf_stored_together",
            ),
        ),
        migrations.AddConstraint(
            model_name="issuedcopy",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("issued_pdf_sha256", ""),
                    ("issued_pdf_sha256__regex", "\\A[0-9a-f]{64}\\Z"),
                    _connector="OR",
                ),
                name="issued_copy_issued_pdf_sha256_hex",
            ),
        ),
        migrations.AddConstraint(
            model_name="issuedcopy",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("issued_pdf_name", ""),
                        ("issued_pdf_sha256", ""),
                        ("issued_pdf_size__isnull", True),
                    ),
                    models.Q(
                        models.Q(("issued_pdf_name", ""), _negated=True),
                        models.Q(("issued_pdf_sha256", ""), _negated=True),
                        ("issued_pdf_size__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="issued_copy_issued_pdf_stored_together",
            ),
        ),
        migrations.AddConstraint(
            model_name="issuedcopy",
            constraint=models.CheckConstraint(
                condition=models.Q(("signed_pdf_name", ""), _negated=True),
                name="issued_copy_signed",
            ),
        ),
        migrations.AddConstraint(
            model_name="issuedcopy",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("issued_at__isnull", True), ("issued_pdf_name", "")),
                    models.Q(
                        models.Q(("issued_pdf_name", ""), _negated=True),
                        ("issued_at__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="issued_copy_pdf_and_time_together",
            ),
        ),
    ]
