"""The engine's extension points. The engine knows no app beside it: an app that adds a
rule to signing (delegation) or lets a colleague act for someone away (leave) registers
its implementation here from its AppConfig.ready(), and the engine asks only this
module. The base classes are the neutral defaults the engine runs with when nothing is
registered: no extra signature rule, nobody substitutes.

Override rule: each hook kind takes one implementation. A second, different one is
refused (ImproperlyConfigured), so two apps can never silently fight over who may sign
or who acts for whom; registering the same object again is a no-op (ready() may run
twice in some test runners)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ImproperlyConfigured

SIGNATURE_AUTHORITY = "signature_authority"
SUBSTITUTION = "substitution"
SIGNED_COPIES = "signed_copies"


class SignatureAuthority:
    """Who may sign a kind now, beyond holding its sign permission. The default adds no
    rule: whoever holds the permission signs in their own right."""

    def grant(self, *, user, kind: str) -> Any | None:
        """Called at signing, inside the transaction and before anything is written.
        None: the signer signs in their own right; otherwise what allows them to sign on
        someone's behalf (kept on the issued document). Raises an ActionForbidden
        (nothing saved) when they may not sign now."""
        return None

    def keep(self, *, document, grant: Any) -> None:
        """Inside the issuing transaction: keep on the issued document what allowed it."""

    def audit_data(self, grant: Any) -> dict:
        """What the 'issued' audit entry records about the grant."""
        return {}

    def notice(self, user, document) -> dict:
        """Context for the sign page: `signature_notice_template` (shown while the task
        is open) and `signature_blocked` (the signer may only return the document)."""
        return {"signature_notice_template": None, "signature_blocked": False}


class Substitution:
    """Who acts for whom on a day. The default: nobody substitutes, everyone acts for
    themselves."""

    def covered_people(self, user) -> Any:
        """The ids of the people whose taken tasks `user` holds today, usable as the
        right-hand side of `owner_id__in` without a query of its own."""
        return []

    def substituting(self, user, person_id: int | None):
        """The person on leave for whom `user` holds what `person_id` has taken, or None."""
        return None

    def acting_map(self, people: Iterable) -> dict[int, Any]:
        """For each of `people` (by pk), who receives what is addressed to them today."""
        return {p.pk: p for p in people}

    def acting_for(self, person):
        """Who receives what is addressed to `person` today."""
        return self.acting_map([person])[person.pk]


class SignedCopies:
    """The signed PDF of a document: made when the signer signs, completed (number,
    date, the Committee's seal) when the Office issues. The default keeps no PDF, so the
    engine runs without the app that signs (issuance)."""

    def sign(self, *, document, revision, user) -> None:
        """Inside the signing transaction, after the signer's fields are set: make and
        sign the PDF of `revision`. Raises an InvalidInput (nothing saved) when the
        signature cannot be made."""

    def issue(self, *, document, user, recipient_unit_ids) -> None:
        """Inside the issuing transaction, once number and date are set: fill them into
        the signed PDF, apply the Committee's signature and check both signatures.
        Raises an InvalidInput (nothing saved) when the issued PDF does not verify or a
        recipient is unknown."""

    def dispatch(self, *, document, user, recipient_unit_ids) -> None:
        """Inside the issuing transaction, once the issue is on record: send the issued
        PDF to the recipient units."""

    def stored_pdf(self, document) -> bytes | None:
        """The PDF as it stands: the issued copy, else the signer's signed one; None when
        none is kept (then the page offers the unsigned preview)."""
        return None

    def panel(self, user, document) -> dict:
        """Context for the document page's signature panel (template and its data)."""
        return {}


_DEFAULTS: dict[str, Any] = {
    SIGNATURE_AUTHORITY: SignatureAuthority(),
    SUBSTITUTION: Substitution(),
    SIGNED_COPIES: SignedCopies(),
}
_registered: dict[str, Any] = {}


def register(hook: str, implementation: Any) -> None:
    if hook not in _DEFAULTS:
        raise ImproperlyConfigured(f"Unknown workflow hook {hook!r}.")
    current = _registered.get(hook)
    if current is not None and current is not implementation:
        raise ImproperlyConfigured(
            f"The workflow hook {hook!r} is already provided by {current!r}; "
            "each hook takes one implementation."
        )
    _registered[hook] = implementation


def get(hook: str) -> Any:
    return _registered.get(hook, _DEFAULTS[hook])


def signature_authority() -> SignatureAuthority:
    return get(SIGNATURE_AUTHORITY)


def substitution() -> Substitution:
    return get(SUBSTITUTION)


def signed_copies() -> SignedCopies:
    return get(SIGNED_COPIES)


@contextmanager
def defaults_only() -> Iterator[None]:
    """Run with the neutral defaults alone (tests: the engine must work without the
    apps that plug into it), then put the registered implementations back."""
    saved = dict(_registered)
    _registered.clear()
    try:
        yield
    finally:
        _registered.clear()
        _registered.update(saved)


def held_by(pks: Iterable[int], final: dict[int, Any]) -> list:
    """The people of `pks`, each replaced by `final[pk]` (who acts for them), without
    duplicates, in the given order."""
    seen: set[int] = set()
    result = []
    for pk in pks:
        holder = final[pk]
        if holder.pk not in seen:
            seen.add(holder.pk)
            result.append(holder)
    return result
