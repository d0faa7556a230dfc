"""Large synthetic data for benchmarks: `manage.py generate_scale_data` writes it.

Every synthetic row has a slug starting with `scale-`, so it is told apart from real and
demo records, and can be removed (`--reset`) or topped up. Row `i` of a table is built
from its own random generator, seeded with (seed, table, i): the same seed gives the same
rows, and topping a table up to a larger count adds rows without changing those already
there. Which rows are members-only or drafts depends on `i` alone, so the shares are
exact at every scale (10 % members-only, 5 % not published), and the search terms of
SEARCH_TERMS occur at known rates: the benchmark searches for them.

Then Vietnamese translations, chosen by the row's index in the same way: of 30 % of the
activities, best practices (with their building blocks) and stories not written in
Vietnamese, and of the work areas, focal activities and GBF targets; 85 % of them published,
10 % drafts, 5 % out of date. They are topped up like the rows (a database generated
before them gets them), and written from Vietnamese sentences carrying
VIETNAMESE_SEARCH_TERM, which the benchmark searches for on /vi/.

Rows are written with `bulk_create` in chunks, one transaction per chunk (with the
chunk's many-to-many rows and children), so an interrupted run keeps what it wrote.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.db.models import BooleanField, CharField, Count, ExpressionWrapper, F, Q, Value
from django.db.models.functions import Cast, Concat

from activities.models import (
    Activity,
    ActivityDocument,
    ActivityOrganization,
    ActivityTranslation,
    FocalActivity,
    FocalActivityTranslation,
    OrganizationRole,
    WorkArea,
    WorkAreaTranslation,
)
from apap_portal.translations.models import TranslationStatus
from bench.boundaries import draw_boundaries
from countries.models import CountryStatistics
from knowledge.models import (
    BestPractice,
    BestPracticeTranslation,
    BuildingBlock,
    BuildingBlockTranslation,
    Challenge,
    Ecosystem,
    GbfTarget,
    GbfTargetTranslation,
    Language,
    Resource,
    Story,
    StoryTranslation,
    Theme,
)
from members.models import (
    Country,
    DesignationType,
    FocalPoint,
    GovernanceType,
    IucnCategory,
    Membership,
    Organization,
    ProtectedArea,
    ProtectedAreaStatus,
    Realm,
    SiteType,
    TransboundaryArea,
    Visibility,
)

SLUG_PREFIX = "scale-"
VIETNAMESE = Language.VIETNAMESE
# OECMs among the protected areas, about as many as in the WDPA's Asian records.
OECM_SHARE = 0.1

# Words the benchmark searches for, and how often the generator writes them in each
# table's text: "rare" in rows 0, 10 000, 20 000… (about 10 rows of a 100 000-row table,
# and row 0 of any table); "medium" in 1.5 % of rows; "common" in about 85 % of rows.
# The vocabulary below never uses them (nor other words with their stems) otherwise.
SEARCH_TERMS = {"rare": "saola", "medium": "dugong", "common": "conservation"}
RARE_EVERY = 10_000
MEDIUM_PER_MILLE = 15
COMMON_SHARE = 0.85

# Shares, decided by the row's index (see `share_bucket`), exact in every 100 rows.
MEMBERS_ONLY_BUCKETS = range(90, 100)  # 10 % members-only
UNPUBLISHED_BUCKETS = range(80, 85)  # 5 % drafts, submissions, changes requested, archived


@dataclass(frozen=True)
class ScaleCounts:
    """How many synthetic rows of each kind to have (the command's options)."""

    organizations: int = 1_000
    protected_areas: int = 50_000
    activities: int = 100_000
    best_practices: int = 100_000
    resources: int = 20_000
    stories: int = 5_000

    @property
    def transboundary_areas(self) -> int:
        """One per 1 000 protected areas (at least one when there are two to join)."""
        if self.protected_areas < 2:
            return 0
        return max(1, self.protected_areas // 1_000)

    def as_dict(self) -> dict[str, int]:
        counts = {f.name: getattr(self, f.name) for f in fields(self)}
        counts["transboundary_areas"] = self.transboundary_areas
        return counts


def share_bucket(index: int) -> int:
    """0–99, a permutation of each run of 100 indices: row i's place in the shares."""
    return (index * 37) % 100


def visibility_of(index: int) -> str:
    if share_bucket(index) in MEMBERS_ONLY_BUCKETS:
        return Visibility.MEMBERS
    return Visibility.PUBLIC


def is_published(index: int) -> bool:
    return share_bucket(index) not in UNPUBLISHED_BUCKETS


# Vietnamese translations, decided by the row's index too, exact in every 200 rows: 30 %
# of the rows written in another language have one; of those, 85 % are published, 10 %
# drafts and 5 % published but out of date (their digest is not the original's).
TRANSLATION_PERIOD = 200
TRANSLATED_BUCKETS = range(0, 60)


class TranslationState(enum.Enum):
    PUBLISHED = "published"
    DRAFT = "draft"
    OUT_OF_DATE = "out of date"


def translation_state(position: int) -> TranslationState:
    """The state of the translations at `position` in a run of them: 17, 2 and 1 of 20."""
    share = position % 20
    if share < 17:
        return TranslationState.PUBLISHED
    if share < 19:
        return TranslationState.DRAFT
    return TranslationState.OUT_OF_DATE


def translation_state_of(index: int) -> TranslationState | None:
    """Whether row `index` of a table has a Vietnamese translation, and its state."""
    bucket = (index * 57) % TRANSLATION_PERIOD
    if bucket not in TRANSLATED_BUCKETS:
        return None
    return translation_state(bucket)


def has_rare_term(index: int) -> bool:
    return index % RARE_EVERY == 0


def has_medium_term(index: int) -> bool:
    return (index * 53) % 1_000 < MEDIUM_PER_MILLE


# ---------------------------------------------------------------------------------------
# Vocabulary of the field: places, species, ecosystems, what managers do and achieve.

# fmt: off

PLACES = [
    "Khao Yai", "Kaeng Krachan", "Taman Negara", "Kinabalu", "Gunung Leuser", "Komodo",
    "Tubbataha", "Sundarbans", "Chitwan", "Sagarmatha", "Kaziranga", "Corbett", "Yala",
    "Hustai", "Gobi Gurvansaikhan", "Seoraksan", "Jirisan", "Shiretoko", "Yakushima",
    "Wolong", "Sanjiangyuan", "Royal Manas", "Jigme Dorji", "Khunjerab", "Tonle Sap",
    "Nam Et-Phou Louey", "Bokor", "Hkakabo Razi", "Altai Tavan Bogd", "Issyk-Kul",
    "Tigrovaya Balka", "Hirkan", "Ujung Kulon", "Bunaken", "Puerto Princesa", "Mount Apo",
    "Inle Lake", "Cardamom Mountains", "Annapurna", "Ranthambore", "Periyar", "Sinharaja",
    "Minneriya", "Baa Atoll", "Lorentz", "Danum Valley", "Similan Islands", "Hạ Long",
]
VIETNAMESE_PLACES = [
    "Cúc Phương", "Phong Nha-Kẻ Bàng", "Cát Tiên", "Ba Bể", "U Minh Thượng", "Xuân Thủy",
    "Bạch Mã", "Tràm Chim", "Côn Đảo", "Hoàng Liên", "Pù Mát", "Vũ Quang", "Yok Đôn",
    "Chư Yang Sin", "Bái Tử Long", "Núi Chúa", "Lò Gò-Xa Mát", "Phú Quốc", "Bidoup-Núi Bà",
    "Ba Vì", "Tam Đảo", "Xuân Sơn", "Bến En", "Kon Ka Kinh", "Mũi Cà Mau",
]
SPECIES = [
    "Asian elephant", "tiger", "snow leopard", "red panda", "Sunda pangolin",
    "great hornbill", "gaur", "clouded leopard", "Irrawaddy dolphin", "green turtle",
    "black-faced spoonbill", "sarus crane", "Bornean orangutan", "proboscis monkey",
    "Siamese crocodile", "dhole", "banteng", "markhor", "takin", "musk deer",
    "wild Bactrian camel", "saiga antelope", "giant panda", "golden snub-nosed monkey",
    "Tonkin snub-nosed monkey", "Delacour's langur", "southern white-cheeked gibbon",
    "Javan rhinoceros", "crested ibis", "Amur leopard", "spoon-billed sandpiper",
    "whale shark", "hawksbill turtle", "white-rumped vulture", "fishing cat",
]
ECOSYSTEM_WORDS = [
    "mangrove forest", "peat swamp forest", "limestone karst", "alpine meadow",
    "coral reef", "seagrass meadow", "tropical evergreen forest", "dry dipterocarp forest",
    "steppe grassland", "freshwater wetland", "river floodplain", "montane cloud forest",
    "coastal dunes", "tidal flats", "cold desert", "rhododendron forest", "lowland rainforest",
]
ACTIONS = [
    "community-based patrolling", "co-management agreements with villages",
    "SMART patrol monitoring", "camera-trap surveys", "payments for ecosystem services",
    "ecotourism revenue sharing", "zoning of the buffer zone", "assisted natural regeneration",
    "ranger training", "village land-use planning", "livelihood grants for forest users",
    "fire prevention teams", "removal of invasive plants", "mooring buoys for dive boats",
    "no-take fishing zones", "solar fencing against crop raiding", "a school nature programme",
    "a volunteer wildlife rescue network", "a management effectiveness assessment",
    "a transboundary patrol protocol", "a community seed bank", "a visitor booking system",
    "seasonal grazing agreements with herders", "restoration of abandoned shrimp ponds",
]
STAKEHOLDERS = [
    "local communities", "indigenous peoples' organisations", "women's unions",
    "district authorities", "park rangers", "herder groups", "fisher cooperatives",
    "tour operators", "universities", "provincial forest departments", "youth volunteers",
    "religious leaders", "the border police", "NGO partners", "village headmen",
]
RESULTS = [
    "poaching incidents fell by {n} %", "forest cover grew by {n} %",
    "household incomes rose by {n} %", "the number of nesting sites doubled",
    "visitor numbers reached {k} a year", "{k} hectares were restored",
    "illegal logging cases fell by {n} %", "crop losses fell by {n} %",
    "fish catches recovered within {y} years", "{k} people were trained",
]
VIETNAMESE_SENTENCES = [
    "Ban quản lý vườn quốc gia {vplace} phối hợp với cộng đồng địa phương tuần tra bảo vệ rừng.",
    "Mô hình đồng quản lý rừng đặc dụng giúp người dân hưởng lợi từ du lịch sinh thái.",
    "Rừng ngập mặn ở {vplace} được phục hồi nhờ sự tham gia của thanh niên tình nguyện.",
    "Đa dạng sinh học của khu bảo tồn {vplace} được giám sát bằng bẫy ảnh hằng năm.",
    "Các hộ gia đình vùng đệm nhận hỗ trợ sinh kế để giảm áp lực lên tài nguyên rừng.",
]
SENTENCES = [
    "The management board of {place} introduced {action} in {year}.",
    "Working with {stakeholder}, rangers mapped the {ecosystem} and its threats.",
    "Before the project, the {species} was rarely seen in the {ecosystem} of {place}.",
    "After {y} years of {action}, {result}.",
    "The approach relied on trust between {stakeholder} and the park administration.",
    "Monitoring data showed that {result} between {year} and {year2}.",
    "A small grant from the district paid for {action} and for training {stakeholder}.",
    "Rangers now patrol {k} kilometres of trails each month with {stakeholder}.",
    "Surveys counted {k} {species} individuals across the {ecosystem}.",
    "Threats included encroachment, unsustainable harvesting and road building near {place}.",
    "The plan was reviewed every {y} years with {stakeholder} and the provincial government.",
    "Lessons from {place} were shared at an APAP exchange visit in {year}.",
    "The site manager noted that {action} worked best where {stakeholder} held clear rights.",
    "Funding came from entrance fees, a trust fund and support from {stakeholder}.",
    "The {ecosystem} stores carbon and regulates water for {k} downstream households.",
    "Sightings of the {species} increased once {action} was in place.",
    "A field guide in the local language helped {stakeholder} record what they observed.",
    "Conflicts with the {species} were reduced by {action}.",
]
COMMON_SENTENCES = [
    "The conservation objectives of {place} were agreed with {stakeholder}.",
    "This conservation effort in the {ecosystem} is now part of the national plan.",
    "Long-term conservation of the {species} depends on {action}.",
]
MEDIUM_SENTENCES = [
    "Divers recorded dugong feeding trails in the seagrass meadow off {place}.",
    "Fishers agreed to report every dugong caught in their nets to the rangers.",
]
RARE_SENTENCES = [
    "Camera traps photographed a saola in the forest of {place}, the first record in years.",
]

# Vietnamese translations of English records (see `translation_state_of`): real sentences
# about protected areas, with their diacritics. Every translated text carries a sentence
# with VIETNAMESE_SEARCH_TERM, which the benchmark searches for with and without its marks.
VIETNAMESE_SEARCH_TERM = "bảo tồn"
VIETNAMESE_SEARCH_TERM_UNMARKED = "bao ton"
TRANSLATED_SENTENCES = [
    "Khu bảo tồn thiên nhiên {vplace} là nơi sinh sống của nhiều loài động vật quý hiếm.",
    "Mỗi tháng, lực lượng kiểm lâm cùng người dân tuần tra hàng trăm ki-lô-mét đường rừng.",
    "Sau {y} năm thực hiện, số vụ săn bắt động vật hoang dã trái phép đã giảm rõ rệt.",
    "Người dân vùng đệm được hỗ trợ trồng cây bản địa và chăm sóc rừng phục hồi.",
    "Kết quả giám sát cho thấy quần thể chim nước tăng lên trong giai đoạn {year}–{year2}.",
    "Thu nhập của các hộ tham gia du lịch cộng đồng tăng lên nhờ lượng khách ổn định.",
    "Rạn san hô và thảm cỏ biển quanh {vplace} được khoanh vùng bảo vệ nghiêm ngặt.",
    "Hệ sinh thái núi đá vôi ở {vplace} có giá trị đa dạng sinh học đặc biệt cao.",
    "Dự án nhận được sự hỗ trợ của chính quyền địa phương và các tổ chức phi chính phủ.",
    "Kinh nghiệm của {vplace} được chia sẻ tại diễn đàn của các khu bảo tồn châu Á.",
    "Sự tham gia của phụ nữ và thanh niên giúp các hoạt động quản lý rừng bền vững hơn.",
    "Cán bộ kiểm lâm được tập huấn sử dụng công cụ SMART để ghi nhận dữ liệu tuần tra.",
]
MARKED_TRANSLATED_SENTENCES = [
    "Công tác bảo tồn tại {vplace} được thực hiện theo kế hoạch quản lý giai đoạn {year}–{year2}.",
    "Mục tiêu bảo tồn đa dạng sinh học được thống nhất với các cộng đồng sống gần rừng.",
    "Bài học kinh nghiệm: bảo tồn chỉ thành công khi người dân địa phương cùng hưởng lợi.",
]
TRANSLATED_TITLES = [
    "Bảo tồn đa dạng sinh học ở {vplace}",
    "Đồng quản lý rừng đặc dụng tại {vplace}",
    "Phục hồi rừng ngập mặn cùng cộng đồng {vplace}",
    "Tuần tra bảo vệ rừng dựa vào cộng đồng tại {vplace}",
    "Du lịch sinh thái và sinh kế vùng đệm ở {vplace}",
    "Giảm xung đột giữa người và động vật hoang dã tại {vplace}",
    "Nâng cao hiệu quả quản lý khu bảo tồn {vplace}",
]
TRANSLATED_TOPICS = [
    "Quản lý hiệu quả khu bảo tồn", "Danh lục Xanh của IUCN", "Hợp tác xuyên biên giới",
    "Giảm xung đột giữa người và động vật hoang dã", "Du lịch sinh thái bền vững",
    "Nâng cao năng lực kiểm lâm", "Thích ứng với biến đổi khí hậu",
    "Tài chính bền vững cho khu bảo tồn", "Quản lý đất ngập nước", "Khu bảo tồn biển",
    "Đồng quản lý dựa vào cộng đồng", "Phục hồi sinh thái", "Giám sát tuần tra bằng SMART",
]
TRANSLATED_BLOCK_TITLES = [
    "Thành lập tổ tuần tra cộng đồng", "Xây dựng quy chế đồng quản lý",
    "Tập huấn cho cán bộ kiểm lâm", "Chia sẻ lợi ích từ du lịch sinh thái",
    "Giám sát đa dạng sinh học bằng bẫy ảnh", "Quy hoạch sử dụng đất vùng đệm",
]
# The reference data in Vietnamese, by slug or number (the rows of the data migrations).
WORK_AREAS_VI = {
    "knowledge-capacity": (
        "Chia sẻ kiến thức và nâng cao năng lực",
        "Chia sẻ thực tiễn tốt và đào tạo cán bộ các khu bảo tồn trong khu vực.",
    ),
    "transboundary-cooperation": (
        "Hợp tác xuyên biên giới và khu vực",
        "Học hỏi kinh nghiệm và cùng quản lý các khu bảo tồn nằm hai bên biên giới.",
    ),
    "awareness-advocacy": (
        "Nâng cao nhận thức và vận động chính sách",
        "Làm rõ lợi ích của các khu bảo tồn và đưa tiếng nói của khu vực đến các diễn đàn "
        "chính sách.",
    ),
}
FOCAL_ACTIVITIES_VI = {  # by work area and order, as in the data migration
    "knowledge-capacity/1": (
        "Khuyến khích cộng đồng các khu bảo tồn trong khu vực chia sẻ thực tiễn tốt."
    ),
    "knowledge-capacity/2": (
        "Tổ chức các khóa đào tạo và nâng cao năng lực cùng các cơ quan quản lý khu bảo tồn trên "
        "thế giới, Ủy ban Thế giới về Khu bảo tồn của IUCN (WCPA), các viện nghiên cứu, cơ sở đào"
        " tạo và các tổ chức khác."
    ),
    "knowledge-capacity/3": (
        "Thúc đẩy việc tiếp cận thông tin và hướng dẫn về khu bảo tồn."
    ),
    "transboundary-cooperation/1": (
        "Tổ chức các cơ hội chia sẻ kinh nghiệm để thành viên học hỏi qua hợp tác xuyên biên "
        "giới."
    ),
    "transboundary-cooperation/2": (
        "Tổ chức hội thảo và tập huấn về cách tiếp cận xuyên biên giới trong quản lý khu bảo tồn."
    ),
    "transboundary-cooperation/3": (
        "Phổ biến Hướng dẫn thực tiễn tốt của WCPA về các khu bảo tồn xuyên biên giới."
    ),
    "transboundary-cooperation/4": (
        "Tạo điều kiện đối thoại giữa các quốc gia mong muốn hợp tác xuyên biên giới."
    ),
    "transboundary-cooperation/5": (
        "Hỗ trợ xây dựng đề xuất tài trợ cho các dự án và sáng kiến xuyên biên giới, khu vực."
    ),
    "awareness-advocacy/1": (
        "Hỗ trợ các nghiên cứu làm rõ lợi ích kinh tế và các lợi ích khác của khu bảo tồn, và phổ"
        " biến kết quả."
    ),
    "awareness-advocacy/2": (
        "Tăng cường tiếng nói của cộng đồng các khu bảo tồn châu Á tại các diễn đàn chính sách "
        "khu vực và toàn cầu như Công ước Đa dạng sinh học (CBD)."
    ),
}
GBF_TARGETS_VI = [
    "Quy hoạch và quản lý mọi khu vực để giảm mất đa dạng sinh học",
    "Phục hồi 30 % các hệ sinh thái bị suy thoái",
    "Bảo tồn 30 % diện tích đất liền, vùng nước và biển",
    "Ngăn chặn tuyệt chủng loài, bảo vệ đa dạng di truyền và quản lý xung đột giữa người và "
    "động vật hoang dã",
    "Bảo đảm khai thác và buôn bán các loài hoang dã bền vững, an toàn và hợp pháp",
    "Giảm 50 % sự du nhập của các loài ngoại lai xâm hại và hạn chế tác động của chúng",
    "Giảm ô nhiễm xuống mức không gây hại cho đa dạng sinh học",
    "Giảm thiểu tác động của biến đổi khí hậu lên đa dạng sinh học và tăng khả năng chống chịu",
    "Quản lý bền vững các loài hoang dã vì lợi ích của con người",
    "Tăng cường đa dạng sinh học và tính bền vững trong nông nghiệp, nuôi trồng thủy sản, "
    "khai thác thủy sản và lâm nghiệp",
    "Phục hồi, duy trì và tăng cường những đóng góp của thiên nhiên cho con người",
    "Mở rộng không gian xanh và quy hoạch đô thị vì sức khỏe con người và đa dạng sinh học",
    "Tăng cường chia sẻ lợi ích từ nguồn gen, thông tin trình tự số và tri thức truyền thống",
    "Lồng ghép đa dạng sinh học vào quá trình ra quyết định ở mọi cấp",
    "Doanh nghiệp đánh giá, công bố và giảm rủi ro cùng tác động tiêu cực liên quan đến đa "
    "dạng sinh học",
    "Khuyến khích lựa chọn tiêu dùng bền vững để giảm lãng phí và tiêu dùng quá mức",
    "Tăng cường an toàn sinh học và phân phối lợi ích của công nghệ sinh học",
    "Giảm ít nhất 500 tỷ đô la mỗi năm các ưu đãi có hại và tăng các ưu đãi tích cực cho đa "
    "dạng sinh học",
    "Huy động 200 tỷ đô la mỗi năm cho đa dạng sinh học từ mọi nguồn, trong đó 30 tỷ đô la "
    "qua tài chính quốc tế",
    "Tăng cường nâng cao năng lực, chuyển giao công nghệ và hợp tác khoa học kỹ thuật vì đa "
    "dạng sinh học",
    "Bảo đảm tri thức sẵn có và dễ tiếp cận để định hướng hành động vì đa dạng sinh học",
    "Bảo đảm mọi người được tham gia ra quyết định và tiếp cận công lý, thông tin liên quan "
    "đến đa dạng sinh học",
    "Bảo đảm bình đẳng giới và cách tiếp cận đáp ứng giới trong hành động vì đa dạng sinh học",
]

DESIGNATIONS = [
    ("National Park", DesignationType.NATIONAL, 30),
    ("Nature Reserve", DesignationType.NATIONAL, 20),
    ("Wildlife Sanctuary", DesignationType.NATIONAL, 15),
    ("Forest Reserve", DesignationType.NATIONAL, 12),
    ("Special-use Forest", DesignationType.NATIONAL, 5),
    ("Marine Park", DesignationType.NATIONAL, 5),
    ("Protected Landscape", DesignationType.NATIONAL, 5),
    ("Ramsar Site, Wetland of International Importance", DesignationType.INTERNATIONAL, 4),
    ("UNESCO-MAB Biosphere Reserve", DesignationType.INTERNATIONAL, 2),
    ("World Heritage Site (natural or mixed)", DesignationType.INTERNATIONAL, 1),
    ("ASEAN Heritage Park", DesignationType.REGIONAL, 1),
]
IUCN_WEIGHTS = [
    (IucnCategory.IA, 6), (IucnCategory.IB, 2), (IucnCategory.II, 14), (IucnCategory.III, 5),
    (IucnCategory.IV, 22), (IucnCategory.V, 12), (IucnCategory.VI, 9),
    (IucnCategory.NOT_APPLICABLE, 6), (IucnCategory.NOT_ASSIGNED, 6),
    (IucnCategory.NOT_REPORTED, 18),
]
GOVERNANCE_WEIGHTS = [
    (GovernanceType.FEDERAL, 55), (GovernanceType.SUBNATIONAL, 20),
    (GovernanceType.DELEGATED, 2), (GovernanceType.COLLABORATIVE, 4),
    (GovernanceType.JOINT, 1), (GovernanceType.INDIVIDUALS, 1),
    (GovernanceType.NON_PROFIT, 2), (GovernanceType.INDIGENOUS, 2),
    (GovernanceType.LOCAL_COMMUNITIES, 3), (GovernanceType.NOT_REPORTED, 10),
]
REALM_WEIGHTS = [(Realm.TERRESTRIAL, 80), (Realm.COASTAL, 12), (Realm.MARINE, 8)]

# Rough bounding boxes (south, north, west, east) of the countries of the reference data,
# and a weight for how many protected areas each holds in the WDPA (roughly).
COUNTRY_BOXES = {
    "KAZ": (40.6, 55.4, 46.5, 87.3, 2), "KGZ": (39.2, 43.3, 69.3, 80.3, 1),
    "TJK": (36.7, 41.0, 67.4, 75.2, 1), "TKM": (35.1, 42.8, 52.4, 66.7, 1),
    "UZB": (37.2, 45.6, 56.0, 73.1, 1), "CHN": (18.2, 53.6, 73.5, 134.8, 10),
    "JPN": (24.0, 45.5, 122.9, 145.8, 20), "MNG": (41.6, 52.1, 87.7, 119.9, 2),
    "PRK": (37.7, 43.0, 124.2, 130.7, 1), "KOR": (33.1, 38.6, 124.6, 131.9, 8),
    "BRN": (4.0, 5.1, 114.0, 115.4, 1), "KHM": (10.4, 14.7, 102.3, 107.6, 2),
    "IDN": (-11.0, 6.1, 95.0, 141.0, 7), "LAO": (13.9, 22.5, 100.1, 107.7, 1),
    "MYS": (0.9, 7.4, 99.6, 119.3, 4), "MMR": (9.8, 28.5, 92.2, 101.2, 1),
    "PHL": (4.6, 21.1, 116.9, 126.6, 4), "SGP": (1.2, 1.47, 103.6, 104.1, 1),
    "THA": (5.6, 20.5, 97.3, 105.6, 4), "TLS": (-9.5, -8.1, 124.0, 127.3, 1),
    "VNM": (8.6, 23.4, 102.1, 109.5, 4), "AFG": (29.4, 38.5, 60.5, 74.9, 1),
    "BGD": (20.7, 26.6, 88.0, 92.7, 1), "BTN": (26.7, 28.3, 88.7, 92.1, 1),
    "IND": (6.7, 35.5, 68.1, 97.4, 8), "IRN": (25.1, 39.8, 44.0, 63.3, 3),
    "MDV": (-0.7, 7.1, 72.6, 73.8, 1), "NPL": (26.3, 30.4, 80.0, 88.2, 1),
    "PAK": (23.7, 37.1, 60.9, 77.8, 2), "LKA": (5.9, 9.8, 79.7, 81.9, 2),
    "ARM": (38.8, 41.3, 43.4, 46.6, 1), "AZE": (38.4, 41.9, 44.8, 50.4, 1),
    "BHR": (25.8, 26.3, 50.4, 50.7, 1), "CYP": (34.6, 35.7, 32.3, 34.6, 1),
    "GEO": (41.1, 43.6, 40.0, 46.7, 1), "IRQ": (29.1, 37.4, 38.8, 48.6, 1),
    "ISR": (29.5, 33.3, 34.3, 35.9, 1), "JOR": (29.2, 33.4, 34.9, 39.3, 1),
    "KWT": (28.5, 30.1, 46.6, 48.4, 1), "LBN": (33.1, 34.7, 35.1, 36.6, 1),
    "OMN": (16.6, 26.4, 52.0, 59.8, 1), "QAT": (24.5, 26.2, 50.7, 51.6, 1),
    "SAU": (16.4, 32.2, 34.5, 55.7, 1), "PSE": (31.2, 32.6, 34.2, 35.6, 1),
    "SYR": (32.3, 37.3, 35.7, 42.4, 1), "TUR": (35.8, 42.1, 26.0, 44.8, 8),
    "ARE": (22.6, 26.1, 51.6, 56.4, 1), "YEM": (12.1, 19.0, 42.5, 54.5, 1),
}
DEFAULT_BOX = (5.0, 45.0, 60.0, 130.0, 1)

AGENCY_NAMES = [
    "Department of National Parks", "Forest Protection Department", "Wildlife Division",
    "Protected Areas Administration", "Biodiversity Conservation Agency",
    "Marine Parks Department", "Provincial Forestry Bureau", "Nature Conservation Society",
    "Institute of Ecology", "Centre for Wetland Studies", "Environmental Trust Fund",
    "Mountain Development Council", "Community Forestry Network", "Ranger Academy",
]
ORGANIZATION_KINDS = [
    (Organization.Kind.NATIONAL_AGENCY, 35), (Organization.Kind.SUBNATIONAL_AGENCY, 25),
    (Organization.Kind.NGO, 18), (Organization.Kind.ACADEMIC, 10),
    (Organization.Kind.INTERGOVERNMENTAL, 4), (Organization.Kind.DONOR, 4),
    (Organization.Kind.OTHER, 4),
]
PERSON_NAMES = [
    "Nguyễn Văn An", "Trần Thị Bình", "Somchai Prasert", "Siti Aminah", "Tenzin Dorji",
    "Bat-Erdene Ganbold", "Kim Min-jun", "Sato Haruka", "Priya Sharma", "Ahmed Khan",
    "Maria Santos", "Rahul Thapa", "Li Wei", "Nurlan Abenov", "Aung Ko Ko", "Chan Sophea",
]
ACTIVITY_KIND_WEIGHTS = [
    (Activity.Kind.TRAINING, 20), (Activity.Kind.WORKSHOP, 20),
    (Activity.Kind.TECHNICAL_WORKSHOP, 8), (Activity.Kind.FORUM, 6),
    (Activity.Kind.STEERING_COMMITTEE, 3), (Activity.Kind.WEBINAR, 15),
    (Activity.Kind.EXCHANGE_VISIT, 8), (Activity.Kind.DIALOGUE, 6), (Activity.Kind.STUDY, 6),
    (Activity.Kind.POLICY_INTERVENTION, 4), (Activity.Kind.OTHER, 4),
]
TOPICS = [
    "management effectiveness", "the IUCN Green List", "transboundary cooperation",
    "human-wildlife conflict", "sustainable tourism", "ranger capacity", "OECMs",
    "climate change adaptation", "sustainable financing", "wetland management",
    "marine protected areas", "community co-management", "the GBF 30x30 target",
    "ecological restoration", "law enforcement", "monitoring with SMART",
]
RESOURCE_KIND_WEIGHTS = [
    (Resource.Kind.GUIDELINE, 15), (Resource.Kind.STUDY, 25), (Resource.Kind.POLICY_BRIEF, 12),
    (Resource.Kind.TOOLKIT, 10), (Resource.Kind.TRAINING_MATERIAL, 15),
    (Resource.Kind.PROCEEDINGS, 10), (Resource.Kind.NEWSLETTER, 8), (Resource.Kind.OTHER, 5),
]
OTHER_LANGUAGES = [Language.THAI, Language.CHINESE, Language.JAPANESE, Language.INDONESIAN]
PUBLISHERS = ["IUCN", "APAP secretariat", "ICIMOD", "ASEAN Centre for Biodiversity", "UNDP"]
# fmt: on
UTC = datetime.UTC


# ---------------------------------------------------------------------------------------
# Text


class _Slots(dict):
    """The values of a sentence template's {slots}, drawn when the template asks for them."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> object:
        rng = self.rng
        if key == "year2":
            value = self["year"] + rng.randint(1, 6)
        elif key == "result":
            value = rng.choice(RESULTS).format(
                n=rng.randint(10, 80), k=f"{rng.randint(100, 50_000):,}", y=rng.randint(2, 8)
            )
        else:
            value = _SLOT_VALUES[key](rng)
        self[key] = value
        return value


_SLOT_VALUES: dict[str, Callable[[random.Random], object]] = {
    "place": lambda rng: rng.choice(PLACES),
    "vplace": lambda rng: rng.choice(VIETNAMESE_PLACES),
    "species": lambda rng: rng.choice(SPECIES),
    "ecosystem": lambda rng: rng.choice(ECOSYSTEM_WORDS),
    "action": lambda rng: rng.choice(ACTIONS),
    "stakeholder": lambda rng: rng.choice(STAKEHOLDERS),
    "year": lambda rng: rng.randint(2005, 2022),
    "y": lambda rng: rng.randint(2, 12),
    "k": lambda rng: f"{rng.randint(12, 9_000):,}",
}


class Writer:
    """Sentences and titles for one row, from that row's random generator."""

    def __init__(self, rng: random.Random, index: int, vietnamese: bool = False):
        self.rng = rng
        self.index = index
        self.vietnamese = vietnamese

    def _fill(self, template: str) -> str:
        """The template with its {slots} filled, drawing only the values it uses."""
        return template.format_map(_Slots(self.rng))

    def sentence(self) -> str:
        if self.vietnamese and self.rng.random() < 0.4:
            return self._fill(self.rng.choice(VIETNAMESE_SENTENCES))
        return self._fill(self.rng.choice(SENTENCES))

    def text(self, min_chars: int, max_chars: int) -> str:
        """Paragraphs of sentences, between about `min_chars` and `max_chars` long."""
        target = self.rng.randint(min_chars, max_chars)
        paragraphs, current, length = [], [], 0
        while length < target:
            current.append(self.sentence())
            length += len(current[-1]) + 1
            if len(current) >= self.rng.randint(3, 6):
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
        return "\n\n".join(paragraphs)

    def marked_text(self, min_chars: int, max_chars: int) -> str:
        """`text()` with the search terms this row carries (see SEARCH_TERMS)."""
        extra = []
        if self.rng.random() < COMMON_SHARE:
            extra.append(self._fill(self.rng.choice(COMMON_SENTENCES)))
        if has_medium_term(self.index):
            extra.append(self._fill(self.rng.choice(MEDIUM_SENTENCES)))
        if has_rare_term(self.index):
            extra.append(self._fill(self.rng.choice(RARE_SENTENCES)))
        body = self.text(min_chars, max_chars)
        return f"{' '.join(extra)}\n\n{body}" if extra else body

    def title(self) -> str:
        rng = self.rng
        patterns = [
            "{Action} in {place}",
            "Protecting the {species} through {action}",
            "{Action} for the {ecosystem} of {place}",
            "How {stakeholder} restored the {ecosystem} at {place}",
            "Reducing conflict with the {species} in {place}",
        ]
        if self.vietnamese:
            patterns.append("{Action} tại {vplace}")
        action = rng.choice(ACTIONS)
        return (
            rng.choice(patterns)
            .format(
                Action=action[0].upper() + action[1:],
                action=action,
                place=rng.choice(PLACES),
                vplace=rng.choice(VIETNAMESE_PLACES),
                species=rng.choice(SPECIES),
                ecosystem=rng.choice(ECOSYSTEM_WORDS),
                stakeholder=rng.choice(STAKEHOLDERS),
            )
            .replace("  ", " ")[:250]
        )


class VietnameseWriter(Writer):
    """The text of a Vietnamese translation: Vietnamese sentences and titles only."""

    def sentence(self) -> str:
        return self._fill(self.rng.choice(TRANSLATED_SENTENCES + VIETNAMESE_SENTENCES))

    def marked_text(self, min_chars: int, max_chars: int) -> str:
        """`text()` after a sentence with VIETNAMESE_SEARCH_TERM."""
        marked = self._fill(self.rng.choice(MARKED_TRANSLATED_SENTENCES))
        return f"{marked}\n\n{self.text(min_chars, max_chars)}"

    def title(self) -> str:
        return self._fill(self.rng.choice(TRANSLATED_TITLES))

    def block_title(self) -> str:
        return self.rng.choice(TRANSLATED_BLOCK_TITLES)


def weighted(rng: random.Random, pairs: list[tuple]) -> object:
    """One value of (value, weight) pairs."""
    values = [pair[0] for pair in pairs]
    weights = [pair[-1] for pair in pairs]
    return rng.choices(values, weights=weights)[0]


def some(rng: random.Random, ids: list[int], low: int, high: int) -> list[int]:
    """Between `low` and `high` distinct ids (fewer when there are fewer)."""
    if not ids:
        return []
    return rng.sample(ids, min(len(ids), rng.randint(low, high)))


def random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def random_moment(rng: random.Random, start_year: int, end_year: int) -> datetime.datetime:
    day = random_date(rng, datetime.date(start_year, 1, 1), datetime.date(end_year, 12, 31))
    return datetime.datetime(day.year, day.month, day.day, rng.randint(0, 23), tzinfo=UTC)


# ---------------------------------------------------------------------------------------
# Rows and how they are saved


@dataclass
class Row:
    """A record to create, with its many-to-many targets and its children.

    `m2m` maps a many-to-many field of the record's model to target ids; `children` are
    (foreign key attname on the child, child Row) pairs, saved after the record.
    """

    instance: models.Model
    m2m: dict[str, list[int]] = field(default_factory=dict)
    children: list[tuple[str, Row]] = field(default_factory=list)


BATCH_SIZE = 1_000


def save_rows(rows: list[Row]) -> None:
    """Create the rows, then their many-to-many rows and their children, in bulk."""
    by_model: dict[type[models.Model], list[Row]] = defaultdict(list)
    for row in rows:
        by_model[type(row.instance)].append(row)
    for model, group in by_model.items():
        model.objects.bulk_create([row.instance for row in group], batch_size=BATCH_SIZE)
        links: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        children: list[Row] = []
        for row in group:
            for name, targets in row.m2m.items():
                relation = model._meta.get_field(name)
                through = relation.remote_field.through
                source = f"{relation.m2m_field_name()}_id"
                target = f"{relation.m2m_reverse_field_name()}_id"
                links[through].extend(
                    through(**{source: row.instance.pk, target: target_id}) for target_id in targets
                )
            for fk_attname, child in row.children:
                setattr(child.instance, fk_attname, row.instance.pk)
                children.append(child)
        for through, objects in links.items():
            through.objects.bulk_create(objects, batch_size=BATCH_SIZE * 5)
        if children:
            save_rows(children)


class Progress:
    """One updating line per table on a terminal; a line every ~10 % (or 10 s) otherwise."""

    def __init__(self, write: Callable[[str, str], None], label: str, total: int, tty: bool):
        self.write, self.label, self.total, self.tty = write, label, total, tty
        self.done = 0
        self.started = time.perf_counter()
        self.last_line = self.started
        self.last_share = 0

    def _line(self) -> str:
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        share = 100 * self.done / self.total if self.total else 100.0
        return (
            f"  {self.label:<22} {self.done:>9,} / {self.total:<9,} {share:5.1f} %"
            f"  {rate:>8,.0f} rows/s  {elapsed:6.1f} s"
        )

    def advance(self, count: int) -> None:
        self.done += count
        now = time.perf_counter()
        if self.tty:
            self.write(f"\r{self._line()}", "")
        else:
            share = int(10 * self.done / self.total) if self.total else 10
            if share > self.last_share or now - self.last_line >= 10:
                if self.done < self.total:
                    self.write(self._line(), "\n")
                self.last_share, self.last_line = share, now

    def finish(self) -> None:
        if self.tty:
            self.write(f"\r{self._line()}", "\n")
        else:
            self.write(self._line(), "\n")


# ---------------------------------------------------------------------------------------
# The generator


@dataclass
class Reference:
    """Ids of the reference data and of the synthetic rows later tables point to."""

    countries: dict[str, int]
    themes: list[int]
    ecosystems: list[int]
    challenges: list[int]
    gbf_targets: list[int]
    work_areas: list[int]
    focal_activities: dict[int, list[int]]
    organizations: list[tuple[int, int | None]] = field(default_factory=list)  # (id, country)
    organizations_by_country: dict[int, list[int]] = field(default_factory=dict)
    protected_areas: list[tuple[int, int]] = field(default_factory=list)  # (id, country)
    activities: list[int] = field(default_factory=list)
    resources: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Original:
    """A record to translate into Vietnamese, and the state its translation is to have."""

    pk: int
    key: str  # its slug (its number, or work area and order, in reference data)
    index: int  # its row index (its place in the reference data)
    digest: str  # its translation_source
    version: int | None
    blank: frozenset[str]  # its translated fields left empty: empty in the translation too
    state: TranslationState

    def source_digest(self, digest: str, part: str = "") -> str:
        """The digest a translation of this record (or of its `part`) follows."""
        if self.state is TranslationState.OUT_OF_DATE:  # made from an earlier text
            return hashlib.md5(f"{self.key}{part}: before its last edit".encode()).hexdigest()
        return digest

    def translation(self, model: type[models.Model], **text: str) -> models.Model:
        """A translation of this record in its state, with `text` (blank where the original is)."""
        status = TranslationStatus.DRAFT
        if self.state is not TranslationState.DRAFT:
            status = TranslationStatus.PUBLISHED
        text.update(dict.fromkeys(self.blank, ""))
        return model(
            original_id=self.pk,
            language=VIETNAMESE,
            status=status,
            source_digest=self.source_digest(self.digest),
            source_version=self.version,
            **text,
        )


@dataclass(frozen=True)
class TranslatedTable:
    """The Vietnamese translations of a table: of the rows `translation_state_of` picks in a
    synthetic table, or of every row of reference data (states by `translation_state`)."""

    name: str  # seeds: <seed>/<name>/<index>
    label: str
    model: type[models.Model]  # the translation model
    build: Callable[[ScaleDataGenerator, Original, random.Random], Row | None]
    synthetic: bool = True
    order: tuple[str, ...] = ("slug",)
    key: str | models.Expression = "slug"  # of a row: its Original's key
    chunk_size: int = 2_000

    @property
    def original_model(self) -> type[models.Model]:
        return self.model._meta.get_field("original").related_model


@dataclass(frozen=True)
class Table:
    key: str  # seeds and slugs: scale-<key>-000042
    label: str
    model: type[models.Model]
    count: Callable[[ScaleCounts], int]
    build: Callable[[ScaleDataGenerator, int, random.Random], Row]
    chunk_size: int = 2_000


class ScaleDataGenerator:
    """Writes (or tops up, or first removes) the synthetic rows of every table."""

    def __init__(
        self,
        counts: ScaleCounts,
        *,
        seed: int = 1,
        write: Callable[[str, str], None] | None = None,
        tty: bool = False,
    ):
        self.counts = counts
        self.seed = seed
        self.write = write or (lambda text, ending: None)
        self.tty = tty
        self.ref: Reference | None = None
        self.tables = [
            Table("org", "organizations", Organization, lambda c: c.organizations,
                  ScaleDataGenerator.build_organization, 1_000),
            Table("pa", "protected areas", ProtectedArea, lambda c: c.protected_areas,
                  ScaleDataGenerator.build_protected_area, 5_000),
            Table("tba", "transboundary areas", TransboundaryArea,
                  lambda c: c.transboundary_areas,
                  ScaleDataGenerator.build_transboundary_area, 1_000),
            Table("act", "activities", Activity, lambda c: c.activities,
                  ScaleDataGenerator.build_activity, 2_000),
            Table("bp", "best practices", BestPractice, lambda c: c.best_practices,
                  ScaleDataGenerator.build_best_practice, 2_000),
            Table("res", "resources", Resource, lambda c: c.resources,
                  ScaleDataGenerator.build_resource, 2_000),
            Table("story", "stories", Story, lambda c: c.stories,
                  ScaleDataGenerator.build_story, 2_000),
        ]  # fmt: skip
        self.translated_tables = [
            TranslatedTable("wa-vi", "work areas (vi)", WorkAreaTranslation,
                            ScaleDataGenerator.build_work_area_translation, synthetic=False,
                            order=("order", "slug")),
            TranslatedTable("fa-vi", "focal activities (vi)", FocalActivityTranslation,
                            ScaleDataGenerator.build_focal_activity_translation, synthetic=False,
                            order=("work_area__order", "order", "pk"),
                            key=Concat("work_area__slug", Value("/"), Cast("order", CharField()))),
            TranslatedTable("gbf-vi", "GBF targets (vi)", GbfTargetTranslation,
                            ScaleDataGenerator.build_gbf_target_translation, synthetic=False,
                            order=("number",), key=Cast("number", CharField())),
            TranslatedTable("act-vi", "activities (vi)", ActivityTranslation,
                            ScaleDataGenerator.build_activity_translation),
            TranslatedTable("bp-vi", "best practices (vi)", BestPracticeTranslation,
                            ScaleDataGenerator.build_best_practice_translation, chunk_size=1_000),
            TranslatedTable("story-vi", "stories (vi)", StoryTranslation,
                            ScaleDataGenerator.build_story_translation),
        ]  # fmt: skip
        self.building_blocks: dict[int, list[tuple[int, str]]] = {}

    def written_models(self) -> list[type[models.Model]]:
        """The models whose tables the generator writes (their children's follow)."""
        return [table.model for table in self.tables + self.translated_tables]

    def say(self, text: str) -> None:
        self.write(text, "\n")

    # -- the whole run --------------------------------------------------------------

    def run(self, *, reset: bool = False) -> dict[str, int]:
        """Generate every table; return the number of rows created per table."""
        if reset:
            self.remove()
        self.ref = self.load_reference()
        created = {}
        for table in self.tables:
            created[table.label] = self.fill(table)
            self.refresh_reference(table)
            if table.model is ProtectedArea:
                draw_boundaries(self.seed, self.say)
        created["country statistics"] = self.fill_country_statistics()
        for translated in self.translated_tables:
            created[translated.label] = self.fill_translations(translated)
        return created

    def fill_country_statistics(self) -> int:
        """Coverage figures for each country of Asia that has none (the country profiles
        and the countries list read them), as if imported from Protected Planet: made up,
        of the same sizes, the same each run."""
        missing = Country.objects.of_asia().filter(statistics__isnull=True).order_by("iso3")
        rows = [country_statistics(country, self.seed) for country in missing]
        CountryStatistics.objects.bulk_create(rows)
        if rows:
            self.say(f"  country statistics       {len(rows):,} made up")
        return len(rows)

    def remove(self) -> None:
        """Delete every synthetic row (and what hangs off it), latest tables first."""
        for table in reversed(self.tables):
            started = time.perf_counter()
            ids = list(
                table.model.objects.filter(slug__startswith=SLUG_PREFIX)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for start in range(0, len(ids), 5_000):
                with transaction.atomic():
                    table.model.objects.filter(pk__in=ids[start : start + 5_000]).only(
                        "pk"
                    ).delete()
            if ids:
                elapsed = time.perf_counter() - started
                self.say(f"  removed {len(ids):,} {table.label} in {elapsed:.1f} s")

    def load_reference(self) -> Reference:
        countries = dict(Country.objects.values_list("iso3", "pk"))
        themes = list(Theme.objects.order_by("slug").values_list("pk", flat=True))
        if not countries or not themes or not WorkArea.objects.exists():
            raise CommandError(
                "The reference data (countries, themes, work areas) is missing: run "
                "`manage.py migrate` on this database first."
            )
        focal = defaultdict(list)
        for pk, work_area in FocalActivity.objects.order_by("pk").values_list("pk", "work_area_id"):
            focal[work_area].append(pk)
        ref = Reference(
            countries=countries,
            themes=themes,
            ecosystems=list(Ecosystem.objects.order_by("slug").values_list("pk", flat=True)),
            challenges=list(Challenge.objects.order_by("slug").values_list("pk", flat=True)),
            gbf_targets=list(GbfTarget.objects.order_by("number").values_list("pk", flat=True)),
            work_areas=list(WorkArea.objects.order_by("slug").values_list("pk", flat=True)),
            focal_activities=dict(focal),
        )
        for table in self.tables:
            self.refresh_reference(table, ref)
        return ref

    def refresh_reference(self, table: Table, ref: Reference | None = None) -> None:
        """Reload the ids of a table's synthetic rows, in slug (index) order."""
        ref = ref or self.ref
        rows = synthetic(table.model).order_by("slug")
        if table.model is Organization:
            ref.organizations = list(rows.values_list("pk", "country_id"))
            by_country = defaultdict(list)
            for pk, country_id in ref.organizations:
                by_country[country_id].append(pk)
            ref.organizations_by_country = dict(by_country)
        elif table.model is ProtectedArea:
            ref.protected_areas = list(rows.values_list("pk", "country_id"))
        elif table.model is Activity:
            ref.activities = list(rows.values_list("pk", flat=True))
        elif table.model is Resource:
            ref.resources = list(rows.values_list("pk", flat=True))

    def fill(self, table: Table) -> int:
        """Create the rows of `table` missing below its requested count."""
        wanted = table.count(self.counts)
        existing = set(synthetic(table.model).values_list("slug", flat=True))
        if len(existing) >= wanted:
            note = (
                f"; {len(existing) - wanted:,} more than asked (--reset removes them)"
                if len(existing) > wanted
                else ""
            )
            self.say(f"  {table.label:<22} {len(existing):>9,} already there{note}")
            return 0
        missing = [i for i in range(wanted) if self.slug(table, i) not in existing]
        # Rows beyond `wanted` from an earlier, larger run also count toward it.
        missing = missing[: wanted - len(existing)]
        progress = Progress(self.write, table.label, len(missing), self.tty)
        for start in range(0, len(missing), table.chunk_size):
            chunk = missing[start : start + table.chunk_size]
            rows = [table.build(self, i, self.rng(table, i)) for i in chunk]
            for row, i in zip(rows, chunk, strict=True):
                row.instance.slug = self.slug(table, i)
            with transaction.atomic():
                save_rows(rows)
            progress.advance(len(chunk))
        progress.finish()
        return len(missing)

    def fill_translations(self, translated: TranslatedTable) -> int:
        """Create the Vietnamese translations of `translated` that are missing."""
        originals = self.originals_to_translate(translated)
        if not originals:
            self.say(f"  {translated.label:<22} nothing to add")
            return 0
        progress = Progress(self.write, translated.label, len(originals), self.tty)
        created = 0
        for start in range(0, len(originals), translated.chunk_size):
            chunk = originals[start : start + translated.chunk_size]
            if translated.model is BestPracticeTranslation:
                self.building_blocks = self.building_blocks_of(chunk)
            rows = [
                row
                for original in chunk
                if (
                    row := translated.build(
                        self, original, self.translation_rng(translated, original)
                    )
                )
            ]
            with transaction.atomic():
                save_rows(rows)
            created += len(rows)
            progress.advance(len(chunk))
        progress.finish()
        return created

    def originals_to_translate(self, translated: TranslatedTable) -> list[Original]:
        """The records of `translated` to translate that have no Vietnamese version yet.

        Records written in Vietnamese are not translated into it: they are read as they are.
        """
        model = translated.original_model
        names = {field.name for field in model._meta.concrete_fields}
        rows = synthetic(model) if translated.synthetic else model._default_manager.all()
        blank = {
            f"blank_{name}": ExpressionWrapper(
                Q(**{name: ""}) | Q(**{f"{name}__isnull": True}), output_field=BooleanField()
            )
            for name in model.translated_fields
        }
        extra = [name for name in ("version", "language") if name in names]
        key_of_row = F(translated.key) if isinstance(translated.key, str) else translated.key
        done = set(
            translated.model._default_manager.filter(language=VIETNAMESE).values_list(
                "original_id", flat=True
            )
        )
        originals = []
        for position, row in enumerate(
            rows.annotate(translation_key=key_of_row, **blank)
            .order_by(*translated.order)
            .values("pk", "translation_key", "translation_source", *extra, *blank)
        ):
            key = row["translation_key"]
            if translated.synthetic:
                index = int(key.rsplit("-", 1)[1])
                state = translation_state_of(index)
            else:
                index, state = position, translation_state(position)
            if state is None or row["pk"] in done or row.get("language") == VIETNAMESE:
                continue
            originals.append(
                Original(
                    pk=row["pk"],
                    key=key,
                    index=index,
                    digest=row["translation_source"],
                    version=row.get("version"),
                    blank=frozenset(
                        name for name in model.translated_fields if row[f"blank_{name}"]
                    ),
                    state=state,
                )
            )
        return originals

    @staticmethod
    def building_blocks_of(practices: list[Original]) -> dict[int, list[tuple[int, str]]]:
        """The (id, digest) of the building blocks of each practice, in their order."""
        blocks = defaultdict(list)
        for pk, practice, digest in (
            BuildingBlock.objects.filter(best_practice_id__in=[p.pk for p in practices])
            .order_by("best_practice_id", "order", "pk")
            .values_list("pk", "best_practice_id", "translation_source")
        ):
            blocks[practice].append((pk, digest))
        return dict(blocks)

    def translation_rng(self, translated: TranslatedTable, original: Original) -> random.Random:
        return random.Random(f"{self.seed}/{translated.name}/{original.index}")

    def slug(self, table: Table, index: int) -> str:
        return f"{SLUG_PREFIX}{table.key}-{index:06d}"

    def rng(self, table: Table, index: int) -> random.Random:
        return random.Random(f"{self.seed}/{table.key}/{index}")

    # -- one row of each table ------------------------------------------------------

    def pick_country(self, rng: random.Random) -> tuple[str, int]:
        iso3s = [iso3 for iso3 in COUNTRY_BOXES if iso3 in self.ref.countries]
        iso3 = rng.choices(iso3s, weights=[COUNTRY_BOXES[c][4] for c in iso3s])[0]
        return iso3, self.ref.countries[iso3]

    def build_organization(self, i: int, rng: random.Random) -> Row:
        kind = weighted(rng, ORGANIZATION_KINDS)
        regional = kind in (Organization.Kind.INTERGOVERNMENTAL, Organization.Kind.DONOR)
        iso3, country_id = self.pick_country(rng)
        place = rng.choice(VIETNAMESE_PLACES if iso3 == "VNM" else PLACES)
        agency = rng.choice(AGENCY_NAMES)
        name = f"{agency}, {place} ({i + 1})"
        acronym = "".join(word[0] for word in agency.split() if word[0].isupper())
        writer = Writer(rng, i, vietnamese=iso3 == "VNM")
        organization = Organization(
            name=name,
            local_name=f"Cục {place}" if iso3 == "VNM" else "",
            acronym=f"{acronym}{i + 1}",
            kind=kind,
            country_id=None if regional else country_id,
            website=f"https://agency-{i + 1}.example.org/",
            description=writer.text(200, 600),
        )
        row = Row(organization)
        if share_bucket(i) < 60:  # 60 % hold an APAP membership
            membership = Membership(
                category=Membership.Category.COUNTRY
                if rng.random() < 0.7
                else Membership.Category.ASSOCIATE,
                status=Membership.Status.ACTIVE
                if rng.random() < 0.9
                else Membership.Status.WITHDRAWN,
                joined_on=random_date(rng, datetime.date(2014, 1, 1), datetime.date(2025, 6, 30)),
            )
            focal_points = [
                (
                    "membership_id",
                    Row(
                        FocalPoint(
                            name=rng.choice(PERSON_NAMES),
                            role=rng.choice(["Director", "Focal point", "Deputy director"]),
                            email=f"focal{n}.{i + 1}@agency.example.org",
                            order=n,
                        )
                    ),
                )
                for n in range(rng.randint(1, 2))
            ]
            row.children.append(("organization_id", Row(membership, children=focal_points)))
        return row

    def build_protected_area(self, i: int, rng: random.Random) -> Row:
        iso3, country_id = self.pick_country(rng)
        south, north, west, east, _weight = COUNTRY_BOXES.get(iso3, DEFAULT_BOX)
        designation, designation_type = self._designation(rng)
        vietnamese = iso3 == "VNM"
        place = rng.choice(VIETNAMESE_PLACES if vietnamese else PLACES)
        qualifier = rng.choice(["", "", "Upper ", "Lower ", "North ", "South ", "East ", "West "])
        name = f"{qualifier}{place} {designation}"[:250]
        original = ""
        if vietnamese:
            kind = "Vườn quốc gia" if designation == "National Park" else "Khu bảo tồn"
            original = f"{kind} {place}"
        authority_ids = self.ref.organizations_by_country.get(country_id) or []
        authority = rng.choice(authority_ids) if authority_ids and rng.random() < 0.3 else None
        located = rng.random() < 0.95
        writer = Writer(rng, i, vietnamese=vietnamese)
        area = ProtectedArea(
            name=name,
            original_name=original,
            country_id=country_id,
            wdpa_id=900_000_000 + i if rng.random() < 0.8 else None,
            designation=designation,
            designation_type=designation_type,
            iucn_category=weighted(rng, IUCN_WEIGHTS),
            governance_type=weighted(rng, GOVERNANCE_WEIGHTS),
            realm=weighted(rng, REALM_WEIGHTS),
            status=ProtectedAreaStatus.DESIGNATED
            if rng.random() < 0.92
            else rng.choice([ProtectedAreaStatus.INSCRIBED, ProtectedAreaStatus.PROPOSED]),
            status_year=rng.randint(1950, 2024) if rng.random() < 0.85 else None,
            reported_area_km2=Decimal(f"{min(rng.lognormvariate(3, 1.8), 900_000):.3f}"),
            management_authority_id=authority,
            management_authority_name="" if authority else f"{rng.choice(AGENCY_NAMES)} of {iso3}",
            latitude=Decimal(f"{rng.uniform(south, north):.6f}") if located else None,
            longitude=Decimal(f"{rng.uniform(west, east):.6f}") if located else None,
            description=writer.marked_text(200, 700) if rng.random() < 0.7 else "",
            visibility=visibility_of(i),
        )
        # Last, so that the draws above are those of the rows generated before OECMs were.
        area.site_type = SiteType.OECM if rng.random() < OECM_SHARE else SiteType.PROTECTED_AREA
        return Row(area)

    @staticmethod
    def _designation(rng: random.Random) -> tuple[str, str]:
        choice = rng.choices(DESIGNATIONS, weights=[w for _d, _t, w in DESIGNATIONS])[0]
        return choice[0], choice[1]

    def build_transboundary_area(self, i: int, rng: random.Random) -> Row:
        areas = self.ref.protected_areas
        first = rng.choice(areas)
        others = [area for area in rng.sample(areas, min(len(areas), 40)) if area[1] != first[1]]
        joined = [first[0]] + [pk for pk, _country in others[: rng.randint(1, 3)]]
        if len(joined) < 2:  # every area in one country (tiny data sets): still two areas
            joined = [pk for pk, _country in rng.sample(areas, 2)]
        place = rng.choice(PLACES)
        writer = Writer(rng, i)
        area = TransboundaryArea(
            name=f"{place} Transboundary Landscape ({i + 1})",
            description=writer.text(300, 900),
        )
        return Row(area, m2m={"protected_areas": joined})

    def build_activity(self, i: int, rng: random.Random) -> Row:
        ref = self.ref
        kind = weighted(rng, ACTIVITY_KIND_WEIGHTS)
        work_area = rng.choice(ref.work_areas)
        start = random_date(rng, datetime.date(2010, 1, 1), datetime.date(2027, 12, 31))
        precision = weighted(
            rng,
            [
                (Activity.DatePrecision.DAY, 93),
                (Activity.DatePrecision.MONTH, 5),
                (Activity.DatePrecision.YEAR, 2),
            ],
        )
        if precision == Activity.DatePrecision.MONTH:
            start = start.replace(day=1)
            end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(1)
        elif precision == Activity.DatePrecision.YEAR:
            start, end = start.replace(month=1, day=1), start.replace(month=12, day=31)
        else:
            end = start + datetime.timedelta(days=rng.randint(1, 5)) if rng.random() < 0.6 else None
        online = kind == Activity.Kind.WEBINAR or rng.random() < 0.05
        iso3, country_id = self.pick_country(rng)
        past = (end or start) < datetime.date(2025, 1, 1)
        if rng.random() < 0.03:
            status = Activity.Status.CANCELLED
        elif past:
            status = Activity.Status.COMPLETED
        else:
            status = rng.choice([Activity.Status.PLANNED, Activity.Status.CONFIRMED])
        writer = Writer(rng, i, vietnamese=iso3 == "VNM")
        place = rng.choice(VIETNAMESE_PLACES if iso3 == "VNM" else PLACES)
        label = Activity.Kind(kind).label
        activity = Activity(
            kind=kind,
            title=f"{label} on {rng.choice(TOPICS)} in {place} ({start.year})",
            work_area_id=work_area,
            start_date=start,
            end_date=end,
            date_precision=precision,
            is_online=online,
            city="" if online else place,
            country_id=None if online else country_id,
            participants_count=rng.randint(8, 300) if rng.random() < 0.8 else None,
            summary=writer.text(150, 300),
            body=writer.marked_text(800, 2_200),
            outcomes=writer.text(200, 500) if past else "",
            status=status,
            visibility=visibility_of(i),
        )
        row = Row(
            activity,
            m2m={
                "focal_activities": some(rng, ref.focal_activities.get(work_area, []), 1, 2),
                "participating_countries": some(rng, list(ref.countries.values()), 1, 5),
                "gbf_targets": some(rng, ref.gbf_targets, 0, 3),
            },
        )
        organizations = [pk for pk, _country in ref.organizations]
        roles = [OrganizationRole.ORGANIZER] + [
            rng.choice([OrganizationRole.PARTNER, OrganizationRole.HOST, OrganizationRole.DONOR])
            for _ in range(2)
        ]
        for organization, role in zip(some(rng, organizations, 1, 3), roles, strict=False):
            row.children.append(
                (
                    "activity_id",
                    Row(ActivityOrganization(organization_id=organization, role=role)),
                )
            )
        for n in range(rng.choice([0, 0, 1, 2])):
            document = ActivityDocument(
                title=rng.choice(["Agenda", "Report", "Presentations", "Concept note"]),
                url=f"https://documents.example.org/activities/{i + 1}/{n + 1}.pdf",
                order=n,
            )
            row.children.append(("activity_id", Row(document)))
        return row

    def build_best_practice(self, i: int, rng: random.Random) -> Row:
        ref = self.ref
        language = weighted(
            rng, [(Language.ENGLISH, 85), (Language.VIETNAMESE, 10), (None, 5)]
        ) or rng.choice(OTHER_LANGUAGES)
        writer = Writer(rng, i, vietnamese=language == Language.VIETNAMESE)
        area = (
            rng.choice(ref.protected_areas) if ref.protected_areas and rng.random() < 0.8 else None
        )
        countries = {area[1]} if area else set()
        if not area or rng.random() < 0.2:
            countries.add(self.pick_country(rng)[1])
        organizations = [pk for pk, _country in ref.organizations]
        if is_published(i):
            status = BestPractice.Status.PUBLISHED
        else:
            status = [
                BestPractice.Status.DRAFT,
                BestPractice.Status.SUBMITTED,
                BestPractice.Status.CHANGES_REQUESTED,
                BestPractice.Status.SUBMITTED,
                BestPractice.Status.ARCHIVED,
            ][share_bucket(i) - UNPUBLISHED_BUCKETS.start]
        published_at = (
            random_moment(rng, 2014, 2025)
            if status in (BestPractice.Status.PUBLISHED, BestPractice.Status.ARCHIVED)
            else None
        )
        practice = BestPractice(
            title=writer.title(),
            summary=writer.marked_text(200, 400),
            context=writer.text(300, 700),
            challenge_description=writer.text(200, 600),
            impacts=writer.text(200, 600),
            lessons_learned=writer.text(200, 500),
            protected_area_id=area[0] if area else None,
            language=language,
            contributors=", ".join(rng.sample(PERSON_NAMES, rng.randint(1, 3))),
            organization_id=rng.choice(organizations)
            if organizations and rng.random() < 0.7
            else None,
            status=status,
            visibility=visibility_of(i),
            is_featured=status == BestPractice.Status.PUBLISHED and i % 500 == 1,
            published_at=published_at,
        )
        if status != BestPractice.Status.DRAFT:  # in review since 2023, or when published
            practice.submitted_at = published_at or random_moment(rng, 2023, 2025)
        blocks = [
            (
                "best_practice_id",
                Row(
                    BuildingBlock(
                        order=n,
                        title=writer.title(),
                        description=writer.text(200, 500),
                        enabling_factors=writer.text(100, 300),
                        lessons_learned=writer.text(100, 300),
                    )
                ),
            )
            for n in range(rng.randint(2, 3))
        ]
        return Row(
            practice,
            m2m={
                "countries": sorted(countries),
                "themes": some(rng, ref.themes, 1, 4),
                "ecosystems": some(rng, ref.ecosystems, 1, 3),
                "challenges": some(rng, ref.challenges, 1, 3),
                "gbf_targets": some(rng, ref.gbf_targets, 1, 4),
            },
            children=blocks,
        )

    def build_resource(self, i: int, rng: random.Random) -> Row:
        ref = self.ref
        kind = weighted(rng, RESOURCE_KIND_WEIGHTS)
        # Translations point to resources of earlier chunks (their ids are known).
        earlier = ref.resources[: min(len(ref.resources), i)]
        translation_of = rng.choice(earlier) if earlier and rng.random() < 0.05 else None
        language = (
            rng.choice([Language.VIETNAMESE, Language.THAI, Language.CHINESE, Language.KHMER])
            if translation_of
            else weighted(rng, [(Language.ENGLISH, 90), (Language.VIETNAMESE, 10)])
        )
        writer = Writer(rng, i, vietnamese=language == Language.VIETNAMESE)
        label = Resource.Kind(kind).label
        resource = Resource(
            kind=kind,
            title=f"{label}: {rng.choice(TOPICS)} in {rng.choice(PLACES)} ({i + 1})",
            authors=", ".join(rng.sample(PERSON_NAMES, rng.randint(1, 4))),
            publisher=rng.choice(PUBLISHERS),
            year=rng.randint(2005, 2025),
            language=language,
            translation_of_id=translation_of,
            url=f"https://publications.example.org/resources/{i + 1}.pdf",
            summary=writer.marked_text(300, 1_200),
            work_area_id=rng.choice(ref.work_areas) if rng.random() < 0.6 else None,
            visibility=visibility_of(i),
        )
        return Row(
            resource,
            m2m={
                "themes": some(rng, ref.themes, 1, 3),
                "gbf_targets": some(rng, ref.gbf_targets, 0, 3),
            },
        )

    def build_story(self, i: int, rng: random.Random) -> Row:
        ref = self.ref
        language = weighted(rng, [(Language.ENGLISH, 90), (Language.VIETNAMESE, 10)])
        writer = Writer(rng, i, vietnamese=language == Language.VIETNAMESE)
        story = Story(
            kind=weighted(
                rng,
                [(Story.Kind.NEWS, 60), (Story.Kind.FEATURE, 30), (Story.Kind.STATEMENT, 10)],
            ),
            title=writer.title(),
            lead=writer.text(200, 400),
            body=writer.marked_text(1_000, 2_800),
            language=language,
            work_area_id=rng.choice(ref.work_areas) if rng.random() < 0.8 else None,
            related_activity_id=rng.choice(ref.activities)
            if ref.activities and rng.random() < 0.3
            else None,
            visibility=visibility_of(i),
            published_at=random_moment(rng, 2014, 2025) if is_published(i) else None,
        )
        return Row(story)

    # -- the Vietnamese translation of a row of each table ------------------------------

    def build_work_area_translation(self, original: Original, rng: random.Random) -> Row | None:
        if original.key not in WORK_AREAS_VI:
            return None  # not a work area of the data migrations: no words for it
        name, summary = WORK_AREAS_VI[original.key]
        description = VietnameseWriter(rng, original.index).text(300, 600)
        return Row(
            original.translation(
                WorkAreaTranslation, name=name, summary=summary, description=description
            )
        )

    def build_focal_activity_translation(
        self, original: Original, rng: random.Random
    ) -> Row | None:
        if original.key not in FOCAL_ACTIVITIES_VI:
            return None
        description = FOCAL_ACTIVITIES_VI[original.key]
        return Row(original.translation(FocalActivityTranslation, description=description))

    def build_gbf_target_translation(self, original: Original, rng: random.Random) -> Row | None:
        number = int(original.key)
        if not 1 <= number <= len(GBF_TARGETS_VI):
            return None
        title = GBF_TARGETS_VI[number - 1]
        return Row(original.translation(GbfTargetTranslation, short_title=title))

    def build_activity_translation(self, original: Original, rng: random.Random) -> Row:
        writer = VietnameseWriter(rng, original.index)
        title = f"{rng.choice(TRANSLATED_TOPICS)} tại {rng.choice(VIETNAMESE_PLACES)}"
        translation = original.translation(
            ActivityTranslation,
            title=title,
            summary=writer.marked_text(150, 300),
            body=writer.text(800, 2_200),
            outcomes=writer.text(200, 500),
        )
        return Row(translation)

    def build_best_practice_translation(self, original: Original, rng: random.Random) -> Row:
        writer = VietnameseWriter(rng, original.index)
        translation = original.translation(
            BestPracticeTranslation,
            title=writer.title(),
            summary=writer.marked_text(200, 400),
            context=writer.text(300, 700),
            challenge_description=writer.text(200, 600),
            impacts=writer.text(200, 600),
            lessons_learned=writer.text(200, 500),
        )
        # Written in bulk, without BuildingBlockTranslation.save(): its language and
        # status are the practice translation's, set here as save() would.
        blocks = [
            (
                "practice_translation_id",
                Row(
                    BuildingBlockTranslation(
                        original_id=block,
                        language=translation.language,
                        status=translation.status,
                        source_digest=original.source_digest(digest, part=f"/{block}"),
                        title=writer.block_title(),
                        description=writer.text(200, 500),
                        enabling_factors=writer.text(100, 300),
                        lessons_learned=writer.text(100, 300),
                    )
                ),
            )
            for block, digest in self.building_blocks.get(original.pk, [])
        ]
        return Row(translation, children=blocks)

    def build_story_translation(self, original: Original, rng: random.Random) -> Row:
        writer = VietnameseWriter(rng, original.index)
        translation = original.translation(
            StoryTranslation,
            title=writer.title(),
            lead=writer.text(200, 400),
            body=writer.marked_text(1_000, 2_800),
        )
        return Row(translation)


SCALE_STATISTICS_AS_OF = datetime.date(2026, 5, 1)


def country_statistics(country: Country, seed: int) -> CountryStatistics:
    """A country's made-up coverage: land and sea, protected areas alone and with OECMs."""
    rng = random.Random(f"{seed}-statistics-{country.iso3}")
    land = Decimal(rng.randint(5_000, 3_000_000))
    sea = Decimal(rng.choice([0, rng.randint(1_000, 2_000_000)]))
    land_share = Decimal(rng.uniform(1, 55)).quantize(Decimal("0.01"))
    sea_share = Decimal(rng.uniform(0, 40) if sea else 0).quantize(Decimal("0.01"))
    with_oecms = Decimal(rng.uniform(0, 5)).quantize(Decimal("0.01"))

    def part(whole: Decimal, share: Decimal) -> Decimal:
        return (whole * share / 100).quantize(Decimal("0.01"))

    land_oecm = min(land_share + with_oecms, Decimal(100))
    sea_oecm = min(sea_share + with_oecms, Decimal(100)) if sea else Decimal(0)
    return CountryStatistics(
        country=country,
        land_area_km2=land,
        marine_area_km2=sea,
        pa_land_area_km2=part(land, land_share),
        pa_marine_area_km2=part(sea, sea_share),
        pa_land_percent=land_share,
        pa_marine_percent=sea_share,
        oecm_pa_land_area_km2=part(land, land_oecm),
        oecm_pa_marine_area_km2=part(sea, sea_oecm),
        oecm_pa_land_percent=land_oecm,
        oecm_pa_marine_percent=sea_oecm,
        as_of=SCALE_STATISTICS_AS_OF,
    )


def synthetic(model: type[models.Model]) -> models.QuerySet:
    """The synthetic rows of a model (their slugs start with `scale-`)."""
    return model._default_manager.filter(slug__startswith=SLUG_PREFIX)


def synthetic_counts() -> dict[str, int]:
    """How many synthetic rows each table holds."""
    return {
        "organizations": synthetic(Organization).count(),
        "protected_areas": synthetic(ProtectedArea).count(),
        "transboundary_areas": synthetic(TransboundaryArea).count(),
        "activities": synthetic(Activity).count(),
        "best_practices": synthetic(BestPractice).count(),
        "resources": synthetic(Resource).count(),
        "stories": synthetic(Story).count(),
    }


def translation_counts() -> dict[str, dict[str, int]]:
    """The Vietnamese translations of each table: published and up to date, drafts, and
    published but out of date (the original changed after)."""
    models_ = {
        "work_areas": WorkAreaTranslation,
        "focal_activities": FocalActivityTranslation,
        "gbf_targets": GbfTargetTranslation,
        "activities": ActivityTranslation,
        "best_practices": BestPracticeTranslation,
        "stories": StoryTranslation,
    }
    published = Q(status=TranslationStatus.PUBLISHED)
    current = Q(source_digest=F("original__translation_source"))
    return {
        name: model._default_manager.filter(language=VIETNAMESE).aggregate(
            published=Count("pk", filter=published & current),
            draft=Count("pk", filter=Q(status=TranslationStatus.DRAFT)),
            out_of_date=Count("pk", filter=published & ~current),
        )
        for name, model in models_.items()
    }


def vacuum_analyze(models_: Iterable[type[models.Model]]) -> float:
    """VACUUM (ANALYZE) the tables written, as autovacuum would after a bulk load: fresh
    statistics for the planner, the visibility map for index-only scans, and the GIN
    indexes' pending lists merged. Returns the seconds it took."""
    tables = set()
    for model in models_:
        tables.add(model._meta.db_table)
        for relation in model._meta.local_many_to_many:
            tables.add(relation.remote_field.through._meta.db_table)
        for related in model._meta.related_objects:
            if related.one_to_many or related.one_to_one:
                tables.add(related.related_model._meta.db_table)
    started = time.perf_counter()
    quoted = ", ".join(connection.ops.quote_name(table) for table in sorted(tables))
    with connection.cursor() as cursor:
        # VACUUM cannot run in a transaction (tests run in one): ANALYZE alone there.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        cursor.execute(f"{command} {quoted}")
    return time.perf_counter() - started
