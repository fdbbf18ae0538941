from django.urls import path

from iprof.guides import views

app_name = "guides"

urlpatterns = [
    path("", views.guide_list, name="list"),
    path("<slug:slug>/", views.guide_detail, name="guide"),
    path("<slug:slug>/fichiers/<int:pk>/", views.guide_file, name="fichier"),
]
