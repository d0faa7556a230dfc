"""Helpers of the subscription tests: delivering what the outbox queued, reading links."""

import re
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Send what the code inside queued through the outbox (it leaves on commit)."""

    @contextmanager
    def delivering():
        with django_capture_on_commit_callbacks(execute=True):
            yield

    return delivering


def link_in(text: str, path_part: str) -> str:
    """The path of the first link in `text` whose address holds `path_part`."""
    for url in re.findall(r"https?://\S+", text):
        url = url.rstrip(">").rstrip(".")
        if path_part in url:
            return urlsplit(url).path
    raise AssertionError(f"No link with {path_part!r} in:\n{text}")
