"""Seed lists, copied verbatim from the two source documents (see ../../data/SOURCES.md).

``load_reference_data`` creates these once; after that they belong to the admins, who may
edit them. Re-running the command never overwrites an edited name.
"""

# Seed 000 ("Har dere gode eksempler på lokale tiltak …"): the four areas of the call.
THEMES = [
    (
        "rekruttering-og-oppfolging",
        "rekruttering og oppfølging av frivillige og nye frivillighetsformer",
        "recruiting and following up volunteers, and new forms of volunteering",
    ),
    (
        "samspill-og-samarbeid",
        "samspill og samarbeid mellom frivillig sektor og kommunen",
        "interplay and cooperation between the voluntary sector and the municipality",
    ),
    (
        "organisering-og-koordinering",
        "organisering og koordinering av frivillig innsats",
        "organising and coordinating voluntary effort",
    ),
    (
        "rammebetingelser",
        "rammebetingelser som stimulerer til utvikling og innovasjon",
        "framework conditions that stimulate development and innovation",
    ),
]

# Seed 004, "Fokusområder".
FOCUS_AREAS = [
    ("barn-og-unge", "Barn og unge", "Children and young people"),
    ("integrering-og-inkludering", "Integrering og inkludering", "Integration and inclusion"),
    ("utjevne-sosiale-helseforskjeller", "Utjevne sosiale helseforskjeller", "Reducing social inequalities in health"),
    ("motvirke-fattigdom", "Motvirke fattigdom", "Counteracting poverty"),
    ("fysisk-aktivitet", "Fysisk aktivitet", "Physical activity"),
    ("sunn-mat", "Sunn mat", "Healthy food"),
    ("tobakk-og-rusforebygging", "Tobakk – og rus forebygging", "Tobacco and substance-use prevention"),
    ("grupper-som-faller-utenfor", "Grupper som faller utenfor", "Groups that fall outside"),
]

# Seed 000: "mennesker med rus- og psykisk helseutfordringer, personer med kroniske lidelser,
# eldre, innvandrergrupper og utsatte barn og unge".
TARGET_GROUPS = [
    (
        "rus-og-psykisk-helse",
        "Mennesker med rus- og psykisk helseutfordringer",
        "People with substance-use and mental-health challenges",
    ),
    ("kroniske-lidelser", "Personer med kroniske lidelser", "People with chronic illness"),
    ("eldre", "Eldre", "Older people"),
    ("innvandrergrupper", "Innvandrergrupper", "Immigrant groups"),
    ("utsatte-barn-og-unge", "Utsatte barn og unge", "Vulnerable children and young people"),
]

ORGANISATION_KINDS = [
    ("frivillig-organisasjon", "Frivillig organisasjon", "Voluntary organisation"),
    ("frivilligsentral", "Frivilligsentral", "Volunteer centre"),
    ("kommune", "Kommune", "Municipality"),
    ("fylkeskommune", "Fylkeskommune", "County"),
    ("nasjonal-aktor", "Nasjonal aktør", "National body"),
    ("annet", "Annet", "Other"),
]
