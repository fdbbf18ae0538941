"""Staff permissions on the dossier app (merged by lib.roles after every migrate)."""

from lib.roles import DRH, RECTORAT

REFERENTIEL = (
    "academie",
    "departement",
    "commune",
    "groupementcommunes",
    "zoneremplacement",
    "etablissement",
    "discipline",
    "corps",
    "grade",
    "echelonduree",
    "conditionpromotion",
)
# The dossier and the rows shown inline in its admin page.
DOSSIER = ("dossier", "enfant", "echelonhistorique", "affectation", "diplome", "formation")


def _perms(models: tuple[str, ...], actions: tuple[str, ...]) -> list[str]:
    return [f"dossier.{action}_{model}" for model in models for action in actions]


PERMISSIONS = {
    RECTORAT: [
        *_perms(REFERENTIEL, ("view", "add", "change")),
        *_perms(DOSSIER, ("view", "add", "change")),
        # corrections of the history rows shown inline (never of the dossier itself)
        *_perms(DOSSIER[1:], ("delete",)),
        "dossier.view_dossierchange",
        "dossier.view_cventry",
        "dossier.view_cvcontact",
        "dossier.view_signalementerreur",
        "dossier.change_signalementerreur",
    ],
    DRH: [
        "dossier.view_dossier",
        *_perms(DOSSIER[1:], ("view",)),
        "dossier.view_dossierchange",
    ],
}
