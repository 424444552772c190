from django import forms
from django.contrib import admin

from workflows import kinds
from workflows.forms import ModelForm

from .models import StepDuration


class StepDurationForm(ModelForm):
    """The kind as a choice of the registered kinds, never a typed code."""

    class Meta:
        model = StepDuration
        fields = ("kind", "step", "working_days")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=StepDuration._meta.get_field("kind").verbose_name, choices=kinds.choices()
        )


@admin.register(StepDuration)
class StepDurationAdmin(admin.ModelAdmin):
    form = StepDurationForm
    list_display = ("kind_label", "step", "working_days")
    list_filter = ("step",)

    @admin.display(description=StepDuration._meta.get_field("kind").verbose_name)
    def kind_label(self, obj):
        try:
            return kinds.get(obj.kind).label
        except KeyError:
            return obj.kind
