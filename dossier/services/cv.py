"""Votre CV: the teacher adds, edits, deletes and reorders entries; each write is atomic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from dossier.errors import DossierError
from dossier.models import CVContact, CVEntry, CVSection

if TYPE_CHECKING:
    from accounts.models import Agent

ENTRY_FIELDS = ("section", "titre", "organisme", "description", "date_debut", "date_fin")


def _next_ordre(agent: Agent, section: str) -> int:
    last = CVEntry.objects.for_agent(agent).filter(section=section).aggregate(m=Max("ordre"))["m"]
    return 0 if last is None else last + 1


@transaction.atomic
def add_cv_entry(*, agent: Agent, data: dict[str, Any]) -> CVEntry:
    """A new entry goes at the end of its section."""
    fields = {name: data[name] for name in ENTRY_FIELDS if name in data}
    if fields.get("section") not in CVSection.values:
        raise DossierError(_("Choisissez une rubrique du CV."))
    return CVEntry.objects.create(agent=agent, ordre=_next_ordre(agent, fields["section"]), **fields)


@transaction.atomic
def update_cv_entry(*, entry: CVEntry, data: dict[str, Any]) -> CVEntry:
    """Moving an entry to another section puts it at the end of that section.

    The section compared is the stored one, read under a lock: a ModelForm bound to ``entry`` has already
    written the new section on the instance (a fuzzed edit found two entries at the same place)."""
    new_section = data.get("section", entry.section)
    if new_section not in CVSection.values:
        raise DossierError(_("Choisissez une rubrique du CV."))
    stored = CVEntry.objects.select_for_update().values_list("section", flat=True).get(pk=entry.pk)
    if new_section != stored:
        entry.ordre = _next_ordre(entry.agent, new_section)
    for name in ENTRY_FIELDS:
        if name in data:
            setattr(entry, name, data[name])
    entry.save()
    return entry


@transaction.atomic
def delete_cv_entry(*, entry: CVEntry) -> None:
    entry.delete()


@transaction.atomic
def move_cv_entry(*, entry: CVEntry, offset: int) -> bool:
    """Swap the entry with its neighbour in its section (-1: up, +1: down). False at either end.

    The section's rows are locked and renumbered 0…n-1 first, so concurrent moves and
    legacy duplicate `ordre` values cannot produce two entries at the same place.
    """
    if offset not in (-1, 1):
        raise DossierError(_("Déplacement impossible."))
    siblings = list(
        CVEntry.objects.select_for_update()
        .filter(agent_id=entry.agent_id, section=entry.section)
        .order_by("ordre", "id")
    )
    ids = [s.pk for s in siblings]
    index = ids.index(entry.pk)
    target = index + offset
    if not 0 <= target < len(siblings):
        return False
    siblings[index], siblings[target] = siblings[target], siblings[index]
    changed = []
    for position, sibling in enumerate(siblings):
        if sibling.ordre != position:
            sibling.ordre = position
            changed.append(sibling)
    CVEntry.objects.bulk_update(changed, ["ordre"])
    return True


@transaction.atomic
def save_cv_contact(*, agent: Agent, email: str, telephone: str) -> CVContact:
    contact, _created = CVContact.objects.update_or_create(
        agent=agent, defaults={"email": email, "telephone": telephone}
    )
    return contact
