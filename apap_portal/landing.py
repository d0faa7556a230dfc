"""Where each person starts after signing in: at their work, not on the public home page."""

from django.urls import reverse

# The review buttons need to change best practices (knowledge.admin).
REVIEW_PERMISSION = "knowledge.change_bestpractice"


def landing_url(user) -> str:
    """The review queue for staff who review, the admin home for other staff, and
    the member's dashboard (/my/) for members."""
    if user.is_staff:
        if user.has_perm(REVIEW_PERMISSION):
            return reverse("admin:knowledge_bestpractice_review")
        return reverse("admin:index")
    return reverse("submissions:dashboard")
