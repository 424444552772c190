"""Numbers from the Office's register: 01, 02, … per register, restarting each year."""

from django.db import IntegrityError, transaction

from .models import RegisterCounter


def take_next_number(*, register: str, year: int) -> int:
    """Must run inside the issuing transaction: the counter row stays locked until it
    commits, so two issues at the same moment get consecutive numbers."""
    counter = RegisterCounter.objects.select_for_update().filter(register=register, year=year)
    row = counter.first()
    if row is None:
        try:
            with transaction.atomic():
                RegisterCounter.objects.create(register=register, year=year, last_number=0)
        except IntegrityError:
            pass  # another signature created it first; lock theirs below
        row = counter.get()
    row.last_number += 1
    row.save(update_fields=["last_number"])
    return row.last_number


def peek_next_number(*, register: str, year: int) -> int:
    """The number the next issue would take, for the Office's page (taken only by
    take_next_number, which may give a later one if a colleague issues first)."""
    last = (
        RegisterCounter.objects.filter(register=register, year=year)
        .values_list("last_number", flat=True)
        .first()
    )
    return (last or 0) + 1


def format_number(*, number: int, register: str) -> str:
    return f"{number:02d}/{register}-UBDT"
