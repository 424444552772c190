"""Each PDF kept in the database goes to storage under its SHA-256
(issuance.pdf_store.pdf_put), and the row records its name, size and hash. One row at a
time, so a database of large PDFs is never held in memory at once. Backwards, the bytes
are read back (checked) into the row; the files stay for the sweep."""

from django.db import migrations


def forward(apps, schema_editor):
    from issuance.pdf_store import pdf_put

    IssuedCopy = apps.get_model("issuance", "IssuedCopy")
    todo = IssuedCopy.objects.filter(signed_pdf_name="").order_by("pk")
    for pk in todo.values_list("pk", flat=True).iterator():
        signed, issued = IssuedCopy.objects.values_list("signed_pdf", "issued_pdf").get(pk=pk)
        update = {}
        for prefix, data in (("signed_pdf", signed), ("issued_pdf", issued)):
            if data is None:
                continue
            name, size, sha256 = pdf_put(bytes(data))
            update |= {f"{prefix}_name": name, f"{prefix}_size": size, f"{prefix}_sha256": sha256}
        IssuedCopy.objects.filter(pk=pk).update(**update)


def backward(apps, schema_editor):
    from issuance.pdf_store import pdf_read

    IssuedCopy = apps.get_model("issuance", "IssuedCopy")
    for pk in IssuedCopy.objects.order_by("pk").values_list("pk", flat=True).iterator():
        row = IssuedCopy.objects.values(
            "signed_pdf_name", "signed_pdf_sha256", "issued_pdf_name", "issued_pdf_sha256"
        ).get(pk=pk)
        update = {}
        for prefix in ("signed_pdf", "issued_pdf"):
            if row[f"{prefix}_name"]:
                update[prefix] = pdf_read(row[f"{prefix}_name"], row[f"{prefix}_sha256"])
            update |= {f"{prefix}_name": "", f"{prefix}_size": None, f"{prefix}_sha256": ""}
        IssuedCopy.objects.filter(pk=pk).update(**update)


class Migration(migrations.Migration):
    dependencies = [
        ("issuance", "0002_issued_copy_pdf_in_storage"),
    ]

    operations = [migrations.RunPython(forward, backward)]
