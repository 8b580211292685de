"""Per-case audit chains and signed checkpoints.

The one global audit chain becomes one chain per case plus a "system" chain for entries with no
case: the existing entries are checked as one chain first, then re-linked per case in their old
order (seq, prev_hash and hash recomputed: the entries' content is unchanged), and the system
chain records the old chain's head and whether it verified (`audit.chains_split`), so the old
head hash stays on the record. Then the checkpoint tables.
"""

import django.core.serializers.json
import django.db.models.deletion
from django.db import migrations, models

GENESIS = "0" * 64


def _hash(row, seq, prev):
    from case_core.models.audit import AuditEntry  # the live class: its compute_hash()

    entry = AuditEntry(
        case_id=row.case_id,
        actor_id=row.actor_id,
        action=row.action,
        data=row.data,
        created_at=row.created_at,
        seq=seq,
        prev_hash=prev,
    )
    return entry.compute_hash()


def split_chains(apps, schema_editor):
    from django.utils import timezone

    Entry = apps.get_model("case_core", "AuditEntry")
    Head = apps.get_model("case_core", "AuditHead")
    rows = list(Entry.objects.order_by("seq"))
    if not rows:
        Head.objects.all().delete()
        return
    intact, prev = True, GENESIS
    for number, row in enumerate(rows, start=1):
        if row.seq != number or row.prev_hash != prev or _hash(row, row.seq, prev) != row.hash:
            intact = False
        prev = row.hash
    old_head = Head.objects.filter(pk=1).first()
    if old_head is not None and (old_head.last_seq, old_head.last_hash) != (len(rows), prev):
        intact = False
    heads: dict = {}
    for row in rows:
        key = "system" if row.case_id is None else f"case-{row.case_id}"
        seq, last = heads.get(key, (0, GENESIS))
        row.seq, row.prev_hash = seq + 1, last
        row.hash = _hash(row, row.seq, row.prev_hash)
        Entry.objects.filter(pk=row.pk).update(seq=row.seq, prev_hash=row.prev_hash, hash=row.hash)
        heads[key] = (row.seq, row.hash)
    seq, last = heads.get("system", (0, GENESIS))
    note = Entry(
        case_id=None,
        actor_id=None,
        action="audit.chains_split",
        data={"entries": len(rows), "old_head": prev, "old_chain_intact": intact},
        created_at=timezone.now(),
        seq=seq + 1,
        prev_hash=last,
    )
    from case_core.chain import _normalise_json  # the JSON as the database stores it

    _normalise_json(note)
    note.hash = _hash(note, note.seq, note.prev_hash)
    note.save()
    heads["system"] = (note.seq, note.hash)
    Head.objects.all().delete()
    for key, (seq, last) in heads.items():
        Head.objects.create(chain=key, last_seq=seq, last_hash=last)
    if schema_editor.connection.vendor == "postgresql":
        # Check the deferred foreign keys now: PostgreSQL refuses the indexes below while
        # trigger events are pending in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("case_core", "0004_pades_signatures")]

    operations = [
        migrations.AlterField(
            model_name="auditentry", name="seq", field=models.PositiveBigIntegerField()
        ),
        migrations.AlterModelOptions(name="auditentry", options={"ordering": ["id"]}),
        migrations.AddField(
            model_name="audithead",
            name="chain",
            field=models.CharField(default="system", max_length=32),
            preserve_default=False,
        ),
        migrations.RunPython(split_chains, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="audithead",
            name="chain",
            field=models.CharField(max_length=32, unique=True),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("case__isnull", False)),
                fields=("case", "seq"),
                name="one_audit_entry_per_case_seq",
            ),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("case__isnull", True)),
                fields=("seq",),
                name="one_system_audit_entry_per_seq",
            ),
        ),
        migrations.CreateModel(
            name="CheckpointHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("last_seq", models.PositiveBigIntegerField(default=0)),
                ("last_hash", models.CharField(default=GENESIS, max_length=64)),
            ],
            options={"abstract": False},
        ),
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64)),
                ("seq", models.PositiveBigIntegerField(unique=True)),
                ("created_at", models.DateTimeField()),
                ("reason", models.CharField(max_length=64)),
                (
                    "heads",
                    models.JSONField(
                        default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
                    ),
                ),
                ("merkle_root", models.CharField(max_length=64)),
                ("key_id", models.CharField(max_length=64)),
                ("signature", models.CharField(max_length=128)),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="case_core.case",
                    ),
                ),
            ],
            options={"ordering": ["seq"]},
        ),
    ]
