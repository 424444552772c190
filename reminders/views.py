from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import PreferenceForm


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Each person's own choice of mail; nobody sets another's here (the admin can)."""
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_set(
                person=request.user, digest_only=form.cleaned_data["digest_only"]
            )
            messages.success(request, _("Your notification settings are saved."))
            return redirect("reminders:settings")
    else:
        form = PreferenceForm(initial={"digest_only": selectors.digest_only(request.user)})
    context = {"form": form, "config": selectors.reminder_settings()}
    return render(request, "reminders/settings.html", context)
