"""Password hashing (argon2id) and the password rules: 8+ characters, not a common one."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from governance.errors import N_

_hasher = PasswordHasher()  # argon2id with the library's defaults

MIN_LENGTH = 8
MAX_LENGTH = 256

# Passwords refused because they top the lists of leaked passwords, plus the
# obvious local ones. Compared case-insensitively.
COMMON_PASSWORDS = frozenset(
    {
        "12345678", "123456789", "1234567890", "87654321", "11111111", "00000000", "12341234",
        "11223344", "password", "password1", "password123", "passord", "passord1", "passord123",
        "qwertyui", "qwerty123", "qwertyuiop", "asdfghjk", "asdfasdf", "zxcvbnm1", "iloveyou",
        "sunshine", "princess", "football", "baseball", "welcome1", "welcome123", "velkommen",
        "velkommen1", "admin123", "administrator", "letmein1", "abcd1234", "abc12345", "trustno1",
        "superman", "batman123", "dragon12", "monkey12", "master12", "starwars", "1q2w3e4r",
        "1qaz2wsx", "q1w2e3r4", "changeme", "sommer2024", "sommer2025", "sommer2026", "vinter2024",
        "vinter2025", "vinter2026", "høst2025", "høst2026", "norge123", "kommune1", "kommune123",
        "styringsrommet", "prosjekt", "prosjekt1", "hemmelig", "hemmelig1",
    }
)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> tuple[str, dict] | None:
    """What is wrong with the password (message marked for translation, params), or None."""
    if len(password) < MIN_LENGTH:
        return N_("Passordet må ha minst %(num)d tegn."), {"num": MIN_LENGTH}
    if len(password) > MAX_LENGTH:
        return N_("Passordet kan ha høyst %(num)d tegn."), {"num": MAX_LENGTH}
    if password.lower() in COMMON_PASSWORDS:
        return N_("Passordet er for vanlig. Velg et annet."), {}
    return None


# A hash to verify against when the username is unknown, so timing does not tell.
DUMMY_HASH = _hasher.hash("styringsrommet-dummy-password")
