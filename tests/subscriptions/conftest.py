"""Helpers of the subscription tests: reading the links of the emails."""

import re
from urllib.parse import urlsplit


def link_in(text: str, path_part: str) -> str:
    """The path of the first link in `text` whose address holds `path_part`."""
    for url in re.findall(r"https?://\S+", text):
        url = url.rstrip(">").rstrip(".")
        if path_part in url:
            return urlsplit(url).path
    raise AssertionError(f"No link with {path_part!r} in:\n{text}")
