from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.models import Agent
from iprof.guides.models import Guide, PieceJointeGuide, Section


def _agent(request: HttpRequest) -> Agent:
    return request.user  # type: ignore[return-value]


def get_guide_for_user(request: HttpRequest, slug: str) -> Guide:
    queryset = Guide.objects.visible_to(_agent(request)).prefetch_related("pieces_jointes")
    return get_object_or_404(queryset, slug=slug)


@require_GET
@login_required
def guide_list(request: HttpRequest) -> HttpResponse:
    # PostgreSQL refuses NUL characters in text: drop them rather than fail.
    q = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    guides = Guide.objects.visible_to(_agent(request)).defer("corps", "texte_recherche")
    if q:
        guides = guides.search(q)
    by_section: dict[str, list[Guide]] = {}
    for guide in guides:
        by_section.setdefault(guide.section, []).append(guide)
    sections = [(label, by_section[value]) for value, label in Section.choices if value in by_section]
    context = {"sections": sections, "q": q, "section": "guides"}
    return render(request, "guides/list.html", context)


@require_GET
@login_required
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = get_guide_for_user(request, slug)
    return render(request, "guides/guide.html", {"guide": guide, "section": "guides"})


@require_GET
@login_required
def guide_file(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    guide = get_guide_for_user(request, slug)
    piece = get_object_or_404(PieceJointeGuide, guide=guide, pk=pk)
    try:
        stream = piece.fichier.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(stream, as_attachment=True, filename=(piece.fichier.name or "").rsplit("/", 1)[-1])
