"""The library's public pages (filled in by the knowledge pages work)."""

app_name = "knowledge"

urlpatterns = []
