"""Issue 17, point 3: the agent's own address becomes his verified, primary EmailAddress; the others go.

A password reset used to leave an unverified record, which forbade enrolling TOTP for good.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def verify_own_addresses(apps: Any, schema_editor: Any) -> None:
    EmailAddress = apps.get_model("account", "EmailAddress")
    verified_owner: dict[str, int] = {}
    for address in EmailAddress.objects.select_related("user").order_by("-verified", "pk"):
        email = address.email.lower()
        own = email == (address.user.email or "").lower()
        if not own or verified_owner.get(email, address.user_id) != address.user_id:
            address.delete()
            continue
        verified_owner[email] = address.user_id
        EmailAddress.objects.filter(pk=address.pk).update(verified=True, primary=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_security_audit_auteur"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(verify_own_addresses, migrations.RunPython.noop)]
