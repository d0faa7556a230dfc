"""Reference data of the activities section: APAP's three work areas and their focal
activities, as the partnership describes them. Shipped by a data migration; editable
in the admin afterwards."""

WORK_AREAS = [
    (
        "knowledge-capacity",
        "Knowledge sharing and capacity building",
        [
            "Encourage the protected-area community of the region to share best practices.",
            "Organise training and capacity-development courses with protected-area agencies "
            "worldwide, the IUCN World Commission on Protected Areas (WCPA), academic and "
            "training institutions and other organisations.",
            "Promote access to information and guidance on protected areas.",
        ],
    ),
    (
        "transboundary-cooperation",
        "Transboundary and regional cooperation",
        [
            "Organise experience-sharing opportunities for members to learn through "
            "transboundary cooperation.",
            "Organise workshops and trainings on transboundary approaches to protected-area "
            "management.",
            "Disseminate the WCPA Best Practice Guidelines on transboundary protected areas.",
            "Facilitate dialogue between countries wishing to explore transboundary cooperation.",
            "Support the development of funding proposals for transboundary/regional projects "
            "and initiatives.",
        ],
    ),
    (
        "awareness-advocacy",
        "Awareness raising and policy advocacy",
        [
            "Facilitate studies that highlight the economic and other benefits of protected "
            "areas, and disseminate their results.",
            "Strengthen the voice of Asia's protected-area community at regional and global "
            "policy forums such as the Convention on Biological Diversity (CBD).",
        ],
    ),
]
