"""One person's data across the portal, for the secretariat to export or erase.

Each app that stores something about a person says so in a `privacy` module of its own
(`members/privacy.py`, `subscriptions/privacy.py`, …) with two functions of an email
address: `personal_data(email)`, what it holds (JSON-ready; empty when nothing), and
`erase(email)`, which deletes or anonymises it and returns how many records it changed.
This module finds those modules (as the admin finds `admin.py`) and runs them all: a new
app that stores personal data is covered by adding its module, and the privacy page
(templates/privacy.html) says what each holds and why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from typing import Any, Protocol

from django.apps import apps
from django.db import transaction

logger = logging.getLogger("apap_portal.personal_data")


class Holder(Protocol):
    def personal_data(self, email: str) -> Any: ...

    def erase(self, email: str) -> int: ...


@dataclass(frozen=True)
class App:
    label: str
    verbose_name: str
    holder: Holder


def holders() -> list[App]:
    """The apps with a `privacy` module, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.privacy"
        if find_spec(name) is None:
            continue
        found.append(App(config.label, str(config.verbose_name), import_module(name)))
    return found


def normalised(email: str) -> str:
    return email.strip()


def export(email: str) -> dict[str, Any]:
    """Everything the portal holds about `email`, by app (apps holding nothing left out)."""
    email = normalised(email)
    data = {}
    for app in holders():
        held = app.holder.personal_data(email)
        if held:
            data[app.label] = held
    return data


def erase(email: str, *, by: str) -> dict[str, int]:
    """Erase `email`'s data everywhere, in one transaction; how many records, by app."""
    email = normalised(email)
    with transaction.atomic():
        # The apps above first: they find their records by the account's address, which
        # members (the lowest layer) erases last.
        erased = {app.label: app.holder.erase(email) for app in reversed(holders())}
    logger.info("Personal data erased by %s: %s records.", by, sum(erased.values()))
    return {label: count for label, count in erased.items() if count}
