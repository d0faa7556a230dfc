"""RSS and Atom feeds of the library's public items, with Django's syndication framework.

Each feed exists in every site language, at the URL of that language (/feeds/stories/ in
the default one, /<code>/feeds/stories/ in the others): it says its language, shows each
item in it where a published translation exists (`.translated()`), and links to the pages
in that language.
"""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from apap_portal.markdown import render_markdown
from knowledge.models import BestPractice, Story

FEED_SIZE = 30


class LibraryFeed(Feed):
    """A feed in the language of its URL (`Feed.language` is then the active language)."""

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class StoryFeed(LibraryFeed):
    title = _("APAP stories")
    link = reverse_lazy("knowledge:story_list")
    description = _("News, features and statements of the Asia Protected Areas Partnership.")

    def items(self):
        return Story.objects.public().defer("body").translated()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_categories(self, item):
        return [item.get_kind_display()]


class BestPracticeFeed(LibraryFeed):
    title = _("APAP best practices")
    link = reverse_lazy("knowledge:bestpractice_list")
    description = _("Solutions that worked in Asia's protected areas, shared by APAP members.")

    def items(self):
        public = BestPractice.objects.public()
        listed = public.for_list(AnonymousUser()).translated()
        return listed.order_by("-published_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return render_markdown(item.summary)

    def item_author_name(self, item):
        return item.organization.name if item.organization else None


class StoryAtomFeed(StoryFeed):
    feed_type = Atom1Feed
    subtitle = StoryFeed.description


class BestPracticeAtomFeed(BestPracticeFeed):
    feed_type = Atom1Feed
    subtitle = BestPracticeFeed.description
