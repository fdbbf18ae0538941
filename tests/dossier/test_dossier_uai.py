"""UAI codes: 7 digits and a check letter (number mod 23 in an alphabet without I, O, Q)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dossier.models.referentiel import validate_uai
from dossier.uai import is_valid_uai, uai_check_letter


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        # valid by their check letter (Blaise-Pascal, Banville, Émile-Duclaux, Charles-et-Adrien-Dupuy)
        ("0630018C", True),
        ("0030025L", True),
        ("0150006A", True),
        ("0430020N", True),
        # lower case and surrounding spaces are read as typed by people
        ("0630018c", True),
        (" 0630018C ", True),
        # wrong check letter
        ("0630018D", False),
        ("0030025K", False),
        # wrong length
        ("063001C", False),
        ("06300188C", False),
        ("0630018", False),
        ("", False),
        # letters where digits belong, or a digit for the letter
        ("063A018C", False),
        ("ABCDEFGH", False),
        ("06300180", False),
        # the alphabet has no I, O or Q
        ("0630018I", False),
    ],
)
def test_uai_check_letter_table(code: str, valid: bool) -> None:
    assert is_valid_uai(code) is valid


def test_check_letter_is_the_number_modulo_23_in_an_alphabet_without_i_o_q() -> None:
    letters = {uai_check_letter(f"{n:07d}") for n in range(23)}
    assert letters == set("ABCDEFGHJKLMNPRSTUVWXYZ")
    assert uai_check_letter("0630018") == "C"  # 630018 = 23 × 27392 + 2


def test_model_validator_refuses_a_wrong_letter_with_a_french_message() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_uai("0630018D")
    assert "n'est pas un code UAI valide" in exc.value.messages[0]
