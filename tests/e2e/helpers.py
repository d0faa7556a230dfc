"""What the browser tests share: sizes, marks, axe-core and the Nu HTML Checker."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}

# Every browser test module starts with `pytestmark = BROWSER_TEST`: marked `browser`
# (`pytest -m "not browser"` leaves them out), on a transactional database that the
# reference data of the migrations is restored into after each test.
BROWSER_TEST = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Who looks at a page.
VISITOR, MEMBER, STAFF = "visitor", "member", "staff"

# axe-core's rules with these impacts fail a page; "minor" and "moderate" ones do not.
FAILING_IMPACTS = ("serious", "critical")

# The pins of the protected-area maps are left out of the target-size rule (WCAG 2.2,
# 2.5.8), under its "essential" exception: a pin's place is the information, and pins
# of neighbouring parks overlap at the zoom that shows them all. Every pin has an
# equivalent link too: the list under the map, or the home map's link to that list.
# Everything else about the pins (their names, alt text, keyboard focus) is checked.
AXE_CONFIGURATION = """() => axe.configure({rules: [
    {id: "target-size", selector: "*:not(.leaflet-marker-icon)"},
]})"""


def axe_violations(page, axe_source: str) -> list[dict]:
    """The serious and critical axe-core violations of the page as it is now.

    axe is evaluated through the DevTools protocol, which the page's content security
    policy does not apply to: the page keeps its real policy while it is checked.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
        page.evaluate(AXE_CONFIGURATION)
    results = page.evaluate(
        """async () => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                "wcag22aa", "best-practice"]},
                resultTypes: ["violations"],
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "),
                                          summary: n.failureSummary})),
            }));
        }"""
    )
    return [violation for violation in results if violation["impact"] in FAILING_IMPACTS]


# The words of the text under `selector`, each measured where it is drawn: those drawn on
# two lines or more were broken between two of their letters. A "word" ends at a space,
# after a hyphen or a dash, and after a slash; a <wbr> ends its text node, so a web
# address broken at its punctuation is several words here, none of them broken.
BROKEN_WORDS_SCRIPT = """(selector) => {
    const broken = [];
    const range = document.createRange();
    const words = /[^\\s\\-\u2010-\u2014\\/]+[\\-\u2010-\u2014\\/]*/g;
    for (const root of document.querySelectorAll(selector)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const element = node.parentElement;
            if (!element || !element.checkVisibility()) continue;
            for (const match of node.data.matchAll(words)) {
                const word = match[0];
                if (word.length < 2) continue;
                range.setStart(node, match.index);
                range.setEnd(node, match.index + word.length);
                const tops = [...range.getClientRects()]
                    .filter(rect => rect.width > 0)
                    .map(rect => rect.top);
                if (tops.length > 1 && Math.max(...tops) - Math.min(...tops) > 4) {
                    broken.push(word);
                }
            }
        }
    }
    return broken;
}"""


def broken_words(page, selector: str) -> list[str]:
    """The words under `selector` that the page draws broken across two lines or more."""
    return page.evaluate(BROKEN_WORDS_SCRIPT, selector)


def sideways_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: it does not scroll sideways)."""
    return page.evaluate("Math.max(0, document.scrollingElement.scrollWidth - window.innerWidth)")


def describe_violations(violations_by_page: dict[str, list[dict]]) -> str:
    lines = []
    for name, violations in violations_by_page.items():
        for violation in violations:
            lines.append(f"{name}: [{violation['impact']}] {violation['id']}: {violation['help']}")
            lines.extend(
                f"    {node['target']}: {node['summary'].splitlines()[-1].strip()}"
                for node in violation["nodes"][:5]
            )
    return "\n".join(lines)


def html_errors(documents: dict[str, str], vnu_jar: Path) -> dict[str, list[str]]:
    """The Nu HTML Checker's errors for each document, all checked in one Java run."""
    with tempfile.TemporaryDirectory(prefix="apap-vnu-") as folder:
        names = {}  # file name: the document's name
        for number, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"page-{number:03d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        completed = subprocess.run(
            ["java", "-jar", str(vnu_jar), "--errors-only", "--format", "json",
             *(str(Path(folder) / file_name) for file_name in names)],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )  # fmt: skip
    # vnu writes its JSON report on stderr, and exits with 1 when it found errors.
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"vnu.jar failed: {completed.stderr[-2000:]}")
    report = json.loads(completed.stderr or completed.stdout)
    errors: dict[str, list[str]] = {}
    for message in report["messages"]:
        name = names.get(message.get("url", "").rsplit("/", 1)[-1], message.get("url", "?"))
        where = f"line {message['lastLine']}" if "lastLine" in message else "document"
        extract = " ".join(message.get("extract", "").split())
        errors.setdefault(name, []).append(f"{where}: {message['message']} [{extract}]")
    return errors


@dataclass(frozen=True)
class PageType:
    """One kind of page of the portal, as a given persona sees it."""

    name: str
    url: str
    persona: str = VISITOR
    status: int = 200


def load_demo_site() -> None:
    """The demo data of `make run`: real records, as a visitor of the portal sees them."""
    call_command("load_demo", verbosity=0)


def page_types() -> list[PageType]:
    """Every kind of page, with a real record of the demo data (load it first).

    /in-numbers/ is not listed here: see `in_numbers_page`.
    """
    from activities.models import Activity
    from calls.models import Call
    from knowledge.models import BestPractice, Resource, Story
    from members.models import Organization, ProtectedArea

    visitor = AnonymousUser()

    def first(queryset):
        found = queryset.order_by("pk").first()
        assert found is not None, f"the demo data has no {queryset.model.__name__}"
        return found.get_absolute_url()

    pages = [
        PageType("home", reverse("home")),
        PageType("about", reverse("about")),
        PageType("work area", reverse("activities:workarea_detail", args=["knowledge-capacity"])),
        PageType("members list", reverse("members:organization_list")),
        PageType("member detail", first(Organization.objects.members())),
        PageType("protected areas list", reverse("members:protectedarea_list")),
        PageType(
            "protected area detail",
            first(ProtectedArea.objects.visible_to(visitor).filter(latitude__isnull=False)),
        ),
        PageType("transboundary areas", reverse("members:transboundary_list")),
        PageType("countries list", reverse("countries:list")),
        PageType("country profile", reverse("countries:detail", kwargs={"iso3": "vnm"})),
        PageType("activities list", reverse("activities:activity_list")),
        PageType("activity detail", first(Activity.objects.visible_to(visitor))),
        PageType("knowledge landing", reverse("knowledge:index")),
        PageType("best-practice list", reverse("knowledge:bestpractice_list")),
        PageType(
            "best-practice detail",
            first(BestPractice.objects.visible_to(visitor).published().filter(is_featured=True)),
        ),
        PageType("resource list", reverse("knowledge:resource_list")),
        PageType("resource detail", first(Resource.objects.visible_to(visitor))),
        PageType("story list", reverse("knowledge:story_list")),
        PageType("story detail", first(Story.objects.visible_to(visitor).published())),
        PageType("open data", reverse("opendata:index")),
        PageType("search page", reverse("search:index")),
        PageType("search results", reverse("search:index") + "?q=tourism"),
        PageType("empty search", reverse("search:index") + "?q=zzyzx+quokka"),
        PageType("login", reverse("login")),
        PageType("404 page", "/no-such-page/", status=404),
        PageType("home in Vietnamese", "/vi/"),
        PageType("calls list", reverse("calls:call_list")),
        PageType(
            "call detail",
            first(Call.objects.published().open(timezone.now()).filter(eligibility="all")),
            persona=MEMBER,
        ),
        PageType("subscribe", reverse("subscriptions:subscribe")),
        PageType("account request", reverse("members:account_request")),
        PageType("member dashboard", reverse("submissions:dashboard"), persona=MEMBER),
        PageType("member subscriptions", reverse("subscriptions:mine"), persona=MEMBER),
        PageType("organization profile form", reverse("members:profile_edit"), persona=MEMBER),
        PageType("submission form", reverse("submissions:bestpractice_submit"), persona=MEMBER),
        PageType("cooperation report", reverse("reports:cooperation"), persona=STAFF),
        PageType("funding pipeline", reverse("reports:funding_pipeline"), persona=STAFF),
        PageType("admin home", reverse("admin:index"), persona=STAFF),
        PageType("review queue", reverse("admin:knowledge_bestpractice_review"), persona=STAFF),
    ]
    return pages


def in_numbers_url() -> str | None:
    """/in-numbers/ when the portal has it (it was built alongside these tests)."""
    try:
        return reverse("in_numbers:index")
    except NoReverseMatch:
        return None


def in_numbers_page() -> PageType:
    """The partnership in figures, checked by tests of its own: they skip until it exists."""
    url = in_numbers_url()
    if url is None:
        pytest.skip("/in-numbers/ is not in the portal's URLs yet (the partnership in figures)")
    return PageType("in numbers", url)


def wait_until(locator, predicate: str, timeout: float = 10) -> None:
    """Wait until `predicate` (a JavaScript function of the element) is true of `locator`.

    Not `page.wait_for_function`: it polls by `eval` inside the page, which the portal's
    content security policy refuses ("'unsafe-eval' is not an allowed source of
    script"), so it fails whenever the condition is not already true at its first look.
    `locator.evaluate` runs through the DevTools protocol, which the policy does not
    govern.
    """
    deadline = time.monotonic() + timeout
    while not locator.evaluate(predicate):
        assert time.monotonic() < deadline, f"still not true after {timeout} s: {predicate}"
        time.sleep(0.05)


def image_loaded(image) -> None:
    """Wait until an <img> has loaded its picture (whichever size the browser chose)."""
    wait_until(image, "image => image.complete && image.naturalWidth > 0")


def wait_for_the_map(page) -> int | None:
    """On a page with the protected-area map, wait until its markers are drawn: how many.

    protected-area-map.js writes data-marker-count once it has drawn the GeoJSON, or
    data-error when it could not load it.
    """
    if not page.locator("#protected-area-map[data-geojson-url]").count():
        return None
    # A map far down the page (home) loads its scripts when it comes near the screen.
    page.locator("#protected-area-map").scroll_into_view_if_needed()
    drawn = "#protected-area-map[data-marker-count], #protected-area-map[data-error]"
    page.wait_for_selector(drawn, state="attached")
    error = page.get_attribute("#protected-area-map", "data-error")
    assert error is None, f"the map of {page.url} did not load its markers: {error}"
    return int(page.get_attribute("#protected-area-map", "data-marker-count"))


def demo_account(persona: str):
    """The demo data's account for a persona: its member, or its secretariat staff."""
    from demo.members import DEMO_MEMBER_USERNAME, DEMO_STAFF_USERNAME
    from members.models import User

    username = {MEMBER: DEMO_MEMBER_USERNAME, STAFF: DEMO_STAFF_USERNAME}[persona]
    return User.objects.get(username=username)
