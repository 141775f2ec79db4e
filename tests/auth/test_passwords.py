import pytest

from scan.auth.passwords import hash_password, password_problem, verify_password

SHORT = "Gebruik minstens 12 tekens."
COMMON = ("Dit wachtwoord wordt te vaak gebruikt. Kies er een dat moeilijker te raden is, "
          "bijvoorbeeld een paar woorden.")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kort", SHORT),  # too short
        ("elf-tekens!", SHORT),  # 11 characters
        ("x" * 257, "Gebruik hoogstens 256 tekens."),  # longer than anyone types
        ("123qweasdzxc", COMMON),  # in the leaked-password list
        ("qwerty123456", COMMON),
        ("wachtwoord2024!", COMMON),  # a Dutch favourite with digits and a symbol around it
        ("Welkom123456", COMMON),
        ("aaaaaaaaaaaaaaaa", COMMON),  # one character repeated
    ],
)
def test_weak_passwords_are_refused_with_a_reason(app_ctx, password, reason):
    assert password_problem(password) == reason


def test_a_long_passphrase_is_accepted_without_composition_rules(app_ctx):
    assert password_problem("paarse fiets onder de brug") is None
    assert password_problem("alleenkleineletters") is None


def test_the_username_may_not_be_in_the_password(app_ctx):
    assert password_problem("sanne.bakker-is-de-beste", "sanne.bakker") == (
        "Het wachtwoord mag je gebruikersnaam niet bevatten.")
    assert password_problem("Sanne.Bakker-is-de-beste", "sanne.bakker") == (
        "Het wachtwoord mag je gebruikersnaam niet bevatten.")  # in any case
    assert password_problem("sanne.bakker-is-de-beste", "piet.jansen") is None


def test_the_reason_is_translated(app_ctx):
    assert password_problem("kort") == "Gebruik minstens 12 tekens."


def test_hash_is_argon2id_and_verifies(app_ctx):
    digest = hash_password("paarse fiets onder de brug")
    assert digest.startswith("$argon2id$")
    assert verify_password(digest, "paarse fiets onder de brug")
    assert not verify_password(digest, "paarse fiets onder de brug!")
    assert not verify_password("not-a-hash", "whatever")
