"""The portal's URLs: pages under i18n patterns (default language unprefixed, others /<code>/)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from apap_portal import markdown_preview, media, signin, sitemaps, views
from knowledge import feeds
from opendata import views as open_data

handler400 = "apap_portal.errors.bad_request"
handler403 = "apap_portal.errors.permission_denied"
handler404 = "apap_portal.errors.page_not_found"
handler500 = "apap_portal.errors.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("markdown-preview/", markdown_preview.preview, name="markdown_preview"),
    # The DCAT catalogue: one address in every language (its text is English).
    path("data/catalog.jsonld", open_data.catalogue, name="data_catalogue"),
    # The JSON API: one address in every language (?lang= or Accept-Language choose).
    path("api/v1/", include("api.urls")),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.section,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
]

urlpatterns += i18n_patterns(
    # Each feed in each language: unprefixed in the default one, /<code>/feeds/… in the others.
    path("feeds/stories/", feeds.StoryFeed(), name="feed_stories"),
    path("feeds/stories/atom/", feeds.StoryAtomFeed(), name="feed_stories_atom"),
    path("feeds/best-practices/", feeds.BestPracticeFeed(), name="feed_best_practices"),
    path(
        "feeds/best-practices/atom/",
        feeds.BestPracticeAtomFeed(),
        name="feed_best_practices_atom",
    ),
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accounts/login/", signin.LimitedLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-change/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/account_password_change.html"
        ),
        name="password_change",
    ),
    path(
        "accounts/password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/account_password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "accounts/password-reset/",
        signin.LimitedPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("members.urls")),
    path("", include("activities.urls")),
    # Before the library's URLs: /knowledge/best-practices/submit/ is not a slug.
    path("", include("knowledge.submission_urls")),
    path("", include("knowledge.urls")),
    path("", include("api.token_urls")),
    path("", include("search.urls")),
    path("", include("in_numbers.urls")),
    path("", include("countries.urls")),
    path("", include("calls.urls")),
    path("", include("opendata.urls")),
    path("", include("activities.report_urls")),
    path("", include("subscriptions.urls")),
    prefix_default_language=False,
)

# Every upload, through the check of the record it belongs to (apap_portal/media.py).
media_prefix = settings.MEDIA_URL.lstrip("/")
urlpatterns += [path(f"{media_prefix}<path:path>", media.serve, name="media")]
