from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("deconnexion/", views.logout, name="logout"),
    path("deconnecte/", views.logged_out, name="logged-out"),
    path("identifiant-oublie/", views.identifiant_oublie, name="identifiant-oublie"),
    path("aide-connexion/", views.aide_connexion, name="aide-connexion"),
    path("securite/", views.securite, name="securite"),
]
