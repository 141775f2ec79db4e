import pytest

from scan.auth.passwords import hash_password, password_problem, verify_password


@pytest.mark.parametrize(
    "password",
    [
        "kort",  # too short
        "elf-tekens!",  # 11 characters
        "123qweasdzxc",  # in the leaked-password list
        "qwerty123456",
        "wachtwoord2024!",  # a Dutch favourite with digits and a symbol around it
        "Welkom123456",
        "aaaaaaaaaaaaaaaa",  # one character repeated
    ],
)
def test_weak_passwords_are_refused_with_a_reason(app_ctx, password):
    assert password_problem(password) is not None


def test_a_long_passphrase_is_accepted_without_composition_rules(app_ctx):
    assert password_problem("paarse fiets onder de brug") is None
    assert password_problem("alleenkleineletters") is None


def test_the_username_may_not_be_in_the_password(app_ctx):
    assert password_problem("sanne.bakker-is-de-beste", "sanne.bakker") is not None


def test_the_reason_is_translated(app_ctx):
    assert password_problem("kort") == "Gebruik minstens 12 tekens."


def test_hash_is_argon2id_and_verifies(app_ctx):
    digest = hash_password("paarse fiets onder de brug")
    assert digest.startswith("$argon2id$")
    assert verify_password(digest, "paarse fiets onder de brug")
    assert not verify_password(digest, "paarse fiets onder de brug!")
    assert not verify_password("not-a-hash", "whatever")
