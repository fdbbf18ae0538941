from lib.roles import DRH, RECTORAT

_MANAGED = ("campagne", "poste", "capaciteaccueil")
_EXAMINED = ("demande", "motifdeclare", "piecejustificative")
_READ = ("voeu", "demandeversion")

PERMISSIONS = {
    RECTORAT: [
        *(f"siam.{action}_{model}" for model in _MANAGED for action in ("view", "add", "change", "delete")),
        *(f"siam.{action}_{model}" for model in _EXAMINED for action in ("view", "change")),
        "siam.add_demande",  # an intra entrant's demande, before they log in
        *(f"siam.view_{model}" for model in _READ),
    ],
    DRH: [f"siam.view_{model}" for model in (*_MANAGED, *_EXAMINED, *_READ)],
}

# The mouvement: the rectorat runs it and keeps the table d'extension; the DRH publishes the results.
_MOUVEMENT_READ = ("siam.view_mouvementrun", "siam.view_mouvementresultat", "siam.view_tableextension")
PERMISSIONS[RECTORAT] += [
    *_MOUVEMENT_READ,
    "siam.run_mouvement",
    "siam.add_tableextension",
    "siam.change_tableextension",
    "siam.delete_tableextension",
]
PERMISSIONS[DRH] += [*_MOUVEMENT_READ, "siam.publish_mouvement"]

# The barème: the rectorat configures the rules, verifies each dossier and answers contestations; the DRH reads.
_BAREME_READ = ("reglesbareme", "reglebareme", "verificationbareme", "baremecorrection", "baremechange",
                "contestation", "tiragedepartage")  # fmt: skip
PERMISSIONS[RECTORAT] += [
    *(f"siam.view_{model}" for model in _BAREME_READ),
    "siam.change_reglesbareme",
    *(f"siam.{action}_reglebareme" for action in ("add", "change", "delete")),
    "siam.change_verificationbareme",
    *(f"siam.{action}_baremecorrection" for action in ("add", "change", "delete")),
    "siam.change_contestation",
]
PERMISSIONS[DRH] += [f"siam.view_{model}" for model in _BAREME_READ]

# The mouvement spécifique: the rectorat enters the avis and decides; the DRH reads.
PERMISSIONS[RECTORAT] += ["siam.view_candidaturespea", "siam.change_candidaturespea"]
PERMISSIONS[DRH] += ["siam.view_candidaturespea"]
