"""Domain errors carry a stable code; the bot layer turns the code into a text in the user's language."""

from __future__ import annotations


class DomainError(Exception):
    code = "error-domain"

    def __init__(self, code: str | None = None, **params: object) -> None:
        if code is not None:
            self.code = code
        self.params = params
        super().__init__(self.code)


class NotFound(DomainError):
    code = "error-not-found"


class Forbidden(DomainError):
    code = "error-forbidden"


class InvalidInput(DomainError):
    code = "error-invalid-input"


class AlreadyDone(DomainError):
    """A repeated or stale action: nothing changes, the user is told politely."""

    code = "error-already-done"
