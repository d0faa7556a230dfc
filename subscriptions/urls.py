"""Following the portal by email: /subscribe/ and its signed links, /my/subscriptions/."""

from django.urls import path

from subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/sent/", views.sent, name="sent"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    path("subscribe/manage/<str:token>/", views.manage, name="manage"),
    path("subscribe/manage/<str:token>/delete/", views.delete, name="delete"),
    path("subscribe/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("my/subscriptions/", views.mine, name="mine"),
    path("my/subscriptions/follow/", views.follow_search, name="follow_search"),
    path("my/subscriptions/<int:pk>/stop/", views.stop, name="stop"),
]
