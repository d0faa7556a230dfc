from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("Calls to members")

    def ready(self) -> None:
        # The activities calendar lists the calls' deadlines beside the activities.
        from activities.calendar import add_event_source
        from calls.calendar import deadline_events

        add_event_source(deadline_events)
