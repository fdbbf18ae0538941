from django.urls import path

from dossier import views

app_name = "dossier"

urlpatterns = [
    path("", views.dossier, name="dossier"),
    path("signaler/", views.signaler, name="signaler"),
    path("perspectives/", views.perspectives, name="perspectives"),
    path("cv/", views.cv, name="cv"),
    path("cv/ajouter/", views.cv_add, name="cv-add"),
    path("cv/contact/", views.cv_contact, name="cv-contact"),
    path("cv/<int:pk>/modifier/", views.cv_edit, name="cv-edit"),
    path("cv/<int:pk>/supprimer/", views.cv_delete, name="cv-delete"),
    path("cv/<int:pk>/monter/", views.cv_move_up, name="cv-move-up"),
    path("cv/<int:pk>/descendre/", views.cv_move_down, name="cv-move-down"),
]
