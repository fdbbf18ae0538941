from django.urls import path

from siam.views import bareme, barres, demande, home, pieces, resultat, spea, voeux

app_name = "siam"

urlpatterns = [
    path("", home.home, name="home"),
    path("<slug:slug>/postes/", home.postes, name="postes"),
    path("<slug:slug>/demande/", home.demande_open, name="demande-open"),
    path("<slug:slug>/demande/commencer/", home.demande_start, name="demande-start"),
    path("<slug:slug>/resultat/", resultat.resultat, name="resultat"),
    path("demandes/<int:pk>/", demande.demande_detail, name="demande"),
    path("demandes/<int:pk>/motifs/", demande.motif_add, name="motif-add"),
    path("demandes/<int:pk>/annuler/", demande.demande_cancel, name="demande-cancel"),
    path("motifs/<int:pk>/retirer/", demande.motif_remove, name="motif-remove"),
    path("demandes/<int:pk>/voeux/", voeux.voeux, name="voeux"),
    path("demandes/<int:pk>/voeux/ajouter/", voeux.voeu_add, name="voeu-add"),
    path("voeux/<int:pk>/supprimer/", voeux.voeu_remove, name="voeu-remove"),
    path("voeux/<int:pk>/deplacer/", voeux.voeu_move, name="voeu-move"),
    path("voeux/<int:pk>/rang/", voeux.voeu_move_to, name="voeu-move-to"),
    path("postes/<int:pk>/ajouter/", voeux.poste_voeu_add, name="poste-voeu-add"),
    path("demandes/<int:pk>/confirmation.pdf", pieces.confirmation, name="confirmation"),
    path("demandes/<int:pk>/pieces/", pieces.pieces, name="pieces"),
    path("pieces/<int:pk>/fichier/", pieces.piece_file, name="piece-file"),
    path("pieces/<int:pk>/retirer/", pieces.piece_delete, name="piece-delete"),
    path("<slug:slug>/departage/", bareme.departage, name="departage"),
    path("demandes/<int:pk>/bareme/", bareme.bareme, name="bareme"),
    path("demandes/<int:pk>/bareme/contester/", bareme.contestation_add, name="contestation-add"),
    path("contestations/<int:pk>/piece/", bareme.contestation_piece, name="contestation-piece"),
    # mouvement spécifique (postes à profil) and the published barres
    path("postes-a-profil/", spea.spea, name="spea"),
    path("postes-a-profil/<int:pk>/candidater/", spea.candidater, name="spea-candidater"),
    path("candidatures/<int:pk>/", spea.candidature, name="spea-candidature"),
    path("candidatures/<int:pk>/lettre/", spea.lettre, name="spea-lettre"),
    path("candidatures/<int:pk>/retirer/", spea.retirer, name="spea-retirer"),
    path("<slug:slug>/barres/", barres.barres, name="barres"),
    path("<slug:slug>/barres.csv", barres.barres_csv, name="barres-csv"),
]
