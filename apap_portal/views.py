"""Site-wide pages: home, about and the health check."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from activities.models import Activity, WorkArea
from apap_portal.caching import cached
from apap_portal.replicas.middleware import PIN_COOKIE
from apap_portal.replicas.router import replica_aliases
from apap_portal.translations.languages import default_language, other_site_languages
from calls.models import Call
from knowledge.models import BestPractice, HomeHero, Story
from members.models import Organization, ProtectedArea, SiteType, audience_of

logger = logging.getLogger(__name__)


def partnership_counters(user) -> dict[str, int]:
    """The headline figures, counting only what the user may see.

    Counting 50,000 protected areas and 100,000 best practices costs more than the rest
    of the home page: the figures are cached per audience until what they count changes
    (a new member, a published practice shows on the next visit).
    """
    return cached(("home-counters", audience_of(user)), lambda: count_partnership(user))


def count_partnership(user) -> dict[str, int]:
    """The headline figures, counted afresh (three queries); OECMs apart from protected areas."""
    active_members = Organization.objects.members().filter(membership__status="active")
    return {
        **active_members.aggregate(
            member_count=Count("pk", distinct=True),
            country_count=Count("country", distinct=True),
        ),
        **ProtectedArea.objects.listed_for(user).aggregate(
            protected_area_count=Count("pk", filter=Q(site_type=SiteType.PROTECTED_AREA)),
            oecm_count=Count("pk", filter=Q(site_type=SiteType.OECM)),
        ),
        "best_practice_count": BestPractice.objects.listed_for(user).count(),
    }


@require_GET
def home(request):
    user = request.user
    context = {
        **partnership_counters(user),
        "work_areas": WorkArea.objects.with_focal_activities(),
        "latest_stories": Story.objects.listed_for(user).for_list()[:3],
        "upcoming_activities": Activity.objects.listed_for(user)
        .for_list()
        .next_up(timezone.localdate(), count=4),
        # The same for everyone, and changed only in the admin: cached until it is.
        "hero": cached(("home-hero",), HomeHero.objects.current),
        "featured_best_practices": BestPractice.objects.listed_for(user)
        .featured()
        .for_list(user)[:3],
        "nearest_call": Call.objects.listed_for(user).nearest_deadline(timezone.now()),
    }
    return render(request, "home.html", context)


@require_GET
def about(request):
    memberships = (
        Organization.objects.members()
        .values("membership__category")
        .annotate(total=Count("id"))
        .order_by()
    )
    totals = {row["membership__category"]: row["total"] for row in memberships}
    context = {"membership_totals": totals, "work_areas": WorkArea.objects.with_focal_activities()}
    return render(request, "about.html", context)


@require_GET
def privacy(request):
    """What the portal stores about its visitors and users, from the settings that decide it.

    The statement names the cookies, the sign-in throttling and the session length as
    they are configured, so that it stays true when they change.
    """
    context = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "session_days": settings.SESSION_COOKIE_AGE // (24 * 60 * 60),
        "sign_in_failures": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "map_tile_host": urlsplit(settings.MAP_TILE_URL).hostname,
        "outbox_keep_days": settings.OUTBOX_KEEP_DAYS,
        "messages_cookie": CookieStorage.cookie_name,
        # Only where read replicas are configured is a visitor who wrote pinned to the primary.
        "replica_pin_cookie": PIN_COOKIE if replica_aliases() else None,
        "replica_pin_seconds": settings.DATABASE_REPLICA_PIN_SECONDS,
    }
    return render(request, "privacy.html", context)


@require_GET
def accessibility(request):
    """The accessibility statement: the standard aimed at, how it is checked, whom to tell."""
    return render(request, "accessibility.html")


@require_GET
def robots_txt(request):
    """Crawlers may read every public page; private areas are named and the sitemap given."""
    sitemap = request.build_absolute_uri(reverse("sitemap_index"))
    private = ["/my/", "/reports/", "/search/"]
    prefixes = ["", *(f"/{code}" for code in other_site_languages(default_language()))]
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        *(f"Disallow: {prefix}{path}" for prefix in prefixes for path in private),
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@never_cache
@transaction.non_atomic_requests
def healthz(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # One line: a load balancer probes every few seconds while the database is down.
        logger.error("Health check: the database does not answer (%s)", str(error).strip()[:200])
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
