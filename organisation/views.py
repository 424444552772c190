from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .selectors import capability_labels, role_labels


def home(request):
    user = request.user
    return render(
        request,
        "organisation/home.html",
        {"roles": role_labels(user), "capabilities": capability_labels(user)},
    )


@login_not_required
@require_safe
def favicon(request):
    # Resolved per request: with hashed static names the manifest exists only after
    # collectstatic, which must not be needed to import the URLconf.
    return redirect(static("img/favicon.svg"), permanent=True)


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """For the load balancer and monitoring: 200 only when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy, not a 500 page
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
