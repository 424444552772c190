import unicodedata

from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """Axes calls this instead of its plain-text page, so a locked-out person sees the
    product's sign-in page saying why and for how long, in their language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/login.html",
        {
            "locked_out": True,
            "lockout_minutes": minutes,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


# No account name is longer (Person.username); axes stores the name in 255 characters.
USERNAME_MAX = 150


def attempted_username(request, credentials=None) -> str:
    """The user name a sign-in attempt is counted and locked under. Axes reads it raw
    from the post, so a 5,000-character name overflowed its column on PostgreSQL (500).
    Cut to the longest real name: a longer one cannot belong to an account anyway."""
    name = (credentials or {}).get("username") if credentials else None
    if name is None:
        name = request.POST.get("username", "") if request is not None else ""
    return unicodedata.normalize("NFC", str(name)).replace("\x00", "")[:USERNAME_MAX]
