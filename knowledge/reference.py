"""Reference data of the knowledge section, shipped by data migrations."""

# The 23 targets of the Kunming-Montreal Global Biodiversity Framework (CBD COP15,
# December 2022), with the short titles the CBD uses; staff may edit them in the admin.
GBF_TARGETS = [
    (1, "Plan and manage all areas to reduce biodiversity loss"),
    (2, "Restore 30% of all degraded ecosystems"),
    (3, "Conserve 30% of land, waters and seas"),
    (4, "Halt species extinction, protect genetic diversity, and manage human-wildlife conflicts"),
    (5, "Ensure sustainable, safe and legal harvesting and trade of wild species"),
    (6, "Reduce the introduction of invasive alien species by 50% and minimize their impact"),
    (7, "Reduce pollution to levels that are not harmful to biodiversity"),
    (8, "Minimize the impacts of climate change on biodiversity and build resilience"),
    (9, "Manage wild species sustainably to benefit people"),
    (
        10,
        "Enhance biodiversity and sustainability in agriculture, aquaculture, fisheries, "
        "and forestry",
    ),
    (11, "Restore, maintain and enhance nature's contributions to people"),
    (12, "Enhance green spaces and urban planning for human well-being and biodiversity"),
    (
        13,
        "Increase the sharing of benefits from genetic resources, digital sequence "
        "information and traditional knowledge",
    ),
    (14, "Integrate biodiversity in decision-making at every level"),
    (15, "Businesses assess, disclose and reduce biodiversity-related risks and negative impacts"),
    (16, "Enable sustainable consumption choices to reduce waste and overconsumption"),
    (17, "Strengthen biosafety and distribute the benefits of biotechnology"),
    (
        18,
        "Reduce harmful incentives by at least $500 billion per year, and scale up positive "
        "incentives for biodiversity",
    ),
    (
        19,
        "Mobilize $200 billion per year for biodiversity from all sources, including "
        "$30 billion through international finance",
    ),
    (
        20,
        "Strengthen capacity-building, technology transfer, and scientific and technical "
        "cooperation for biodiversity",
    ),
    (21, "Ensure that knowledge is available and accessible to guide biodiversity action"),
    (
        22,
        "Ensure participation in decision-making and access to justice and information "
        "related to biodiversity for all",
    ),
    (23, "Ensure gender equality and a gender-responsive approach for biodiversity action"),
]


def gbf_code(number: int) -> str:
    return f"GBF-TARGET-{number:02d}"


# Starting taxonomies of the library, in the words of the protected-area community;
# the secretariat edits them in the admin.
THEMES = [
    "Protected area management planning",
    "Management effectiveness and the IUCN Green List",
    "Collaborative management and governance",
    "Community engagement and livelihoods",
    "Human-wildlife conflict",
    "Sustainable tourism",
    "Transboundary conservation",
    "Other effective area-based conservation measures (OECMs)",
    "Capacity building and staff exchange",
    "Law enforcement and patrolling",
    "Ecological restoration",
    "Climate change adaptation",
    "Sustainable financing",
    "Monitoring and research",
    "Communication and awareness",
]
ECOSYSTEMS = [
    "Tropical forest",
    "Temperate forest",
    "Mountain",
    "Grassland and steppe",
    "Desert",
    "Wetland",
    "Freshwater",
    "Mangrove",
    "Coastal",
    "Coral reef",
    "Marine",
    "Karst and caves",
    "Agricultural landscape",
    "Urban",
]
CHALLENGES = [
    "Habitat loss and fragmentation",
    "Poaching and illegal wildlife trade",
    "Human-wildlife conflict",
    "Unsustainable tourism",
    "Climate change",
    "Invasive species",
    "Pollution",
    "Infrastructure development",
    "Lack of funding",
    "Lack of capacity",
    "Weak governance",
    "Land-use conflicts",
    "Natural disasters",
    "Pandemics and visitor loss",
]
