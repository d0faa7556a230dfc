"""Member submission of best practices and the member dashboard."""

app_name = "submissions"

urlpatterns = []
