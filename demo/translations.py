"""Demo data in Vietnamese: the records a Vietnamese reader of the demo finds translated
(sources: docs/demo-data.md).

The Vietnamese follows the partnership's own description in Vietnamese (its wording for
the purpose, the three work areas and their focal activities, and the cooperation with
Viet Nam's NBCA in the first half of 2023), and translates the demo's English text
elsewhere. Translated: the three work areas and all their focal activities; NBCA's
description and the activity NBCA took part in (the 7th Partnership Forum, Dehradun,
April 2023); two stories; two best practices with all their building blocks. Everything
else stays in English, to show the fallback.

Every translation is published and follows its original's current text (the loaders
before this one have just brought the originals to the demo's English). Like the other
loaders, `load_translations_demo()` writes only what is missing or differs: a second
run changes nothing.
"""

from __future__ import annotations

from typing import Any, TextIO

from django.core.management.base import CommandError
from django.db import models, transaction

from activities.models import (
    Activity,
    ActivityTranslation,
    FocalActivityTranslation,
    WorkArea,
    WorkAreaTranslation,
)
from apap_portal.translations.models import Translation, TranslationStatus
from demo.activities import KNOWLEDGE, TRANSBOUNDARY
from demo.members import MIGRATE_FIRST, NBCA, DemoLoader, finder
from knowledge.models import (
    BestPractice,
    BestPracticeTranslation,
    BuildingBlockTranslation,
    Story,
    StoryTranslation,
)
from members.models import Organization, OrganizationTranslation

VIETNAMESE = "vi"
PUBLISHED = TranslationStatus.PUBLISHED
ADVOCACY = "awareness-advocacy"
DEHRADUN_MEETINGS = (
    "technical-and-steering-committee-meetings-moving-towards-implementation-of-target-3-2023"
)
DEHRADUN_STORY = "moving-towards-implementation-of-target-3-in-dehradun"
GBF_STATEMENT = "protected-areas-at-the-heart-of-the-global-biodiversity-framework"
SUNDARBANS = "transboundary-cooperation-for-the-sundarbans"
OECMS = "recognising-other-effective-area-based-conservation-measures-oecms"
LOAD_THE_DEMO_FIRST = "the demo loaders before this one load it"

# The work areas' summary and description in English. The reference data (a migration)
# ships their names and focal activities only; the demo gives them the text of their
# pages, from the partnership's description of its priorities.
WORK_AREA_TEXT: dict[str, dict[str, str]] = {
    KNOWLEDGE: {
        "summary": (
            "Promoting best practices and innovative solutions to the challenges that the "
            "region's protected areas face, through knowledge sharing and capacity building."
        ),
        "description": (
            "APAP helps the protected-area community of Asia learn from one another. Members "
            "share what has worked in their protected areas, take part in training and "
            "capacity-development courses organised with protected-area agencies worldwide, "
            "the IUCN World Commission on Protected Areas (WCPA), academic and training "
            "institutions and other organisations, and gain access to information and "
            "guidance on protected areas."
        ),
    },
    TRANSBOUNDARY: {
        "summary": "Strengthening transboundary and regional cooperation.",
        "description": (
            "Many of Asia's ecosystems cross national borders. APAP gives its members "
            "opportunities to learn from one another's transboundary cooperation, organises "
            "workshops and trainings on transboundary approaches to protected-area "
            "management, disseminates the WCPA Best Practice Guidelines on transboundary "
            "protected areas, facilitates dialogue between countries wishing to explore "
            "transboundary cooperation, and supports the development of funding proposals "
            "for transboundary and regional projects and initiatives."
        ),
    },
    ADVOCACY: {
        "summary": (
            "Raising awareness of the benefits of Asia's protected areas, within the region "
            "and beyond."
        ),
        "description": (
            "APAP facilitates studies that highlight the economic and other benefits of "
            "protected areas and helps make sure that their results are widely known. It "
            "strengthens the voice of Asia's protected-area community at regional and global "
            "policy forums such as the Convention on Biological Diversity (CBD)."
        ),
    },
}

# Each work area in Vietnamese, with its focal activities in their order.
WORK_AREAS_VI: dict[str, dict[str, Any]] = {
    KNOWLEDGE: {
        "name": "Chia sẻ kiến thức và xây dựng năng lực",
        "summary": (
            "Thúc đẩy các thực tiễn tốt nhất và các giải pháp sáng tạo để giải quyết những "
            "thách thức mà các khu bảo tồn trong khu vực phải đối mặt, thông qua chia sẻ kiến "
            "thức và xây dựng năng lực."
        ),
        "description": (
            "APAP giúp cộng đồng các khu bảo tồn ở châu Á học hỏi lẫn nhau. Các thành viên "
            "chia sẻ những cách làm đã thành công tại các khu bảo tồn của mình, tham gia các "
            "khóa đào tạo và phát triển năng lực được tổ chức cùng các cơ quan về khu bảo tồn "
            "trên thế giới, Ủy ban Thế giới về các Khu bảo tồn (WCPA) của IUCN, các cơ sở học "
            "thuật và đào tạo cũng như các tổ chức khác, và được tiếp cận thông tin và hướng "
            "dẫn về khu bảo tồn."
        ),
        "focal_activities": [
            "Khuyến khích cộng đồng các khu bảo tồn trong khu vực chia sẻ những thực tiễn tốt "
            "nhất.",
            "Tổ chức các khóa đào tạo và phát triển năng lực, hợp tác với các cơ quan về khu "
            "bảo tồn trên thế giới, Ủy ban Thế giới về các Khu bảo tồn (WCPA) của IUCN, các cơ "
            "sở học thuật và đào tạo cũng như các tổ chức khác.",
            "Thúc đẩy khả năng tiếp cận thông tin và hướng dẫn về khu bảo tồn.",
        ],
    },
    TRANSBOUNDARY: {
        "name": "Hợp tác xuyên biên giới và khu vực",
        "summary": "Tăng cường hợp tác xuyên biên giới và khu vực.",
        "description": (
            "Nhiều hệ sinh thái ở châu Á trải dài qua biên giới quốc gia. APAP tạo cơ hội để "
            "các thành viên học hỏi kinh nghiệm hợp tác xuyên biên giới của nhau, tổ chức các "
            "hội thảo, đào tạo về các phương pháp tiếp cận xuyên biên giới trong quản lý khu "
            "bảo tồn, phổ biến rộng rãi Hướng dẫn thực hành tốt nhất của WCPA về các khu bảo "
            "tồn xuyên biên giới, tạo điều kiện thuận lợi cho đối thoại giữa các quốc gia mong "
            "muốn khám phá tiềm năng hợp tác xuyên biên giới, và hỗ trợ xây dựng các đề xuất "
            "tài trợ cho các dự án và sáng kiến xuyên biên giới và khu vực."
        ),
        "focal_activities": [
            "Tổ chức các cơ hội chia sẻ kinh nghiệm để các thành viên APAP học hỏi thông qua "
            "các hợp tác xuyên biên giới.",
            "Tổ chức các hội thảo, đào tạo về các phương pháp tiếp cận xuyên biên giới trong "
            "quản lý khu bảo tồn.",
            "Phổ biến rộng rãi Hướng dẫn thực hành tốt nhất của WCPA về các khu bảo tồn xuyên "
            "biên giới.",
            "Tạo điều kiện thuận lợi cho đối thoại giữa các quốc gia mong muốn khám phá tiềm "
            "năng hợp tác xuyên biên giới.",
            "Hỗ trợ xây dựng các đề xuất tài trợ cho các dự án và sáng kiến xuyên biên giới/"
            "khu vực.",
        ],
    },
    ADVOCACY: {
        "name": "Nâng cao nhận thức và vận động chính sách",
        "summary": (
            "Nâng cao nhận thức về các lợi ích của các khu bảo tồn ở châu Á, cả trong và ngoài "
            "khu vực."
        ),
        "description": (
            "APAP tạo điều kiện thuận lợi cho các nghiên cứu nêu bật lợi ích kinh tế và các lợi "
            "ích khác của các khu bảo tồn, đồng thời giúp đảm bảo rằng các kết quả được phổ "
            "biến rộng rãi. APAP tăng cường tiếng nói của cộng đồng các khu bảo tồn châu Á tại "
            "các diễn đàn chính sách khu vực và toàn cầu như Công ước về Đa dạng sinh học "
            "(CBD)."
        ),
        "focal_activities": [
            "Tạo điều kiện thuận lợi cho các nghiên cứu nêu bật lợi ích kinh tế và các lợi ích "
            "khác của các khu bảo tồn, đồng thời giúp đảm bảo rằng các kết quả được phổ biến "
            "rộng rãi.",
            "Tăng cường tiếng nói của cộng đồng các khu bảo tồn châu Á tại các diễn đàn chính "
            "sách khu vực và toàn cầu như Công ước về Đa dạng sinh học (CBD).",
        ],
    },
}

ORGANIZATIONS_VI: dict[str, dict[str, str]] = {
    NBCA: {
        "description": (
            "Cơ quan quốc gia của Việt Nam về bảo tồn thiên nhiên và đa dạng sinh học, đối tác "
            "hợp tác của Ban thư ký Đối tác các khu bảo tồn châu Á (APAP). Tháng 4 năm 2023, "
            "Cục đã cùng Ban thư ký tham gia các cuộc họp tại Dehradun, Ấn Độ, nhằm thảo luận "
            "những đóng góp của APAP cho Khung Đa dạng sinh học toàn cầu Côn Minh – Montreal."
        ),
    },
}

# Every demo activity NBCA took part in.
ACTIVITIES_VI: dict[str, dict[str, str]] = {
    DEHRADUN_MEETINGS: {
        "title": "Cuộc họp kỹ thuật và cuộc họp Ban chỉ đạo: “Hướng tới thực hiện Mục tiêu 3”",
        "summary": (
            "Cuộc họp kỹ thuật và cuộc họp Ban chỉ đạo tại Dehradun về việc hướng tới thực hiện "
            "Mục tiêu 3 của GBF, với sự tham gia của 35 đại biểu đến từ 13 quốc gia."
        ),
        "body": (
            "Từ ngày 27 đến ngày 29 tháng 4 năm 2023, 35 đại biểu đến từ 13 quốc gia đã họp tại "
            "Dehradun, Ấn Độ, trong cuộc họp kỹ thuật và cuộc họp Ban chỉ đạo **Hướng tới thực "
            "hiện Mục tiêu 3** của Khung Đa dạng sinh học toàn cầu Côn Minh – Montreal: bảo tồn "
            "30% diện tích đất liền, vùng nước và biển. Các cuộc họp do Văn phòng khu vực châu "
            "Á của IUCN, Bộ Môi trường, Rừng và Biến đổi khí hậu Ấn Độ và Viện Động vật hoang "
            "dã Ấn Độ tổ chức. Ban thư ký APAP đã phối hợp với Cục Bảo tồn thiên nhiên và Đa "
            "dạng sinh học (NBCA) của Việt Nam tham gia nhằm thảo luận những đóng góp của APAP "
            "cho GBF. Các cuộc họp này còn được gọi là Diễn đàn Đối tác lần thứ 7."
        ),
    },
}

STORIES_VI: dict[str, dict[str, str]] = {
    DEHRADUN_STORY: {
        "title": "Diễn đàn Đối tác lần thứ 7 tại Dehradun: hướng tới thực hiện Mục tiêu 3",
        "lead": (
            "Ba mươi lăm đại biểu đến từ 13 quốc gia đã gặp nhau tại Dehradun, Ấn Độ, từ ngày "
            "27 đến ngày 29 tháng 4 năm 2023 trong cuộc họp kỹ thuật và cuộc họp Ban chỉ đạo "
            "của APAP với chủ đề “Hướng tới thực hiện Mục tiêu 3”."
        ),
        "body": (
            "Mục tiêu 3 của Khung Đa dạng sinh học toàn cầu Côn Minh – Montreal, được thông qua "
            "vào tháng 12 năm 2022, yêu cầu các quốc gia bảo tồn 30% diện tích đất liền, vùng "
            "nước và biển vào năm 2030 thông qua các khu bảo tồn và các biện pháp bảo tồn hiệu "
            "quả khác dựa trên diện tích (OECM). Tại Dehradun, các thành viên APAP đã thảo luận "
            "cách chuyển từ mục tiêu sang hành động thực hiện.\n\n"
            "Các cuộc họp, còn được gọi là Diễn đàn Đối tác lần thứ 7, do Văn phòng khu vực châu "
            "Á của IUCN, Bộ Môi trường, Rừng và Biến đổi khí hậu Ấn Độ (Đồng Chủ tịch quốc gia "
            "của APAP) và Viện Động vật hoang dã Ấn Độ tổ chức. Ban thư ký APAP đã phối hợp với "
            "Cục Bảo tồn thiên nhiên và Đa dạng sinh học (NBCA) của Việt Nam tham gia nhằm thảo "
            "luận những đóng góp của Đối tác cho Khung Đa dạng sinh học toàn cầu."
        ),
    },
    GBF_STATEMENT: {
        "title": "Các khu bảo tồn là trọng tâm của Khung Đa dạng sinh học toàn cầu",
        "lead": (
            "Khung Đa dạng sinh học toàn cầu Côn Minh – Montreal kêu gọi thế giới bảo tồn 30% "
            "diện tích đất liền, vùng nước và biển vào năm 2030. Các cơ quan quản lý khu bảo "
            "tồn ở châu Á có thể biến mục tiêu đó thành hiện thực: với những khu bảo tồn được "
            "quản lý tốt và quản trị công bằng, với các OECM, và bằng cách cùng nhau hợp tác "
            "vượt qua biên giới."
        ),
        "body": (
            "Các khu bảo tồn là xương sống của công tác bảo tồn đa dạng sinh học ở châu Á. "
            "Chúng bảo tồn các loài và hệ sinh thái, cung cấp nước sạch và bảo vệ con người "
            "trước thiên tai.\n\n"
            "Mục tiêu 3 của Khung Đa dạng sinh học toàn cầu trông cậy vào các khu bảo tồn, "
            "nhưng chỉ riêng diện tích là chưa đủ. Mục tiêu này đòi hỏi các khu vực được *bảo "
            "tồn và quản lý hiệu quả*, *có tính đại diện về mặt sinh thái*, *được kết nối tốt* "
            "và *được quản trị công bằng*. Vì vậy, APAP kêu gọi:\n\n"
            "1. **Quản lý hiệu quả**: được đánh giá một cách trung thực, chẳng hạn theo tiêu "
            "chuẩn Danh lục Xanh của IUCN, và được cải thiện ở những mặt còn thiếu sót.\n"
            "2. **Quản trị công bằng**: cùng với các cộng đồng sống trong và xung quanh các khu "
            "bảo tồn, và công nhận các biện pháp bảo tồn hiệu quả khác dựa trên diện tích "
            "(OECM) ở những nơi thực sự bảo tồn được đa dạng sinh học.\n"
            "3. **Kết nối xuyên biên giới**: hợp tác xuyên biên giới vì các hệ sinh thái mà "
            "các quốc gia cùng chia sẻ.\n"
            "4. **Năng lực**: các hội thảo, chương trình trao đổi cán bộ và tài liệu hướng dẫn "
            "bằng các ngôn ngữ châu Á, để những người quản lý khu bảo tồn có được những gì họ "
            "cần.\n\n"
            "APAP sẽ tiếp tục đưa tiếng nói của cộng đồng các khu bảo tồn châu Á đến các diễn "
            "đàn khu vực và toàn cầu như Công ước về Đa dạng sinh học."
        ),
    },
}

# Each best practice in Vietnamese, with its building blocks in their order.
BEST_PRACTICES_VI: dict[str, dict[str, Any]] = {
    SUNDARBANS: {
        "title": "Hợp tác xuyên biên giới vì rừng Sundarbans",
        "summary": (
            "Rừng ngập mặn Sundarbans là một hệ sinh thái duy nhất mà Bangladesh và Ấn Độ cùng "
            "chia sẻ. Các khu bảo tồn ở mỗi bên có thể trao đổi, giám sát và lập kế hoạch như "
            "trên một cảnh quan thống nhất, trong khi mỗi quốc gia quản lý phần của mình. Hướng "
            "dẫn của WCPA về bảo tồn xuyên biên giới, được APAP dịch sang các ngôn ngữ châu Á, "
            "cung cấp một khuôn khổ cho việc này."
        ),
        "context": (
            "Sundarbans, nơi các sông Hằng, Brahmaputra và Meghna đổ ra Vịnh Bengal, là khu "
            "rừng ngập mặn liền khối lớn nhất thế giới. Phần thuộc Bangladesh bao gồm Khu rừng "
            "dự trữ Sundarbans; phần thuộc Ấn Độ, ở bang Tây Bengal, bao gồm Vườn quốc gia "
            "Sundarbans. Hổ, cá và thủy triều không dừng lại ở đường biên giới."
        ),
        "challenge_description": (
            "Hai bộ máy quản lý, hai hệ thống pháp luật và dữ liệu khác nhau khiến việc nắm bắt "
            "hiện trạng của một hệ sinh thái chung trở nên khó khăn. Nước biển dâng, bão, dòng "
            "chảy sông thay đổi và tội phạm về động vật hoang dã đều vượt qua biên giới."
        ),
        "impacts": (
            "Các nhà quản lý ở mỗi bên biết rõ những người đồng cấp bên kia và có thể so sánh "
            "những gì họ quan sát được: đó là nền tảng để xây dựng kế hoạch chung."
        ),
        "lessons_learned": (
            "- Bắt đầu bằng các trao đổi kỹ thuật giữa các nhà quản lý; các thỏa thuận chính "
            "thức sẽ đến sau khi đã có sự tin cậy.\n"
            "- Thống nhất các phương pháp chung trước khi so sánh dữ liệu.\n"
            "- Sử dụng hướng dẫn của WCPA về bảo tồn xuyên biên giới làm ngôn ngữ chung."
        ),
        "building_blocks": [
            {
                "title": "Trao đổi thường xuyên giữa các nhà quản lý của hai bên",
                "description": (
                    "Các nhà quản lý và cán bộ hiện trường của các khu bảo tồn ở mỗi bên gặp "
                    "nhau thường xuyên để chia sẻ những gì họ quan sát được và những gì họ dự "
                    "định thực hiện."
                ),
                "enabling_factors": "Sự ủng hộ của chính phủ hai nước đối với hợp tác kỹ thuật.",
                "lessons_learned": (
                    "Các mối liên hệ cá nhân giúp duy trì hợp tác giữa các cuộc họp."
                ),
            },
            {
                "title": "Giám sát tương thích",
                "description": (
                    "Thống nhất các phương pháp giám sát hổ, rừng ngập mặn và nguồn nước, để có "
                    "thể tổng hợp kết quả của cả hai bên."
                ),
                "lessons_learned": (
                    "Việc thống nhất phương pháp mất nhiều thời gian hơn việc thu thập dữ liệu."
                ),
            },
            {
                "title": "Một khuôn khổ chung từ hướng dẫn của WCPA",
                "description": (
                    "Ấn phẩm *“Bảo tồn xuyên biên giới: Một cách tiếp cận có hệ thống và tổng "
                    "hợp”* (Transboundary Conservation: A systematic and integrated approach, "
                    "Hướng dẫn thực hành tốt nhất về khu bảo tồn của WCPA, số 23) trình bày cách "
                    "đánh giá tính khả thi của hợp tác và cách thống nhất các mục tiêu của hợp "
                    "tác, đồng thời cung cấp cho cả hai bên một hệ thống thuật ngữ chung."
                ),
            },
        ],
    },
    OECMS: {
        "title": "Công nhận các biện pháp bảo tồn hiệu quả khác dựa trên diện tích (OECM)",
        "summary": (
            "Phần lớn đa dạng sinh học của châu Á tồn tại bên ngoài các khu bảo tồn, tại những "
            "nơi được quản trị và quản lý theo cách giúp bảo tồn đa dạng sinh học lâu dài. Các "
            "cơ quan có thể công nhận những nơi này là OECM, theo định nghĩa của Công ước về Đa "
            "dạng sinh học năm 2018, và tính chúng vào Mục tiêu 3 của Khung Đa dạng sinh học "
            "toàn cầu. APAP đã thảo luận về cách tiếp cận này trong một hội thảo trực tuyến và "
            "một hội thảo kỹ thuật năm 2020."
        ),
        "context": (
            "Rừng cộng đồng, các địa điểm thiên nhiên linh thiêng, các khu bảo vệ đầu nguồn và "
            "một số khu vực được quản lý vì các mục đích khác có thể bảo tồn đa dạng sinh học "
            "mà không phải là khu bảo tồn."
        ),
        "challenge_description": (
            "Nếu không được công nhận, những khu vực này và những người chăm lo cho chúng sẽ "
            "không xuất hiện trong báo cáo quốc gia và có thể không nhận được hỗ trợ nào. Nếu "
            "công nhận thiếu thận trọng, OECM sẽ tính cả những khu vực trên thực tế không bảo "
            "tồn được đa dạng sinh học."
        ),
        "impacts": (
            "Các cơ quan thực hiện đầy đủ các bước sẽ có cái nhìn rõ hơn về công tác bảo tồn "
            "diễn ra bên ngoài hệ thống khu bảo tồn của mình, và về những ai thực hiện công "
            "tác đó."
        ),
        "lessons_learned": (
            "- Bắt đầu từ những người quản trị khu vực: việc công nhận cần có sự đồng thuận "
            "của họ.\n"
            "- Áp dụng các tiêu chí một cách trung thực: không phải khu vực có thiện chí nào "
            "cũng là OECM.\n"
            "- OECM bổ sung cho các khu bảo tồn, không thay thế chúng."
        ),
        "building_blocks": [
            {
                "title": "Xác định các địa điểm tiềm năng",
                "description": (
                    "Lập danh sách và bản đồ các khu vực bên ngoài khu bảo tồn có thể mang lại "
                    "hiệu quả bảo tồn lâu dài, cùng với các cơ quan và cộng đồng quản trị những "
                    "khu vực đó."
                ),
                "enabling_factors": (
                    "Thông tin về sử dụng đất và quản trị, cùng quan hệ làm việc với các cơ quan "
                    "của những ngành khác."
                ),
            },
            {
                "title": "Đánh giá từng địa điểm theo các tiêu chí của CBD",
                "description": (
                    "Kiểm tra để bảo đảm địa điểm không phải là khu bảo tồn, có được quản trị và "
                    "quản lý, góp phần bảo tồn đa dạng sinh học tại chỗ một cách bền vững và "
                    "hiệu quả, và xác định những giá trị khác mà địa điểm đó có. Hướng dẫn kỹ "
                    "thuật của IUCN về OECM hỗ trợ cho việc này."
                ),
                "lessons_learned": (
                    "Việc đánh giá là một cuộc đối thoại với những người gìn giữ địa điểm, không "
                    "phải là công việc bàn giấy."
                ),
            },
            {
                "title": "Báo cáo và tiếp tục giám sát",
                "description": (
                    "Báo cáo các OECM đã được công nhận cho Cơ sở dữ liệu thế giới về OECM, bên "
                    "cạnh Cơ sở dữ liệu thế giới về các khu bảo tồn, và tiếp tục kiểm tra để bảo "
                    "đảm chúng vẫn bảo tồn được đa dạng sinh học."
                ),
            },
        ],
    },
}


def translated_values(original: models.Model, text: dict[str, Any]) -> dict[str, str]:
    """The translated fields of `original` from `text`; a field it leaves out is blank."""
    return {field: text.get(field, "") for field in type(original).translated_fields}


def sync_translation(
    loader: DemoLoader,
    label: str,
    model: type[Translation],
    original: models.Model,
    text: dict[str, Any],
) -> Translation:
    """The published Vietnamese translation of `original`, following its current text."""
    following = model(original=original)
    following.follow_original()
    return loader.sync(
        label,
        model,
        {"original": original, "language": VIETNAMESE},
        {
            **translated_values(original, text),
            "status": PUBLISHED,
            "source_digest": following.source_digest,
            "source_version": following.source_version,
        },
    )


@transaction.atomic
def load_translations_demo(stdout: TextIO | None = None) -> dict[str, dict[str, int]]:
    """Load the Vietnamese demo translations; return, per kind of record, how many were
    created, updated and left unchanged. Lines about each change go to `stdout`.

    Runs last: it needs the reference data and every other section's demo records."""
    loader = DemoLoader(stdout)

    for slug, text in WORK_AREA_TEXT.items():
        loader.sync("work areas", WorkArea, {"slug": slug}, text)
    work_area = finder(WorkArea.objects.in_bulk(field_name="slug"), "work area", MIGRATE_FIRST)
    for slug, text in WORK_AREAS_VI.items():
        area = work_area(slug)
        sync_translation(loader, "work area translations", WorkAreaTranslation, area, text)
        focal_activities = list(area.focal_activities.order_by("order", "id"))
        if len(focal_activities) != len(text["focal_activities"]):
            raise CommandError(
                f"The work area {slug} has {len(focal_activities)} focal activities; "
                f"the demo translates {len(text['focal_activities'])}."
            )
        for focal, description in zip(focal_activities, text["focal_activities"], strict=True):
            sync_translation(
                loader,
                "focal activity translations",
                FocalActivityTranslation,
                focal,
                {"description": description},
            )

    organization = finder(
        Organization.objects.in_bulk(field_name="slug"), "organization", LOAD_THE_DEMO_FIRST
    )
    for slug, text in ORGANIZATIONS_VI.items():
        sync_translation(
            loader, "organization translations", OrganizationTranslation, organization(slug), text
        )

    activity = finder(Activity.objects.in_bulk(field_name="slug"), "activity", LOAD_THE_DEMO_FIRST)
    for slug, text in ACTIVITIES_VI.items():
        sync_translation(loader, "activity translations", ActivityTranslation, activity(slug), text)

    story = finder(Story.objects.in_bulk(field_name="slug"), "story", LOAD_THE_DEMO_FIRST)
    for slug, text in STORIES_VI.items():
        sync_translation(loader, "story translations", StoryTranslation, story(slug), text)

    practice = finder(
        BestPractice.objects.in_bulk(field_name="slug"), "best practice", LOAD_THE_DEMO_FIRST
    )
    for slug, text in BEST_PRACTICES_VI.items():
        original = practice(slug)
        practice_translation = sync_translation(
            loader, "best practice translations", BestPracticeTranslation, original, text
        )
        blocks = list(original.building_blocks.order_by("order", "id"))
        if len(blocks) != len(text["building_blocks"]):
            raise CommandError(
                f"The best practice {slug} has {len(blocks)} building blocks; "
                f"the demo translates {len(text['building_blocks'])}."
            )
        for block, block_text in zip(blocks, text["building_blocks"], strict=True):
            loader.sync(
                "building block translations",
                BuildingBlockTranslation,
                {"original": block, "language": VIETNAMESE},
                {
                    **translated_values(block, block_text),
                    "practice_translation": practice_translation,
                    "status": PUBLISHED,
                    "source_digest": block.translation_source,
                },
            )

    return {label: dict(counter) for label, counter in loader.counts.items()}
