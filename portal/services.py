"""Shared helpers for service functions: one error type that carries field-level messages."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A business rule refused the action. `field` names the form field the message belongs to.

    Views add it to the form (`form.add_error(error.field, error)`) so people see the message next
    to what they typed; nothing was written because the service runs in one transaction.
    """

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message, code=code)
        self.field = field

    def add_to(self, form) -> None:
        field = self.field if self.field in form.fields else None
        form.add_error(field, self.messages[0])
