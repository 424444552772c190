"""The signed PDFs move to Django's storage (issuance.pdf_store): the row gets, per PDF,
the storage name, byte size and SHA-256; 0003 moves the bytes, 0004 drops them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("issuance", "0001_signed_copies_and_dispatch"),
    ]

    operations = [
        # Replaced in 0004 by one on the stored name, once the bytes have moved.
        migrations.RemoveConstraint(
            model_name="issuedcopy",
            name="issued_copy_pdf_and_time_together",
        ),
        # Nullable, so that 0004, dropping it, can be reversed on rows that exist.
        migrations.AlterField(
            model_name="issuedcopy",
            name="signed_pdf",
            field=models.BinaryField(null=True, verbose_name="PDF signed by the signer"),
        ),
        migrations.AddField(
            model_name="issuedcopy",
            name="signed_pdf_name",
            field=models.CharField(
                blank=True, max_length=255, verbose_name="PDF signed by the signer"
            ),
        ),
        migrations.AddField(
            model_name="issuedcopy",
            name="signed_pdf_size",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="issuedcopy",
            name="signed_pdf_sha256",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="issuedcopy",
            name="issued_pdf_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="issued PDF"),
        ),
        migrations.AddField(
            model_name="issuedcopy",
            name="issued_pdf_size",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="issuedcopy",
            name="issued_pdf_sha256",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
