from dossier.views.cv import cv, cv_add, cv_contact, cv_delete, cv_edit, cv_move_down, cv_move_up
from dossier.views.dossier import dossier, perspectives, signaler

__all__ = [
    "cv",
    "cv_add",
    "cv_contact",
    "cv_delete",
    "cv_edit",
    "cv_move_down",
    "cv_move_up",
    "dossier",
    "perspectives",
    "signaler",
]
