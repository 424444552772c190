"""Chain the audit trail: sequence numbers, previous and own SHA-256 for every event,
a head row, verification runs, and triggers that make the table append-only."""

from django.db import migrations, models

import workflows.audit_db


def chain_existing(apps, schema_editor):
    from workflows.audit import GENESIS, event_hash

    AuditEvent = apps.get_model("workflows", "AuditEvent")
    AuditChainHead = apps.get_model("workflows", "AuditChainHead")
    prev = GENESIS
    seq = 0
    for event in AuditEvent.objects.order_by("created_at", "pk"):
        seq += 1
        values = {
            "seq": seq,
            "created_at": event.created_at,
            "actor_id": event.actor_id,
            "actor_name": event.actor_name,
            "unit_code": event.unit_code,
            "roles": event.roles,
            "action": event.action,
            "document_id": event.document_id,
            "revision_number": event.revision_number,
            "from_state": event.from_state,
            "to_state": event.to_state,
            "comment": event.comment,
            "data": event.data,
            "ip": event.ip,
            "prev_hash": prev,
        }
        digest = event_hash(values)
        AuditEvent.objects.filter(pk=event.pk).update(seq=seq, prev_hash=prev, hash=digest)
        prev = digest
    AuditChainHead.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": prev})


def install_triggers(apps, schema_editor):
    workflows.audit_db.install(schema_editor.connection)


def remove_triggers(apps, schema_editor):
    workflows.audit_db.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_labels")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="AuditVerification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("ok", models.BooleanField()),
                ("checked", models.PositiveBigIntegerField()),
                ("head_seq", models.PositiveBigIntegerField(default=0)),
                ("head_hash", models.CharField(blank=True, max_length=64)),
                ("message", models.TextField(blank=True)),
            ],
            options={"ordering": ["-created_at", "-pk"]},
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True),
        ),
        migrations.AlterModelOptions(
            name='auditevent',
            options={'ordering': ['seq']},
        ),
        migrations.RemoveIndex(
            model_name='auditevent',
            name='workflows_a_documen_466531_idx',
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='unit_code',
            field=models.CharField(blank=True, db_index=True, max_length=20),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['document', 'seq'], name='workflows_a_documen_47610a_idx'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['actor', 'seq'], name='workflows_a_actor_i_36da84_idx'),
        ),
    
        migrations.RunPython(install_triggers, remove_triggers),
    ]
