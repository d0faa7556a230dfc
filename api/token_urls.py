"""A member's API tokens (in the root URLconf's i18n patterns, beside /my/)."""

from django.urls import path

from api import token_views

app_name = "api_tokens"

urlpatterns = [
    path("my/api-tokens/", token_views.token_list, name="list"),
    path("my/api-tokens/<int:pk>/revoke/", token_views.token_revoke, name="revoke"),
]
