"""The shell's shared fragments (iprof.shell): rendered once per process, never anybody's own data.

Each test renders a page for one person first, so that the fragments are in the cache, then for
another: the second must see only what is hers.
"""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils.safestring import mark_safe

from accounts.models import Agent
from iprof.courrier.services import post_courrier
from iprof.shell import FRAGMENTS
from iprof.templatetags import shell as shell_tags
from tests.conftest import login


def _unread_for(agent: Agent, n: int) -> None:
    for i in range(n):
        post_courrier(recipients=[agent.pk], sujet=f"Message {i}", corps="Bonjour.", key=f"shell-{agent.pk}-{i}")  # type: ignore[arg-type]


def _current(body: str) -> list[str]:
    """The menu entries marked as the current page."""
    return re.findall(r'class="fr-nav__link" href="([^"]+)" aria-current="page"', body)


def test_the_footer_and_the_menu_head_are_kept_after_the_first_page(client_a: Client) -> None:
    FRAGMENTS.clear()
    client_a.get("/")
    footer = [key for key in FRAGMENTS if key[0] == "footer"]
    assert footer and [key for key in FRAGMENTS if key[0] == "header_menu"]
    FRAGMENTS[footer[0]] = mark_safe("<footer>kept</footer>")
    assert "<footer>kept</footer>" in client_a.get("/").content.decode()  # the second page prints the kept one


def test_the_shell_store_is_bounded_and_debug_keeps_nothing(client_a: Client, settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(shell_tags, "MAX_FRAGMENTS", 3)
    client_a.get("/")
    assert 0 < len(FRAGMENTS) <= 3  # emptied whole when full, then refilled
    again = client_a.get("/").content.decode()
    assert "Plan du site" in again and 'id="modal-menu"' in again and "Se déconnecter" in again
    settings.DEBUG = True  # a changed setting empties the store; DEBUG renders every fragment every time
    client_a.get("/")
    assert FRAGMENTS == {}


def test_the_second_teacher_sees_her_own_name_and_unread_count(
    client_a: Client, client_b: Client, teacher_a: Agent, teacher_b: Agent
) -> None:
    _unread_for(teacher_a, 3)
    first = client_a.get("/").content.decode()
    assert "DUPONT Frédéric" in first and 'title="messages non lus">3</span>' in first
    second = client_b.get("/").content.decode()
    assert "DUPONT Françoise" in second
    assert "Frédéric" not in second
    assert 'title="messages non lus"' not in second
    _unread_for(teacher_b, 1)
    assert 'title="messages non lus">1</span>' in client_b.get("/").content.decode()


def test_a_teacher_after_a_staff_member_gets_no_administration_link(client_a: Client, rectorat: Agent) -> None:
    admin = reverse("admin:index")
    staff_page = login(rectorat).get("/").content.decode()
    assert f'href="{admin}"' in staff_page
    assert f'href="{admin}"' not in client_a.get("/").content.decode()


def test_an_anonymous_visitor_after_a_teacher_gets_no_menu_and_no_logout(client_a: Client) -> None:
    client_a.get("/")
    body = Client().get(reverse("plan-du-site")).content.decode()
    assert "Se déconnecter" not in body
    assert 'id="modal-menu"' not in body and 'href="#navigation"' not in body
    assert "fr-icon-lock-line" not in body  # the header link to « Sécurité du compte »


def test_each_page_marks_its_own_menu_entry_as_current(client_a: Client) -> None:
    assert _current(client_a.get(reverse("dossier:dossier")).content.decode()) == [reverse("dossier:dossier")]
    assert _current(client_a.get(reverse("dossier:cv")).content.decode()) == [reverse("dossier:cv")]
    assert _current(client_a.get("/").content.decode()) == []


def test_each_session_gets_its_own_csrf_token_in_the_logout_form(client_a: Client, client_b: Client) -> None:
    token = re.compile(r'class="iprof-logout">\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"')
    a, b = (token.search(c.get("/").content.decode()) for c in (client_a, client_b))
    assert a and b
    # a masked token: unmasked, each is its own session's secret
    from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]

    assert _unmask_cipher_token(a.group(1)) == client_a.cookies["csrftoken"].value
    assert _unmask_cipher_token(b.group(1)) == client_b.cookies["csrftoken"].value
    assert client_a.cookies["csrftoken"].value != client_b.cookies["csrftoken"].value


def test_a_changed_setting_is_shown_at_once(client_a: Client, settings) -> None:
    client_a.get("/")
    settings.IPROF_SUPPORT_EMAIL = "assistance@ac-besancon.fr"
    assert "assistance@ac-besancon.fr" in client_a.get("/").content.decode()


def test_the_second_teacher_sees_her_own_dossier_around_the_shared_summary(client_a: Client, client_b: Client) -> None:
    first = client_a.get(reverse("dossier:dossier")).content.decode()
    assert "DUPONT Frédéric" in first and 'data-testid="echelon">7e échelon' in first
    second = client_b.get(reverse("dossier:dossier")).content.decode()
    assert "DUPONT Françoise" in second and 'data-testid="echelon">9e échelon' in second
    assert "Frédéric" not in second and "7e échelon" not in second
    assert 'href="#carriere"' in second  # the summary, kept after the first teacher's page


def test_the_menu_list_kept_for_one_teacher_shows_the_next_her_own_page_and_count(
    client_a: Client, client_b: Client, teacher_a: Agent, teacher_b: Agent
) -> None:
    dossier, cv = reverse("dossier:dossier"), reverse("dossier:cv")
    _unread_for(teacher_a, 2)
    _unread_for(teacher_b, 5)
    first = client_a.get(dossier).content.decode()
    assert _current(first) == [dossier] and 'title="messages non lus">2</span>' in first
    same_page = client_b.get(dossier).content.decode()
    assert _current(same_page) == [dossier]
    assert 'title="messages non lus">5</span>' in same_page and ">2</span>" not in same_page
    other_page = client_b.get(cv).content.decode()
    assert _current(other_page) == [cv] and 'title="messages non lus">5</span>' in other_page
