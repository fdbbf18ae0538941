"""Les guides: pages written by the rectorat in the admin (Markdown), published or draft."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from iprof.guides.markdown import render_markdown

if TYPE_CHECKING:
    from accounts.models import Agent


class Section(models.TextChoices):
    PORTAIL = "portail", _("Utiliser I-Prof")
    MOUVEMENT = "mouvement", _("Mutations (SIAM)")
    CARRIERE = "carriere", _("Votre carrière")
    TEXTES = "textes", _("Textes de référence")


def plain(text: str) -> str:
    """Lower case without accents: « Barème » is found by « bareme »."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class GuideQuerySet(models.QuerySet["Guide"]):
    def published(self) -> GuideQuerySet:
        return self.filter(published=True)

    def visible_to(self, user: Agent) -> GuideQuerySet:
        """Drafts are for the staff who may read them in the admin."""
        return self.all() if user.has_perm("guides.view_guide") else self.published()

    def search(self, q: str) -> GuideQuerySet:
        words = plain(q).split()
        if not words:
            return self
        every_word = Q()
        for word in words:
            every_word &= Q(texte_recherche__contains=word)
        # French stemming too: « mutations » finds « mutation ».
        stemmed = Q(search=SearchQuery(plain(q), config="french", search_type="websearch"))
        return self.annotate(search=SearchVector("texte_recherche", config="french")).filter(every_word | stemmed)


class Guide(models.Model):
    titre = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(
        _("adresse"), max_length=100, help_text=_("La fin de l'adresse de la page, ex. guide-regles-mouvement.")
    )
    section = models.CharField(_("rubrique"), max_length=12, choices=Section)
    resume = models.CharField(
        _("résumé"), max_length=300, blank=True, help_text=_("Une phrase, montrée dans la liste.")
    )
    corps = models.TextField(
        _("texte (Markdown)"),
        help_text=_(
            "Markdown\u00a0: ## Titre de partie, **gras**, - liste, [lien](https://…), tableaux. "
            "Le HTML est nettoyé\u00a0: aucun script n'est conservé."
        ),
    )
    published = models.BooleanField(
        _("publié"), default=False, help_text=_("Sinon\u00a0: brouillon, visible du rectorat seulement.")
    )
    ordre = models.PositiveSmallIntegerField(_("ordre dans la rubrique"), default=0)
    texte_recherche = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        ordering = ["section", "ordre", "titre"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="guide_slug_unique",
                violation_error_message=_("Un autre guide porte déjà cette adresse (slug)."),
            )
        ]
        indexes = [models.Index(fields=["published", "section", "ordre"], name="guide_list_idx")]  # the list page

    def __str__(self) -> str:
        return self.titre

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.texte_recherche = plain(" ".join([self.titre, self.resume, self.corps]))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "texte_recherche"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("guides:guide", args=[self.slug])

    @property
    def corps_html(self) -> SafeString:
        return render_markdown(self.corps)


def guide_file_path(instance: PieceJointeGuide, filename: str) -> str:
    return f"guides/{instance.guide.slug}/{filename}"


class PieceJointeGuide(models.Model):
    """A document offered with a guide (note de service, calendrier…), served only to who may read the guide."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="pieces_jointes", verbose_name=_("guide"))
    titre = models.CharField(_("titre"), max_length=200)
    fichier = models.FileField(_("fichier"), upload_to=guide_file_path, max_length=200)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("document joint")
        verbose_name_plural = _("documents joints")
        ordering = ["ordre", "pk"]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("guides:fichier", args=[self.guide.slug, self.pk])
