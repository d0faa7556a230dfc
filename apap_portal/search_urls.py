"""The site-wide search page."""

urlpatterns = []
