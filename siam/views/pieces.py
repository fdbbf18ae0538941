"""Pièces justificatives (upload, download, withdraw) and the confirmation de demande PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from siam.errors import SiamError
from siam.forms import PieceForm
from siam.models import Demande
from siam.motifs import PIECES_PAR_MOTIF
from siam.selectors import agent_of, get_demande_for_user, get_piece_for_user, motifs_of
from siam.services.confirmation import confirmation_filename, render_confirmation_pdf
from siam.services.demandes import require_confirmation
from siam.services.pieces import delete_piece, upload_piece
from siam.views import report_error
from siam.views.demande_parts import demande_parts


def render_pieces(
    request: HttpRequest, demande: Demande, *, form: PieceForm | None = None, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    context = {
        "demande": demande,
        "campagne": demande.campagne,
        "depot_ouvert": demande.campagne.depot_pieces_ouvert(now),
        "pieces": demande.pieces.select_related("motif").order_by("deposee_le"),
        "motifs": [(m, PIECES_PAR_MOTIF.get(m.motif, ())) for m in motifs_of(demande)],
        "form": form or PieceForm(demande=demande),
        "section": "services",
        **demande_parts(demande, "pieces"),
    }
    return render(request, "siam/pieces.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def pieces(request: HttpRequest, pk: int) -> HttpResponse:
    demande = get_demande_for_user(request, pk)
    if request.method == "GET":
        return render_pieces(request, demande)
    form = PieceForm(request.POST, request.FILES, demande=demande)
    if not form.is_valid():
        return render_pieces(request, demande, form=form, status=400)
    data = form.cleaned_data
    try:
        piece = upload_piece(
            demande=demande, fichier=data["fichier"], motif=data["motif"], description=data["description"]
        )
    except SiamError as exc:
        report_error(request, form, exc)
        return render_pieces(request, demande, form=form, status=exc.status)
    messages.success(
        request, _("Pièce déposée\u00a0: %(nom)s. Elle sera examinée par le rectorat.") % {"nom": piece.nom_original}
    )
    return redirect("siam:pieces", pk=demande.pk)


@require_GET
@login_required
def piece_file(request: HttpRequest, pk: int) -> FileResponse:
    piece = get_piece_for_user(request, pk)
    response = FileResponse(
        piece.fichier.open("rb"), as_attachment=True, filename=piece.nom_original, content_type=piece.content_type
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@login_required
def piece_delete(request: HttpRequest, pk: int) -> HttpResponse:
    piece = get_piece_for_user(request, pk)
    if piece.demande.agent_id != agent_of(request).pk:
        raise Http404  # staff examine pièces, only their owner withdraws them
    try:
        delete_piece(piece=piece)
    except SiamError as exc:
        messages.error(request, exc.message)
        return render_pieces(request, piece.demande, status=exc.status)
    messages.success(request, _("Pièce retirée\u00a0: %(nom)s.") % {"nom": piece.nom_original})
    return redirect("siam:pieces", pk=piece.demande_id)


@require_GET
@login_required
def confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    demande = get_demande_for_user(request, pk)
    try:
        require_confirmation(demande.campagne, timezone.now())
    except SiamError as exc:
        messages.error(request, exc.message)
        return redirect("siam:demande", pk=demande.pk)
    pdf = render_confirmation_pdf(demande)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{confirmation_filename(demande)}"'
    return response
