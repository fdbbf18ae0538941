from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from iprof import views

# The admin login goes through allauth's, so it shares its rate limits.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

handler500 = "iprof.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("sante/", views.sante, name="sante"),
    path("compte/", include("accounts.urls")),
    # the e-mail address belongs to the dossier held by the administration: not editable here
    path("compte/email/", account_views.adresse_electronique, name="account-email-gere"),
    path("compte/", include("allauth.urls")),
    path("services/", views.services, name="services"),
    # the State-site pages of the footer: public, no login
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("mentions-legales/", views.mentions_legales, name="mentions-legales"),
    path("donnees-personnelles/", views.donnees_personnelles, name="donnees-personnelles"),
    path("gestion-des-cookies/", views.cookies, name="cookies"),
    path("plan-du-site/", views.plan_du_site, name="plan-du-site"),
    path("courrier/", include("iprof.courrier.urls")),
    path("guides/", include("iprof.guides.urls")),
    path("dossier/", include("dossier.urls")),
    path("siam/", include("siam.urls")),
    path("admin/", admin.site.urls),
]
