"""Demo data of the knowledge library: best practices, resources and stories drawn from
the real places, events and topics listed in docs/demo-data.md.

`load_knowledge_demo()` can run any number of times, like the members and activities
loaders whose helper it uses: each record is found by its natural key (slug; a building
block by its best practice and order) and written only when it is missing or differs
from the texts below, so a second run writes nothing. Uploaded files (cover images,
resource files, story images) are not part of the demo and are left as staff set them.

The best practices are written freshly about real places and the topics of APAP's
workshops and members' wishes. They describe approaches, qualitatively: no figures, no
outcomes that the facts do not give, no named people (contributors stay blank). Dates of
publication are the demo's own, fixed so that a second run changes nothing; dates of
stories follow the events they report where the sources give them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TextIO

from django.core.management.base import CommandError
from django.db import transaction

from activities.models import Activity, WorkArea
from demo.activities import ADVOCACY, KNOWLEDGE, TRANSBOUNDARY
from demo.members import (
    DEMO_MEMBER_USERNAME,
    DNP_THAILAND,
    IUCN_ARO,
    KNPS,
    MOAF_BHUTAN,
    MOEJ,
    VNFOREST,
    DemoLoader,
)
from knowledge.models import (
    BestPractice,
    BuildingBlock,
    Challenge,
    Ecosystem,
    GbfTarget,
    Language,
    Resource,
    Story,
    Theme,
)
from members.models import Country, Organization, ProtectedArea, User, Visibility

PUBLISHED = BestPractice.Status.PUBLISHED
PUBLIC = Visibility.PUBLIC
MEMBERS = Visibility.MEMBERS

# Activities loaded by the activities loader (their slugs: title and year).
FOURTH_STEERING_COMMITTEE = "4th-steering-committee-meeting-2018"
ISLAMABAD_SIDE_EVENT = "apap-side-event-at-the-7th-iucn-asia-regional-conservation-forum-2019"
DEHRADUN = (
    "technical-and-steering-committee-meetings-moving-towards-implementation-of-target-3-2023"
)

APAP = "Asia Protected Areas Partnership"
APAP_WEBSITE = "https://www.asiaprotectedareaspartnership.org/"
# The IUCN publications portal: the guidelines' own page address is not verified, and a
# resource needs a file or a link.
IUCN_PUBLICATIONS = "https://www.iucn.org/resources/publications"


def at(year: int, month: int, day: int) -> datetime:
    """A fixed, timezone-aware moment on that day: 03:00 UTC, mid-morning in Asia."""
    return datetime(year, month, day, 3, 0, tzinfo=UTC)


# Best practices. "protected_area" and "organization" are slugs of the members demo;
# "countries" are ISO3 codes; "themes", "ecosystems" and "challenges" are slugs of the
# taxonomies of knowledge/reference.py; "gbf_targets" are target numbers. Texts are
# Markdown.
BEST_PRACTICES: list[dict[str, Any]] = [
    {
        "slug": "collaborative-management-of-the-shiretoko-world-heritage-site",
        "title": "Collaborative management of the Shiretoko World Heritage Site",
        "summary": (
            "In Shiretoko, on Hokkaido, national and local authorities, fishers and "
            "scientists share in managing one site that spans land and sea. Collaborative "
            "management, the theme of APAP's first technical workshop, lets each of them "
            "bring what they know and what they are responsible for."
        ),
        "context": (
            "Shiretoko covers the Shiretoko Peninsula in north-eastern Hokkaido and the "
            "surrounding waters of the Sea of Okhotsk, where seasonal sea ice links marine "
            "and land ecosystems, from salmon to brown bears and sea eagles.\n\n"
            "Responsibility is shared: national agencies, the prefecture and the towns of "
            "the peninsula each manage a part of the site, and local fisheries depend on "
            "its waters."
        ),
        "challenge_description": (
            "No single authority can manage a place where land, sea, wildlife and "
            "livelihoods meet. Rules on fishing, visitors or bears decided by one body "
            "alone risk being ignored by the others, or by the people they affect."
        ),
        "impacts": (
            "Decisions are prepared together by the bodies and the people they affect, "
            "with scientific advice at hand. Rules that local users helped to shape are "
            "easier to keep than rules imposed on them."
        ),
        "lessons_learned": (
            "- Give every body that holds a piece of responsibility a seat, and agree on "
            "what each decides alone and what is decided together.\n"
            "- Let scientists advise openly, and make their advice available to all.\n"
            "- Meet regularly, not only when there is a crisis."
        ),
        "protected_area": "shiretoko",
        "countries": ["JPN"],
        "organization": MOEJ,
        "themes": [
            "collaborative-management-and-governance",
            "community-engagement-and-livelihoods",
        ],
        "ecosystems": ["marine", "coastal", "temperate-forest"],
        "challenges": ["weak-governance", "land-use-conflicts"],
        "gbf_targets": [22],
        "published_at": at(2019, 3, 4),
        "building_blocks": [
            {
                "title": "A standing committee of authorities and local stakeholders",
                "description": (
                    "National and prefectural authorities, the towns of the peninsula and "
                    "local organisations, including fisheries and tourism, meet in one "
                    "committee. Plans are discussed there before they are adopted, and "
                    "conflicts are raised early."
                ),
                "enabling_factors": (
                    "Clear terms of reference, and authorities willing to discuss their "
                    "plans before adopting them."
                ),
                "lessons_learned": (
                    "The committee works when its members carry its decisions back to "
                    "their own organisations."
                ),
            },
            {
                "title": "Scientific advice for managers",
                "description": (
                    "Scientists from several disciplines advise the managers on monitoring, "
                    "on the state of the ecosystem and on the measures under discussion, "
                    "such as how visitors and brown bears can share the peninsula."
                ),
                "enabling_factors": "Long-term monitoring, and researchers who know the site.",
                "lessons_learned": "Advice is most useful when managers ask precise questions.",
            },
            {
                "title": "Fishers' own rules as part of marine management",
                "description": (
                    "The marine part of the site relies largely on the rules that local "
                    "fisheries cooperatives already keep, built into the site's management, "
                    "rather than on new prohibitions."
                ),
                "enabling_factors": (
                    "Fisheries cooperatives with experience of managing their own catch."
                ),
                "lessons_learned": (
                    "Recognising the rules that resource users already keep can protect a "
                    "marine area sooner, and with more support, than creating new ones."
                ),
            },
        ],
    },
    {
        "slug": "living-with-wildlife-around-jigme-dorji-national-park",
        "title": "Living with wildlife around Jigme Dorji National Park",
        "summary": (
            "Farmers and herders in Jigme Dorji National Park lose crops and livestock to "
            "wild animals. The park and its communities combine protection of fields, "
            "better herding and community-managed support after losses. Human–wildlife "
            "conflict was the theme of APAP's technical workshop in Thimphu in 2017."
        ),
        "context": (
            "Jigme Dorji National Park reaches from forested valleys to the glaciers and "
            "peaks of the high Himalaya in north-western Bhutan. People live inside the "
            "park, farming and herding yaks and cattle, alongside wild boar, bears and "
            "large cats such as the snow leopard."
        ),
        "challenge_description": (
            "Crop raiding and attacks on livestock cost families food and income. Losses "
            "turn people against the park and its wildlife, with a risk of animals being "
            "killed in retaliation."
        ),
        "impacts": (
            "Households have practical ways to protect their fields and to recover from "
            "losses, and park staff and communities know what to do when an incident "
            "happens. The conflict has not gone, but it is managed together rather than "
            "endured alone."
        ),
        "lessons_learned": (
            "- No single measure works everywhere: combine several and adapt them to each "
            "valley.\n"
            "- Communities must own the measures they maintain.\n"
            "- Answer every report of an incident quickly: trust is lost faster than it is "
            "built."
        ),
        "protected_area": "jigme-dorji-national-park",
        "countries": ["BTN"],
        "organization": MOAF_BHUTAN,
        "themes": ["human-wildlife-conflict", "community-engagement-and-livelihoods"],
        "ecosystems": ["mountain", "temperate-forest"],
        "challenges": ["human-wildlife-conflict"],
        "gbf_targets": [4],
        "is_featured": True,
        "published_at": at(2019, 9, 16),
        "building_blocks": [
            {
                "title": "Protecting the fields most at risk",
                "description": (
                    "Fences, including electric fences, around clusters of fields, and "
                    "guarding at the critical seasons, agreed with the households that "
                    "will maintain them."
                ),
                "enabling_factors": (
                    "Households willing to share the work of maintenance, and access to "
                    "spare parts."
                ),
                "lessons_learned": "A fence that no one maintains fails within a season.",
            },
            {
                "title": "Better herding",
                "description": (
                    "Keeping livestock in sturdy enclosures at night and herding them away "
                    "from the places and seasons where predators hunt."
                ),
                "enabling_factors": "Herders' own knowledge of the valleys and the seasons.",
                "lessons_learned": "Simple changes in herding can prevent many losses.",
            },
            {
                "title": "Community-managed support after livestock losses",
                "description": (
                    "Households contribute to a fund that their community manages and "
                    "that helps members who lose livestock to predators; park staff help "
                    "to verify the losses."
                ),
                "enabling_factors": (
                    "Trust between households and park staff, and simple, transparent rules."
                ),
                "lessons_learned": (
                    "Losses must be verified quickly and fairly, or members stop contributing."
                ),
            },
        ],
    },
    {
        "slug": "assessing-management-effectiveness-against-the-iucn-green-list-standard",
        "title": "Assessing management effectiveness against the IUCN Green List standard "
        "in Jirisan National Park",
        "summary": (
            "The management of Jirisan National Park is assessed against the standard of "
            "the IUCN Green List of Protected and Conserved Areas, and the gaps found feed "
            "the park's plans. Management effectiveness and the Green List were the "
            "subject of an APAP technical workshop in the Republic of Korea in 2017–18."
        ),
        "context": (
            "Jirisan National Park, the Republic of Korea's first national park, spreads "
            "over three provinces around the Jirisan massif and is managed by the Korea "
            "National Park Service (KNPS). It is known for the return of the Asiatic black "
            "bear."
        ),
        "challenge_description": (
            "A park can have a plan, staff and a budget and still not know whether its "
            "management achieves its conservation goals. Judging effectiveness needs an "
            "agreed yardstick and evidence, not only reports of activities."
        ),
        "impacts": (
            "Managers share one picture of the park's strengths and gaps, in terms that "
            "can be compared with protected areas elsewhere, and a list of improvements to "
            "plan for."
        ),
        "lessons_learned": (
            "- Use an international standard to compare, but involve the park's own staff "
            "in the assessment.\n"
            "- Evidence comes from monitoring: start it long before the assessment.\n"
            "- An assessment is only useful if its gaps reach the next management plan."
        ),
        "protected_area": "jirisan-national-park",
        "countries": ["KOR"],
        "organization": KNPS,
        "themes": [
            "management-effectiveness-and-the-iucn-green-list",
            "protected-area-management-planning",
        ],
        "ecosystems": ["temperate-forest", "mountain"],
        "gbf_targets": [3],
        "visibility": MEMBERS,
        "published_at": at(2020, 2, 10),
        "building_blocks": [
            {
                "title": "Review each component of the standard",
                "description": (
                    "The Green List standard looks at four components: good governance, "
                    "sound design and planning, effective management and successful "
                    "conservation outcomes. The park's management is reviewed component by "
                    "component, with the evidence for each."
                ),
                "enabling_factors": "Clear conservation goals for the park, and monitoring data.",
                "lessons_learned": "Conservation outcomes are the hardest part to evidence.",
            },
            {
                "title": "A review from outside the park team",
                "description": (
                    "Reviewers from outside the park team check the evidence and ask "
                    "questions; their questions are as useful as their conclusions."
                ),
                "enabling_factors": "Openness to criticism at every level of the agency.",
            },
            {
                "title": "From gaps to the management plan",
                "description": (
                    "Each gap becomes an action in the park's work plan, with someone "
                    "responsible for it and a time to report on it."
                ),
                "lessons_learned": "Fewer, well-chosen actions are more likely to be done.",
            },
        ],
    },
    {
        "slug": "learning-from-peers-the-korea-national-park-friendship-programme",
        "title": "Learning from peers: the Korea National Park Friendship Programme",
        "summary": (
            "From 3 to 30 June 2018 the Korea National Park Service hosted protected-area "
            "staff for the Korea National Park Friendship Programme, an exchange inside a "
            "park agency's daily work. Staff exchanges are one of the practical things "
            "members asked APAP for in 2018."
        ),
        "context": (
            "The Korea National Park Service manages most of the Republic of Korea's "
            "national parks. Its Friendship Programme brought protected-area staff to the "
            "Republic of Korea for four weeks in June 2018."
        ),
        "challenge_description": (
            "Agencies learn most from peers who face the same problems, but staff rarely "
            "have the time to see another agency's work from the inside. Short study tours "
            "show results; they rarely show how the work is organised."
        ),
        "impacts": (
            "Participants saw the daily work of a park agency and took home ideas and "
            "contacts. Exchanges like this build the personal links on which regional "
            "cooperation rests."
        ),
        "lessons_learned": (
            "- A few weeks is long enough to see routine work, not only showcases.\n"
            "- Ask participants to bring a question from their own work, and to report on "
            "it when they return.\n"
            "- Keep in touch with former participants: the network is part of the result."
        ),
        "countries": ["KOR"],
        "organization": KNPS,
        "themes": ["capacity-building-and-staff-exchange"],
        "challenges": ["lack-of-capacity"],
        "gbf_targets": [20],
        "visibility": MEMBERS,
        "published_at": at(2019, 12, 9),
        "building_blocks": [
            {
                "title": "Weeks inside the host agency",
                "description": (
                    "Participants spend several weeks with the host agency, at its "
                    "headquarters and in its parks, and join the daily work of rangers and "
                    "managers rather than only formal visits."
                ),
                "enabling_factors": (
                    "A host agency willing to open its daily work, and interpretation where needed."
                ),
            },
            {
                "title": "A question to take home",
                "description": (
                    "Each participant arrives with a question from their own agency and "
                    "leaves with answers and contacts to follow it up."
                ),
                "lessons_learned": (
                    "A question prepared in advance turns a visit into a piece of work."
                ),
            },
        ],
    },
    {
        "slug": "recognising-other-effective-area-based-conservation-measures-oecms",
        "title": "Recognising other effective area-based conservation measures (OECMs)",
        "summary": (
            "Much of Asia's biodiversity lives outside protected areas, in places governed "
            "and managed in ways that conserve it in the long term. Agencies can recognise "
            "such places as OECMs, as defined by the Convention on Biological Diversity in "
            "2018, and count them towards Target 3 of the Global Biodiversity Framework. "
            "APAP discussed the approach in a webinar and a technical workshop in 2020."
        ),
        "context": (
            "Community forests, sacred natural sites, watershed protection areas and some "
            "areas managed for other purposes may conserve biodiversity without being "
            "protected areas."
        ),
        "challenge_description": (
            "Unrecognised, these areas and the people who look after them are invisible "
            "in national reporting and may get no support. Recognised carelessly, OECMs "
            "would count areas that do not in fact conserve biodiversity."
        ),
        "impacts": (
            "Agencies that go through the steps gain a clearer view of the conservation "
            "that happens outside their protected-area system, and of who does it."
        ),
        "lessons_learned": (
            "- Start with the people who govern the area: recognition needs their "
            "consent.\n"
            "- Apply the criteria honestly: not every well-meaning area is an OECM.\n"
            "- OECMs complement protected areas; they do not replace them."
        ),
        "organization": IUCN_ARO,
        "themes": [
            "other-effective-area-based-conservation-measures-oecms",
            "collaborative-management-and-governance",
        ],
        "challenges": ["habitat-loss-and-fragmentation"],
        "gbf_targets": [3],
        "published_at": at(2020, 9, 14),
        "building_blocks": [
            {
                "title": "Identify candidate sites",
                "description": (
                    "List and map the areas outside protected areas that may deliver "
                    "long-term conservation, with the agencies and communities that "
                    "govern them."
                ),
                "enabling_factors": (
                    "Information on land use and governance, and working relations with "
                    "other sectors' agencies."
                ),
            },
            {
                "title": "Assess each site against the CBD criteria",
                "description": (
                    "Check that the site is not a protected area, that it is governed and "
                    "managed, that it contributes to conserving biodiversity in situ in a "
                    "sustained and effective way, and what other values it holds. IUCN's "
                    "technical guidance on OECMs helps."
                ),
                "lessons_learned": (
                    "The assessment is a conversation with the site's custodians, not a "
                    "desk exercise."
                ),
            },
            {
                "title": "Report and keep monitoring",
                "description": (
                    "Report the recognised OECMs to the World Database on OECMs, alongside "
                    "the World Database on Protected Areas, and keep checking that they "
                    "still conserve biodiversity."
                ),
            },
        ],
    },
    {
        "slug": "sustainable-tourism-in-khao-yai-national-park",
        "title": "Sustainable tourism in Khao Yai National Park",
        "summary": (
            "Khao Yai, Thailand's first national park, is within reach of Bangkok and "
            "welcomes many visitors. Zoning, guided trails and rules for the roads where "
            "elephants also walk let visitors and wildlife share the park. Sustainable "
            "tourism is a topic members asked APAP for in 2018."
        ),
        "context": (
            "Khao Yai National Park lies on the south-western edge of the Khorat Plateau "
            "and is part of the Dong Phayayen–Khao Yai Forest Complex World Heritage Site. "
            "Its evergreen forests and grasslands are home to Asian elephants, gibbons and "
            "hornbills."
        ),
        "challenge_description": (
            "Crowds at viewpoints and waterfalls, litter, noise and traffic on the roads "
            "that cross the park put pressure on wildlife and spoil the visit itself. "
            "Elephants crossing or walking along the roads meet cars."
        ),
        "impacts": (
            "Visitors are received in the places that can take them, learn about the park "
            "from guides and signs, and know how to behave when they meet elephants on the "
            "road."
        ),
        "lessons_learned": (
            "- Tourism is an ally of conservation when visitors understand what they see.\n"
            "- Rules are kept when they are explained, and when staff are there to explain "
            "them.\n"
            "- Plan for the busiest days, not the average day."
        ),
        "protected_area": "khao-yai-national-park",
        "countries": ["THA"],
        "organization": DNP_THAILAND,
        "themes": ["sustainable-tourism", "communication-and-awareness"],
        "ecosystems": ["tropical-forest"],
        "challenges": ["unsustainable-tourism", "human-wildlife-conflict"],
        "is_featured": True,
        "published_at": at(2022, 3, 21),
        "building_blocks": [
            {
                "title": "Zones for visitors",
                "description": (
                    "Visitor facilities and activities are concentrated in zones that can "
                    "take them, with camping at designated sites, leaving most of the park "
                    "quiet."
                ),
                "enabling_factors": "A management plan whose zones are agreed in advance.",
                "lessons_learned": (
                    "Zoning works when the places visitors want to see are inside the "
                    "visitor zone, not beyond it."
                ),
            },
            {
                "title": "Guides and interpretation",
                "description": (
                    "Trained guides accompany visitors on forest trails, and visitor "
                    "centres and signs explain the park and its wildlife."
                ),
                "enabling_factors": "Training for guides, and an income for local guides.",
                "lessons_learned": "Guides are the park's best messengers: train them well.",
            },
            {
                "title": "Sharing the road with elephants",
                "description": (
                    "Speed limits, signs and simple advice for drivers who meet elephants: "
                    "keep your distance, stay in the car, wait. Rangers are present on the "
                    "busiest days."
                ),
                "lessons_learned": "Advice must be short enough to remember in the moment.",
            },
        ],
    },
    {
        "slug": "transboundary-cooperation-for-the-sundarbans",
        "title": "Transboundary cooperation for the Sundarbans",
        "summary": (
            "The Sundarbans mangrove forest is one ecosystem shared by Bangladesh and "
            "India. The protected areas on each side can exchange, monitor and plan as one "
            "landscape while each country manages its own part. The WCPA guidelines on "
            "transboundary conservation, which APAP has translated into Asian languages, "
            "offer a framework."
        ),
        "context": (
            "The Sundarbans, where the Ganges, Brahmaputra and Meghna rivers meet the Bay "
            "of Bengal, is the world's largest contiguous mangrove forest. Its Bangladesh "
            "part includes the Sundarbans Reserve Forest; its Indian part, in West Bengal, "
            "the Sundarbans National Park. Tigers, fish and tides do not stop at the "
            "border."
        ),
        "challenge_description": (
            "Two administrations, two sets of laws and different data make it hard to see "
            "the state of one ecosystem. Rising seas, cyclones, changing river flows and "
            "wildlife crime cross the border."
        ),
        "impacts": (
            "Managers on each side know their counterparts and can compare what they "
            "observe: the ground on which joint planning is built."
        ),
        "lessons_learned": (
            "- Start with technical exchanges between managers; formal agreements follow "
            "trust.\n"
            "- Agree on common methods before comparing data.\n"
            "- Use the WCPA transboundary guidelines as a shared vocabulary."
        ),
        "countries": ["BGD", "IND"],
        "organization": IUCN_ARO,
        "themes": ["transboundary-conservation", "climate-change-adaptation"],
        "ecosystems": ["mangrove", "coastal"],
        "challenges": [
            "climate-change",
            "natural-disasters",
            "poaching-and-illegal-wildlife-trade",
        ],
        "gbf_targets": [3],
        "visibility": MEMBERS,
        "published_at": at(2024, 2, 19),
        "building_blocks": [
            {
                "title": "Regular exchanges between the managers of both sides",
                "description": (
                    "Managers and field staff of the protected areas on each side meet "
                    "regularly to share what they observe and what they plan."
                ),
                "enabling_factors": "Support from both governments for technical cooperation.",
                "lessons_learned": "Personal contacts keep cooperation going between meetings.",
            },
            {
                "title": "Compatible monitoring",
                "description": (
                    "Agree on methods for monitoring tigers, mangroves and water, so that "
                    "the results of both sides can be put together."
                ),
                "lessons_learned": "Agreeing on methods takes longer than collecting the data.",
            },
            {
                "title": "A shared framework from the WCPA guidelines",
                "description": (
                    '*"Transboundary Conservation: A systematic and integrated approach"* '
                    "(WCPA Best Practice Protected Area Guidelines No. 23) sets out how to "
                    "assess whether cooperation is feasible and how to agree on its aims, "
                    "and gives both sides the same terms."
                ),
            },
        ],
    },
    {
        # Waiting for review: submitted by the demo member of Viet Nam's VNFOREST.
        "slug": "primate-rescue-and-conservation-education-in-cuc-phuong-national-park",
        "title": "Primate rescue and conservation education in Cúc Phương National Park",
        "summary": (
            "Cúc Phương, Viet Nam's first national park, cares for primates rescued from "
            "illegal trade and prepares some of them for a return to the wild. The rescue "
            "work also makes the park a place where visitors and schoolchildren learn why "
            "primates need protection."
        ),
        "context": (
            "Cúc Phương National Park (Vườn quốc gia Cúc Phương) protects tropical forest "
            "on limestone hills south-west of Hà Nội. Viet Nam is home to primates found "
            "nowhere else, several of them threatened by hunting and trade."
        ),
        "challenge_description": (
            "Primates confiscated from traders need expert care; without a place for "
            "them, enforcement is harder. Demand for wildlife will only fall if people "
            "understand what is at stake."
        ),
        "impacts": (
            "Confiscated animals have a place to go, and visitors learn about primate "
            "conservation from the animals in the park's care."
        ),
        "lessons_learned": (
            "- Rescue, enforcement and education work best together.\n"
            "- Release is possible for some animals only, after careful preparation and "
            "with follow-up.\n"
            "- Visitors remember what they see: let them see conservation work, not only "
            "forest."
        ),
        "protected_area": "cuc-phuong-national-park",
        "countries": ["VNM"],
        "organization": VNFOREST,
        "themes": ["communication-and-awareness", "law-enforcement-and-patrolling"],
        "ecosystems": ["tropical-forest", "karst-and-caves"],
        "challenges": ["poaching-and-illegal-wildlife-trade"],
        "gbf_targets": [4, 5],
        "status": BestPractice.Status.SUBMITTED,
        "submitted_by": DEMO_MEMBER_USERNAME,
        "submitted_at": at(2026, 10, 5),
        "building_blocks": [
            {
                "title": "Care for confiscated primates",
                "description": (
                    "Animals confiscated by the authorities receive veterinary care and "
                    "live in enclosures suited to their species."
                ),
                "enabling_factors": (
                    "Cooperation with the forest protection and enforcement authorities, "
                    "trained keepers and long-term partners."
                ),
                "lessons_learned": "Plan for the animals that can never be released.",
            },
            {
                "title": "Preparing releases",
                "description": (
                    "Animals that can return to the wild are prepared in semi-wild "
                    "enclosures, released into protected forest and followed up."
                ),
                "lessons_learned": "A release without follow-up teaches nothing.",
            },
            {
                "title": "Conservation education for visitors and schools",
                "description": (
                    "Visitors and school groups learn about primates and the trade that "
                    "threatens them, in the park and in nearby communities."
                ),
            },
        ],
    },
    {
        # A draft of the secretariat: visible to staff only.
        "slug": "translating-the-wcpa-best-practice-guidelines-into-asian-languages",
        "title": "Translating the WCPA Best Practice Guidelines into Asian languages",
        "summary": (
            "Protected-area staff use guidance they can read. APAP translates the IUCN "
            "WCPA Best Practice Protected Area Guidelines, such as *Transboundary "
            "Conservation: A systematic and integrated approach*, into Asian languages: "
            "translated guidelines are one of the things members asked for in 2018."
        ),
        "context": (
            "The WCPA Best Practice Protected Area Guidelines are a reference for "
            "protected-area managers worldwide, mostly published in English. Many field "
            "staff in Asia work in their national languages."
        ),
        "challenge_description": (
            "Guidance that staff cannot read does not reach the field. Translations also "
            "need the right technical terms, which differ from country to country."
        ),
        "impacts": (
            "Translated guidelines can be used in national training and workshops, and "
            "discussed by staff in their own language."
        ),
        "lessons_learned": (
            "- Translate with protected-area practitioners, not only with translators.\n"
            "- Choose the guidelines that members ask for.\n"
            "- Present each translation to the people who will use it."
        ),
        "organization": IUCN_ARO,
        "themes": [
            "capacity-building-and-staff-exchange",
            "communication-and-awareness",
            "transboundary-conservation",
        ],
        "challenges": ["lack-of-capacity"],
        "gbf_targets": [20, 21],
        "status": BestPractice.Status.DRAFT,
        "building_blocks": [
            {
                "title": "Choose what to translate with the members",
                "description": (
                    "Members say which guidelines they need most, as they did in the "
                    "questionnaire of the 4th Steering Committee meeting in 2018."
                ),
            },
            {
                "title": "Translate, then review with practitioners",
                "description": (
                    "A translation is reviewed by protected-area staff of the country, who "
                    "check the technical terms against those used in their own laws and "
                    "plans."
                ),
                "enabling_factors": "Staff time for the review, agreed with their agency.",
            },
            {
                "title": "Introduce each translation",
                "description": (
                    "Each translation is introduced in a workshop or a webinar and made "
                    "available online."
                ),
                "lessons_learned": "A translation on a shelf helps no one.",
            },
        ],
    },
]

# Resources. The sources (docs/demo-data.md) do not name the languages APAP translated
# the transboundary guidelines into, and a resource needs a file or a link: no translation
# is recorded, and the summary says that APAP translated it. Staff add each translation as
# a resource whose "translation of" is the original.
RESOURCES: list[dict[str, Any]] = [
    {
        "slug": "transboundary-conservation-a-systematic-and-integrated-approach",
        "kind": Resource.Kind.GUIDELINE,
        "title": "Transboundary Conservation: A systematic and integrated approach",
        # As printed on the publication itself.
        "authors": (
            "Maja Vasilijević, Kevan Zunckel, Matthew McKinney, Boris Erg, Michael Schoon, "
            "Tatjana Rosen Michel"
        ),
        "publisher": "IUCN",
        "year": 2015,
        "url": IUCN_PUBLICATIONS,
        "summary": (
            "Best Practice Protected Area Guidelines Series No. 23 of the IUCN World "
            "Commission on Protected Areas (WCPA): guidance for those who start, manage "
            "and govern conservation across international borders.\n\n"
            "APAP has translated these guidelines into Asian languages, so that "
            "protected-area staff can use them in their own language."
        ),
        "work_area": TRANSBOUNDARY,
        "themes": ["transboundary-conservation"],
    },
    {
        "slug": "apap-partnership-document",
        "kind": Resource.Kind.OTHER,
        "title": "The Asia Protected Areas Partnership: Partnership Document",
        "publisher": APAP,
        "year": 2019,
        "url": APAP_WEBSITE,
        "summary": (
            "The partnership's founding document: what APAP is for and how it works. It "
            "was adopted on 15 July 2016; this is the revised version dated 24 August 2019."
        ),
    },
    {
        "slug": "oecms-briefing-note-and-faq",
        "kind": Resource.Kind.POLICY_BRIEF,
        "title": "Other effective area-based conservation measures (OECMs): briefing note and FAQ",
        "publisher": APAP,
        "year": 2020,
        "url": APAP_WEBSITE,
        "summary": (
            "A short briefing note and a set of frequently asked questions introducing "
            "other effective area-based conservation measures (OECMs) to protected-area "
            "agencies in Asia. They go with APAP's webinar of 23 April 2020 and its 6th "
            "Technical Workshop of 13 August 2020, both on OECMs."
        ),
        "work_area": KNOWLEDGE,
        "themes": ["other-effective-area-based-conservation-measures-oecms"],
        "gbf_targets": [3],
    },
    {
        "slug": "covid-19-and-protected-areas-in-asia-survey-report",
        "kind": Resource.Kind.STUDY,
        "title": "COVID-19 and protected areas in Asia: survey report",
        "publisher": APAP,
        "year": 2020,
        "url": APAP_WEBSITE,
        "summary": (
            "The report of APAP's 2020 survey of how the COVID-19 pandemic affected "
            "protected areas in Asia and the agencies that manage them. It goes with the "
            "webinar on COVID-19 and protected areas of 23 July 2020."
        ),
        "work_area": ADVOCACY,
    },
]

# Stories. "related_activity" is the slug of an activity of the activities demo.
STORIES: list[dict[str, Any]] = [
    {
        "slug": "what-members-want-from-apap",
        "kind": Story.Kind.FEATURE,
        "title": "What members want from APAP: practical topics, in their own languages",
        "lead": (
            "When APAP's Steering Committee met in Bangkok in July 2018, a questionnaire "
            "asked members what they want from the partnership. The answer was practical: "
            "sustainable tourism, technical workshops, staff exchanges and best-practice "
            "guidelines translated into their languages."
        ),
        "body": (
            "The fourth meeting of APAP's Steering Committee took place in Bangkok, "
            "Thailand, on 12–13 July 2018. Its questionnaire asked the member agencies "
            "which topics and kinds of activity would help them most. They chose "
            "practical, on-the-ground subjects.\n\n"
            "## Sustainable tourism\n\n"
            "Many of Asia's protected areas receive large numbers of visitors. Members want "
            "to learn how others welcome them without harming what they come to see.\n\n"
            "## Technical workshops\n\n"
            "APAP's technical workshops had already covered collaborative management "
            "(Ishigaki Island, Japan, 2015), human–wildlife conflict (Thimphu, Bhutan, "
            "2017) and management effectiveness and the IUCN Green List (Republic of "
            "Korea, 2017–18). Members asked for more.\n\n"
            "## Staff exchanges\n\n"
            "A month earlier, from 3 to 30 June 2018, the Korea National Park Friendship "
            "Programme had shown what an exchange between agencies can offer.\n\n"
            "## Translated guidelines\n\n"
            "The IUCN WCPA Best Practice Protected Area Guidelines are most useful when "
            "staff can read them in their own language. APAP has translated guidelines "
            "such as *Transboundary Conservation: A systematic and integrated approach* "
            "into Asian languages."
        ),
        "work_area": KNOWLEDGE,
        "related_activity": FOURTH_STEERING_COMMITTEE,
        "published_at": at(2018, 7, 13),
    },
    {
        "slug": "apap-at-the-7th-iucn-asia-regional-conservation-forum",
        "kind": Story.Kind.NEWS,
        "title": "APAP at the 7th IUCN Asia Regional Conservation Forum in Islamabad",
        "lead": (
            "At the 7th IUCN Asia Regional Conservation Forum in Islamabad, Pakistan, on "
            "6–8 November 2019, APAP held a side event to bring the work of Asia's "
            "protected-area agencies before the region's conservation community."
        ),
        "body": (
            "The IUCN Asia Regional Conservation Forum brings together the region's "
            "conservation community. At its seventh session, in Islamabad, APAP presented "
            "the partnership at a side event.\n\n"
            "Six years after its idea was endorsed at the 1st Asia Parks Congress in "
            "Sendai, the partnership had grown to **21 members from 17 countries**, plus "
            "two associate members. Its technical workshops, exchanges and translations "
            "of best-practice guidelines respond to what the members asked for."
        ),
        "work_area": ADVOCACY,
        "related_activity": ISLAMABAD_SIDE_EVENT,
        "published_at": at(2019, 11, 8),
    },
    {
        "slug": "moving-towards-implementation-of-target-3-in-dehradun",
        "kind": Story.Kind.NEWS,
        "title": "7th Partnership Forum in Dehradun: moving towards implementation of Target 3",
        "lead": (
            "Thirty-five participants from 13 countries met in Dehradun, India, on 27–29 "
            "April 2023 for APAP's technical and Steering Committee meetings, \"Moving "
            'Towards Implementation of Target 3".'
        ),
        "body": (
            "Target 3 of the Kunming-Montreal Global Biodiversity Framework, adopted in "
            "December 2022, asks countries to conserve 30% of land, waters and seas by "
            "2030 through protected areas and other effective area-based conservation "
            "measures (OECMs). In Dehradun, APAP's members discussed how to move from the "
            "target to its implementation.\n\n"
            "The meetings, also known as the 7th Partnership Forum, were organised by "
            "IUCN's Asia Regional Office, India's Ministry of Environment, Forest and "
            "Climate Change, APAP's country co-chair, and the Wildlife Institute of India. "
            "The APAP Secretariat took part together with Viet Nam's Nature and "
            "Biodiversity Conservation Agency (NBCA) to discuss the partnership's "
            "contributions to the Global Biodiversity Framework."
        ),
        "work_area": KNOWLEDGE,
        "related_activity": DEHRADUN,
        "published_at": at(2023, 4, 29),
    },
    {
        "slug": "protected-areas-at-the-heart-of-the-global-biodiversity-framework",
        "kind": Story.Kind.STATEMENT,
        "title": "Protected areas at the heart of the Global Biodiversity Framework",
        "lead": (
            "The Kunming-Montreal Global Biodiversity Framework asks the world to conserve "
            "30% of land, waters and seas by 2030. Asia's protected-area agencies can make "
            "that target real: with protected areas that are well managed and fairly "
            "governed, with OECMs, and by working together across borders."
        ),
        "body": (
            "Protected areas are the backbone of biodiversity conservation in Asia. They "
            "conserve species and ecosystems, provide clean water and protect people "
            "against natural disasters.\n\n"
            "Target 3 of the Global Biodiversity Framework counts on them, but area alone "
            "is not enough. The target asks for areas that are *effectively conserved and "
            "managed*, *ecologically representative*, *well connected* and *equitably "
            "governed*. APAP therefore calls for:\n\n"
            "1. **Effective management**: assessed honestly, for example against the IUCN "
            "Green List standard, and improved where it falls short.\n"
            "2. **Fair governance**: with the communities who live in and around "
            "protected areas, and recognition of other effective area-based conservation "
            "measures (OECMs) where they truly conserve biodiversity.\n"
            "3. **Connectivity across borders**: transboundary cooperation for the "
            "ecosystems that countries share.\n"
            "4. **Capacity**: workshops, staff exchanges and guidance in Asian languages, "
            "so that the people who manage protected areas have what they need.\n\n"
            "APAP will keep bringing the voice of Asia's protected-area community to "
            "regional and global forums such as the Convention on Biological Diversity."
        ),
        "work_area": ADVOCACY,
        "published_at": at(2023, 5, 22),
    },
    {
        "slug": "the-maldives-becomes-apaps-country-co-chair",
        "kind": Story.Kind.NEWS,
        "title": "The Maldives becomes APAP's country co-chair",
        "lead": (
            "From December 2023, the Maldives' Ministry of Climate Change, Environment and "
            "Energy is APAP's country co-chair, alongside IUCN's Asia Regional Office."
        ),
        "body": (
            "APAP is chaired by IUCN, through its Asia Regional Office, with a country "
            "co-chair that rotates among the members. Japan's Ministry of the Environment "
            "was the first; the Republic of Korea's Ministry of Environment and the Korea "
            "National Park Service followed from 2017 to 2020, and India's Ministry of "
            "Environment, Forest and Climate Change from 14 December 2020.\n\n"
            "The Maldives takes over from India in December 2023, bringing an island "
            "nation's perspective on coastal and marine conservation to the co-chair."
        ),
        "published_at": at(2023, 12, 1),
    },
]


@transaction.atomic
def load_knowledge_demo(stdout: TextIO | None = None) -> dict[str, dict[str, int]]:
    """Load the knowledge library's demo data; return, per kind of record, how many were
    created, updated and left unchanged. Lines about each change go to `stdout`.

    Needs the members and activities demos (organizations, protected areas, the demo
    member, activities) and the reference data of the migrations (countries, work areas,
    GBF targets, themes, ecosystems, challenges)."""
    loader = DemoLoader(stdout)
    lookup = _References()

    for data in BEST_PRACTICES:
        data = dict(data)
        blocks = data.pop("building_blocks")
        related = {
            "countries": lookup.many(Country, "iso3", data.pop("countries", [])),
            "themes": lookup.many(Theme, "slug", data.pop("themes", [])),
            "ecosystems": lookup.many(Ecosystem, "slug", data.pop("ecosystems", [])),
            "challenges": lookup.many(Challenge, "slug", data.pop("challenges", [])),
            "gbf_targets": lookup.many(GbfTarget, "number", data.pop("gbf_targets", [])),
        }
        submitted_by = data.pop("submitted_by", None)
        protected_area = data.pop("protected_area", None)
        best_practice = loader.sync(
            "best practices",
            BestPractice,
            {"slug": data.pop("slug")},
            {
                "language": Language.ENGLISH,
                "contributors": "",
                "status": PUBLISHED,
                "visibility": PUBLIC,
                "review_message": "",
                "is_featured": False,
                "submitted_at": None,
                "published_at": None,
                **data,
                "protected_area": lookup.one(ProtectedArea, "slug", protected_area),
                "organization": lookup.one(Organization, "slug", data["organization"]),
                "submitted_by": lookup.one(User, "username", submitted_by),
            },
            related=related,
        )
        # Blocks are found by their place; blocks that staff add after them are kept.
        for order, block in enumerate(blocks, start=1):
            loader.sync(
                "building blocks",
                BuildingBlock,
                {"best_practice": best_practice, "order": order},
                {"enabling_factors": "", "lessons_learned": "", **block},
            )

    for data in RESOURCES:
        data = dict(data)
        related = {
            "themes": lookup.many(Theme, "slug", data.pop("themes", [])),
            "gbf_targets": lookup.many(GbfTarget, "number", data.pop("gbf_targets", [])),
        }
        work_area = data.pop("work_area", None)
        loader.sync(
            "resources",
            Resource,
            {"slug": data.pop("slug")},
            {
                "authors": "",
                "publisher": "",
                "language": Language.ENGLISH,
                "translation_of": None,
                "visibility": PUBLIC,
                **data,
                "work_area": lookup.one(WorkArea, "slug", work_area),
            },
            related=related,
        )

    for data in STORIES:
        data = dict(data)
        work_area = data.pop("work_area", None)
        activity = data.pop("related_activity", None)
        loader.sync(
            "stories",
            Story,
            {"slug": data.pop("slug")},
            {
                "body": "",
                "language": Language.ENGLISH,
                "visibility": PUBLIC,
                **data,
                "work_area": lookup.one(WorkArea, "slug", work_area),
                "related_activity": lookup.one(Activity, "slug", activity),
            },
        )

    return {label: dict(counter) for label, counter in loader.counts.items()}


# What each kind of referenced record needs, to name the missing step in an error.
_SOURCES = {
    Country: "run `manage.py migrate` first",
    Theme: "run `manage.py migrate` first",
    Ecosystem: "run `manage.py migrate` first",
    Challenge: "run `manage.py migrate` first",
    GbfTarget: "run `manage.py migrate` first",
    WorkArea: "run `manage.py migrate` first",
    Organization: "load the members demo first",
    ProtectedArea: "load the members demo first",
    User: "load the members demo first",
    Activity: "load the activities demo first",
}


class _References:
    """Records the demo refers to, found by natural key, each read once."""

    def __init__(self) -> None:
        self._found: dict[tuple[type, str, Any], Any] = {}

    def one(self, model: type, field: str, key: Any) -> Any:
        if key is None:
            return None
        if (model, field, key) not in self._found:
            record = model._default_manager.filter(**{field: key}).first()
            if record is None:
                raise CommandError(
                    f"The {model._meta.verbose_name} {key!r} is missing: {_SOURCES[model]}."
                )
            self._found[(model, field, key)] = record
        return self._found[(model, field, key)]

    def many(self, model: type, field: str, keys: list[Any]) -> list[Any]:
        return [self.one(model, field, key) for key in keys]
