from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import TransboundaryArea


class TransboundaryAreaAdminForm(forms.ModelForm):
    class Meta:
        model = TransboundaryArea
        fields = ["name", "slug", "description", "protected_areas"]

    def clean_protected_areas(self):
        areas = self.cleaned_data["protected_areas"]
        if len({area.country_id for area in areas}) < 2:
            raise forms.ValidationError(
                _("A transboundary area joins protected areas in at least two countries.")
            )
        return areas
