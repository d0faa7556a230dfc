"""The knowledge library: best practices, resources and stories (and the GBF targets they serve)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class GbfTarget(models.Model):
    """One of the 23 targets of the Kunming-Montreal Global Biodiversity Framework."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    short_title = models.CharField(_("short title"), max_length=255)

    class Meta:
        ordering = ["number"]
        verbose_name = _("GBF target")
        verbose_name_plural = _("GBF targets")

    def __str__(self) -> str:
        return f"{self.number}. {self.short_title}"

    def get_absolute_url(self) -> str:
        return f"{reverse('activities:activity_list')}?gbf_target={self.number}"
