"""Synthetic women, as plain data, for the demo and for national-scale load tests.

Everything here is invented. Names are drawn from pools (Faker ``en_GB`` plus hand-written pools
of names from the communities women in the justice system come from, in their own spelling and,
for a share, their own script); no combination is meant to be, or is taken from, a real person.
Identifiers are valid in form but drawn from ranges that cannot collide with real ones where
such a range exists: NHS numbers start 999 (the range reserved for testing), phone numbers come
from Ofcom's drama range (07700 900000 to 900999) and e-mail addresses use example.com/.org.

Characteristics follow the public figures in ``reference/README.md`` where the record has a field
for them (ethnicity, nationality, care experience, dependent children, age, disability, pregnancy).

The generator is deterministic: the same seed and reference date give the same women in the same
order, whatever the batch size they are read in, because every woman is drawn in turn from one
seeded ``random.Random``.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from faker import Faker

from whole_system.people import choices
from whole_system.people.identifiers import nhs_check_digit, pnc_check_letter

PNTS = choices.PREFER_NOT_TO_SAY
E = choices.Ethnicity

# ---------------------------------------------------------------------------------------------
# Name pools. Invented combinations of common names; the British pool is built from Faker.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """A naming tradition: names, the first languages spoken, and how likely a woman with such a
    name is to hold a foreign nationality (``eu`` or ``other``)."""

    given: tuple[str, ...]
    family: tuple[str, ...]
    languages: tuple[tuple[str, float], ...] = ()  # non-English first languages and weights
    foreign: float = 0.0
    foreign_kind: str = choices.Nationality.OTHER
    # Names in the tradition's own script, used for a share of women.
    script_given: tuple[str, ...] = ()
    script_family: tuple[str, ...] = ()
    script_share: float = 0.0
    religion: str = "default"


ORIGINS: dict[str, Origin] = {
    "welsh": Origin(
        given=(
            "Siân",
            "Angharad",
            "Ffion",
            "Eleri",
            "Gwenllian",
            "Rhiannon",
            "Carys",
            "Catrin",
            "Nia",
            "Bethan",
            "Lowri",
            "Megan",
            "Seren",
            "Elin",
            "Manon",
            "Cerys",
            "Heledd",
        ),
        family=(
            "Jones",
            "Davies",
            "Williams",
            "Evans",
            "Thomas",
            "Roberts",
            "Hughes",
            "Lewis",
            "Morgan",
            "Griffiths",
            "Price",
            "Pritchard",
            "Rees",
            "Powell",
            "Owen",
            "Parry",
            "Llewellyn",
            "Bowen",
            "Vaughan",
            "Prosser",
        ),
        languages=(("Welsh", 1.0),),
    ),
    "irish": Origin(
        given=(
            "Siobhán",
            "Aoife",
            "Róisín",
            "Niamh",
            "Saoirse",
            "Caoimhe",
            "Sinéad",
            "Orla",
            "Máire",
            "Clodagh",
            "Gráinne",
            "Áine",
            "Eimear",
            "Bridget",
        ),
        family=(
            "O'Brien",
            "Murphy",
            "Kelly",
            "Walsh",
            "Byrne",
            "O'Sullivan",
            "McCarthy",
            "Doyle",
            "Gallagher",
            "Keane",
            "Quinn",
            "Maguire",
            "Ní Bhriain",
            "Ó Conaill",
        ),
        foreign=0.45,
        foreign_kind=choices.Nationality.IRISH,
    ),
    "traveller": Origin(
        given=(
            "Bridget",
            "Kathleen",
            "Margaret",
            "Mary",
            "Nora",
            "Winnie",
            "Chantelle",
            "Shannon",
            "Josie",
            "Theresa",
        ),
        family=(
            "Ward",
            "McDonagh",
            "Joyce",
            "Maughan",
            "Doherty",
            "Lee",
            "Price",
            "Smith",
            "Boswell",
            "Cash",
            "Stokes",
            "Connors",
        ),
        foreign=0.05,
        foreign_kind=choices.Nationality.IRISH,
    ),
    "polish": Origin(
        given=(
            "Małgorzata",
            "Agnieszka",
            "Katarzyna",
            "Zofia",
            "Joanna",
            "Magdalena",
            "Anna",
            "Ewa",
            "Aleksandra",
            "Żaneta",
            "Beata",
            "Dorota",
            "Paulina",
        ),
        family=(
            "Kowalska",
            "Wójcik",
            "Nowak",
            "Kowalczyk",
            "Dąbrowska",
            "Lewandowska",
            "Zielińska",
            "Szymańska",
            "Woźniak",
            "Kamińska",
            "Mazur",
            "Krawczyk",
        ),
        languages=(("Polish", 1.0),),
        foreign=0.7,
        foreign_kind=choices.Nationality.EU,
        religion="christian",
    ),
    "romanian": Origin(
        given=(
            "Ionela",
            "Mihaela",
            "Ștefania",
            "Andreea",
            "Elena",
            "Ioana",
            "Roxana",
            "Florentina",
            "Mădălina",
            "Alina",
            "Cristina",
            "Bianca",
        ),
        family=(
            "Popescu",
            "Ionescu",
            "Dumitru",
            "Stan",
            "Stoica",
            "Gheorghe",
            "Răducanu",
            "Munteanu",
            "Constantin",
            "Lungu",
            "Bălan",
            "Țurcanu",
        ),
        languages=(("Romanian", 1.0),),
        foreign=0.8,
        foreign_kind=choices.Nationality.EU,
        religion="christian",
    ),
    "roma": Origin(
        given=("Mirela", "Lenuța", "Florica", "Denisa", "Marcela", "Vanesa", "Jana", "Renáta"),
        family=("Lakatoš", "Horváth", "Kaleja", "Balog", "Dunka", "Oláh", "Ferenc"),
        languages=(("Romanian", 0.4), ("Romani", 0.4), ("Slovak", 0.2)),
        foreign=0.75,
        foreign_kind=choices.Nationality.EU,
        religion="christian",
    ),
    "baltic": Origin(
        given=("Rūta", "Jolanta", "Aistė", "Ieva", "Laura", "Inga", "Kristīne", "Agnė"),
        family=(
            "Kazlauskienė",
            "Petrauskaitė",
            "Jankauskienė",
            "Balčiūnaitė",
            "Bērziņa",
            "Kalniņa",
            "Vaitkutė",
        ),
        languages=(("Lithuanian", 0.7), ("Latvian", 0.3)),
        foreign=0.75,
        foreign_kind=choices.Nationality.EU,
    ),
    "portuguese": Origin(
        given=("Inês", "Beatriz", "Conceição", "Joana", "Mariana", "Sónia", "Fátima", "Ana"),
        family=("Gonçalves", "Simões", "Magalhães", "Ferreira", "Araújo", "Pereira", "Sousa"),
        languages=(("Portuguese", 1.0),),
        foreign=0.6,
        foreign_kind=choices.Nationality.EU,
        religion="christian",
    ),
    "bangladeshi": Origin(
        given=(
            "Nusrat",
            "Shirin",
            "Rehana",
            "Taslima",
            "Fahmida",
            "Sumaiya",
            "Rumana",
            "Jahanara",
            "Nasima",
            "Shapla",
            "Halima",
            "Rokeya",
        ),
        family=(
            "Begum",
            "Khatun",
            "Akter",
            "Rahman",
            "Hossain",
            "Uddin",
            "Miah",
            "Chowdhury",
            "Islam",
            "Ahmed",
        ),
        languages=(("Bengali (Sylheti)", 0.7), ("Bengali", 0.3)),
        foreign=0.12,
        script_given=(
            "নুসরাত",
            "শিরিন",
            "রেহানা",
            "তাসলিমা",
            "ফাহমিদা",
            "সুমাইয়া",
            "রুমানা",
            "নাসিমা",
            "শাপলা",
            "হালিমা",
        ),
        script_family=("বেগম", "খাতুন", "আক্তার", "রহমান", "হোসেন", "উদ্দিন", "মিয়া", "চৌধুরী"),
        script_share=0.25,
        religion="muslim",
    ),
    "pakistani": Origin(
        given=(
            "Ayesha",
            "Sana",
            "Nadia",
            "Rubina",
            "Shazia",
            "Farzana",
            "Saima",
            "Asma",
            "Noreen",
            "Samina",
            "Bushra",
        ),
        family=(
            "Khan",
            "Hussain",
            "Ahmed",
            "Akhtar",
            "Iqbal",
            "Butt",
            "Qureshi",
            "Malik",
            "Bibi",
            "Shah",
            "Mahmood",
            "Riaz",
        ),
        languages=(("Urdu", 0.6), ("Punjabi", 0.3), ("Pashto", 0.1)),
        foreign=0.12,
        religion="muslim",
    ),
    "indian": Origin(
        given=(
            "Priya",
            "Sunita",
            "Harpreet",
            "Manjit",
            "Kiran",
            "Anjali",
            "Parminder",
            "Rajwinder",
            "Deepa",
            "Meera",
            "Simran",
            "Pooja",
        ),
        family=(
            "Patel",
            "Kaur",
            "Sharma",
            "Gill",
            "Sandhu",
            "Mistry",
            "Chauhan",
            "Parmar",
            "Shah",
            "Bains",
            "Dhillon",
        ),
        languages=(("Punjabi", 0.5), ("Gujarati", 0.3), ("Tamil", 0.2)),
        foreign=0.12,
        religion="indian",
    ),
    "arab": Origin(
        given=(
            "Fatima",
            "Mariam",
            "Amira",
            "Layla",
            "Noor",
            "Huda",
            "Rania",
            "Salma",
            "Yasmin",
            "Hanan",
            "Samira",
            "Dalia",
        ),
        family=(
            "Hassan",
            "Ali",
            "Mahmoud",
            "Al-Sayed",
            "Haddad",
            "Abdullah",
            "Saleh",
            "Nasser",
            "Farouk",
            "Khalil",
        ),
        languages=(("Arabic", 1.0),),
        foreign=0.45,
        script_given=("فاطمة", "مريم", "أميرة", "ليلى", "نور", "هدى", "رانيا", "سلمى", "ياسمين"),
        script_family=("حسن", "علي", "محمود", "حداد", "عبدالله", "صالح", "ناصر", "خليل"),
        script_share=0.3,
        religion="muslim",
    ),
    "somali": Origin(
        given=(
            "Hodan",
            "Amina",
            "Sahra",
            "Faduma",
            "Hibo",
            "Ayan",
            "Ladan",
            "Muna",
            "Nasra",
            "Ubah",
        ),
        family=(
            "Mohamed",
            "Abdi",
            "Hussein",
            "Ali",
            "Warsame",
            "Farah",
            "Osman",
            "Jama",
            "Yusuf",
            "Abdullahi",
        ),
        languages=(("Somali", 1.0),),
        foreign=0.25,
        religion="muslim",
    ),
    "west_african": Origin(
        given=(
            "Adaeze",
            "Chiamaka",
            "Ngozi",
            "Folake",
            "Funmilayo",
            "Abena",
            "Akosua",
            "Efua",
            "Blessing",
            "Precious",
            "Temitope",
            "Oluwaseun",
            "Adwoa",
            "Yetunde",
        ),
        family=(
            "Okafor",
            "Adeyemi",
            "Mensah",
            "Owusu",
            "Boateng",
            "Okonkwo",
            "Adebayo",
            "Asante",
            "Nwosu",
            "Eze",
            "Bello",
            "Ogunleye",
            "Danso",
        ),
        languages=(("Yoruba", 0.4), ("Twi", 0.3), ("Igbo", 0.3)),
        foreign=0.3,
        religion="african",
    ),
    "eritrean": Origin(
        given=("Selam", "Mebrat", "Senait", "Yordanos", "Saba", "Helen", "Hiwet"),
        family=("Tesfay", "Ghebremedhin", "Haile", "Berhane", "Tekle", "Kidane"),
        languages=(("Tigrinya", 1.0),),
        foreign=0.65,
        religion="african",
    ),
    "caribbean": Origin(
        given=(
            "Shanice",
            "Marcia",
            "Paulette",
            "Beverley",
            "Jasmine",
            "Tanisha",
            "Keisha",
            "Sharon",
            "Janelle",
            "Monique",
            "Donna",
            "Simone",
        ),
        family=(
            "Campbell",
            "Brown",
            "Williams",
            "Thompson",
            "Clarke",
            "Francis",
            "Henry",
            "Grant",
            "Morgan",
            "Reid",
            "Bailey",
            "Stewart",
            "Edwards",
        ),
        foreign=0.08,
    ),
    "vietnamese": Origin(
        given=(
            "Thị Lan",
            "Thị Hương",
            "Thị Mai",
            "Ngọc Anh",
            "Thị Thu",
            "Thanh Hà",
            "Thị Hằng",
            "Phương Linh",
            "Thu Trang",
        ),
        family=("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng", "Bùi"),
        languages=(("Vietnamese", 1.0),),
        foreign=0.6,
        religion="east_asian",
    ),
    "chinese": Origin(
        given=("Mei", "Xiu Ying", "Li Na", "Wen", "Hui", "Jing", "Yan", "Ling"),
        family=("Wang", "Li", "Zhang", "Chen", "Liu", "Huang", "Wong", "Chan", "Lam"),
        languages=(("Cantonese", 0.5), ("Mandarin", 0.5)),
        foreign=0.4,
        religion="east_asian",
    ),
    "turkish": Origin(
        given=("Ayşe", "Elif", "Zeynep", "Gülay", "Fatma", "Özlem", "Şükran", "Nurcan"),
        family=("Yılmaz", "Şahin", "Öztürk", "Çelik", "Demir", "Kaya", "Aydın", "Doğan"),
        languages=(("Turkish", 0.7), ("Kurdish", 0.3)),
        foreign=0.35,
        religion="turkish",
    ),
    "latin_american": Origin(
        given=("María José", "Lucía", "Guadalupe", "Ximena", "Valentina", "Camila", "Aurélia"),
        family=("González", "Rodríguez", "Muñoz", "Peña", "Hernández", "Gómez", "Ibáñez"),
        languages=(("Spanish", 0.75), ("Portuguese", 0.25)),
        foreign=0.7,
        religion="christian",
    ),
}

# British given names with diacritics, drawn now and then alongside the Faker pool.
BRITISH_DIACRITIC_GIVEN = ("Zoë", "Chloé", "Renée", "Anaïs", "Noémie", "Hélène", "Léa")

NICKNAMES = {
    "Elizabeth": "Liz",
    "Victoria": "Vicky",
    "Rebecca": "Becky",
    "Jennifer": "Jen",
    "Samantha": "Sam",
    "Katherine": "Kate",
    "Catherine": "Cath",
    "Margaret": "Maggie",
    "Natalie": "Nat",
    "Jacqueline": "Jackie",
    "Stephanie": "Steph",
    "Deborah": "Debbie",
    "Susan": "Sue",
    "Patricia": "Trish",
    "Christine": "Chris",
    "Alexandra": "Alex",
    "Danielle": "Dani",
    "Nicola": "Nicky",
    "Charlotte": "Lottie",
    "Kimberley": "Kim",
    "Joanne": "Jo",
    "Josephine": "Josie",
    "Abigail": "Abi",
    "Gemma": "Gem",
    "Bridget": "Bridie",
    "Małgorzata": "Gosia",
    "Aleksandra": "Ola",
    "Oluwaseun": "Seun",
    "Temitope": "Tope",
}

STREET_SUFFIXES = (
    "Road",
    "Street",
    "Close",
    "Avenue",
    "Lane",
    "Gardens",
    "Court",
    "Way",
    "Crescent",
    "Terrace",
    "Grove",
    "Place",
    "Walk",
    "Rise",
    "Mews",
    "Drive",
)
WELSH_STREET_PREFIXES = ("Heol", "Ffordd", "Stryd", "Lôn")
FLAT_WORDS = ("Flat", "Flat", "Flat", "Room", "Apartment")
SAFE_TIMES = (
    "Weekdays 10am to 2pm",
    "Mornings only",
    "Not after 5pm",
    "Any time",
    "Tuesdays and Thursdays",
    "School hours only",
    "Not at weekends",
    "",
)
SAFE_WORDS = (
    "bluebell",
    "lighthouse",
    "marmalade",
    "kingfisher",
    "teapot",
    "harbour",
    "primrose",
    "lantern",
    "saffron",
    "pebble",
)
ACCESSIBILITY = (
    "Uses a wheelchair: needs step-free access.",
    "Dyslexia: prefers letters read to her over the phone.",
    "Anxious in busy waiting rooms: offer a quiet room.",
    "Learning disability: easy read materials, extra time in appointments.",
    "Partially sighted: large print letters.",
    "Chronic pain: cannot sit for long, offer breaks.",
    "Hard of hearing: face her when speaking, no phone calls.",
)

# ---------------------------------------------------------------------------------------------
# Prevalence (reference/README.md). Weights are relative.
# ---------------------------------------------------------------------------------------------

# Age bands: about 9.5% aged 18 to 24 (MoJ, women in prison), most 25 to 49, few over 60.
AGE_BANDS = (
    (18, 24, 9.5),
    (25, 29, 15.0),
    (30, 39, 33.0),
    (40, 49, 24.0),
    (50, 59, 13.0),
    (60, 70, 5.5),
)

# Minority ethnic share of women (non-White groups): 18% nationally, 25% in London.
MINORITY_SHARE = {"london": 0.25, "wales": 0.07, "england": 0.17}
WHITE_AND_UNSTATED: dict[str, dict[str, float]] = {
    # share of the whole cohort, the remainder after the minority share is White British
    "london": {
        E.WHITE_IRISH: 3.0,
        E.WHITE_GYPSY_TRAVELLER: 1.5,
        E.WHITE_ROMA: 1.0,
        E.WHITE_OTHER: 13.0,
        E.PREFER_NOT_TO_SAY: 3.0,
    },
    "wales": {
        E.WHITE_IRISH: 1.0,
        E.WHITE_GYPSY_TRAVELLER: 2.5,
        E.WHITE_ROMA: 0.3,
        E.WHITE_OTHER: 4.0,
        E.PREFER_NOT_TO_SAY: 3.0,
    },
    "england": {
        E.WHITE_IRISH: 1.5,
        E.WHITE_GYPSY_TRAVELLER: 2.5,
        E.WHITE_ROMA: 0.5,
        E.WHITE_OTHER: 7.0,
        E.PREFER_NOT_TO_SAY: 3.0,
    },
}
MINORITY_MIX: dict[str, dict[str, float]] = {
    "london": {
        E.BLACK_CARIBBEAN: 17,
        E.BLACK_AFRICAN: 17,
        E.BLACK_OTHER: 8,
        E.MIXED_WHITE_BLACK_CARIBBEAN: 12,
        E.MIXED_WHITE_BLACK_AFRICAN: 4,
        E.MIXED_WHITE_ASIAN: 4,
        E.MIXED_OTHER: 6,
        E.ASIAN_BANGLADESHI: 5,
        E.ASIAN_PAKISTANI: 5,
        E.ASIAN_INDIAN: 5,
        E.ASIAN_CHINESE: 2,
        E.ASIAN_OTHER: 6,
        E.OTHER_ARAB: 3,
        E.OTHER_ANY: 6,
    },
    "national": {
        E.BLACK_CARIBBEAN: 12,
        E.BLACK_AFRICAN: 10,
        E.BLACK_OTHER: 6,
        E.MIXED_WHITE_BLACK_CARIBBEAN: 16,
        E.MIXED_WHITE_BLACK_AFRICAN: 4,
        E.MIXED_WHITE_ASIAN: 6,
        E.MIXED_OTHER: 7,
        E.ASIAN_BANGLADESHI: 4,
        E.ASIAN_PAKISTANI: 10,
        E.ASIAN_INDIAN: 8,
        E.ASIAN_CHINESE: 2,
        E.ASIAN_OTHER: 6,
        E.OTHER_ARAB: 3,
        E.OTHER_ANY: 6,
    },
}
# Which naming tradition a woman of each ethnic group is drawn from ("british" is Faker's).
ORIGIN_OF_ETHNICITY: dict[str, dict[str, float]] = {
    E.WHITE_BRITISH: {"british": 1.0},
    E.WHITE_IRISH: {"irish": 1.0},
    E.WHITE_GYPSY_TRAVELLER: {"traveller": 1.0},
    E.WHITE_ROMA: {"roma": 1.0},
    E.WHITE_OTHER: {
        "polish": 0.33,
        "romanian": 0.27,
        "baltic": 0.12,
        "portuguese": 0.13,
        "latin_american": 0.05,
        "british": 0.10,
    },
    E.ASIAN_BANGLADESHI: {"bangladeshi": 1.0},
    E.ASIAN_PAKISTANI: {"pakistani": 1.0},
    E.ASIAN_INDIAN: {"indian": 1.0},
    E.ASIAN_CHINESE: {"chinese": 1.0},
    E.ASIAN_OTHER: {"vietnamese": 0.45, "indian": 0.2, "pakistani": 0.15, "chinese": 0.2},
    E.BLACK_AFRICAN: {"west_african": 0.55, "somali": 0.3, "eritrean": 0.15},
    E.BLACK_CARIBBEAN: {"caribbean": 1.0},
    E.BLACK_OTHER: {"caribbean": 0.6, "british": 0.4},
    E.MIXED_WHITE_BLACK_CARIBBEAN: {"caribbean": 0.5, "british": 0.5},
    E.MIXED_WHITE_BLACK_AFRICAN: {"west_african": 0.4, "british": 0.6},
    E.MIXED_WHITE_ASIAN: {"british": 0.6, "indian": 0.2, "pakistani": 0.2},
    E.MIXED_OTHER: {"british": 0.7, "latin_american": 0.3},
    E.OTHER_ARAB: {"arab": 1.0},
    E.OTHER_ANY: {
        "turkish": 0.4,
        "latin_american": 0.25,
        "arab": 0.1,
        "vietnamese": 0.1,
        "british": 0.15,
    },
    E.PREFER_NOT_TO_SAY: {"british": 0.85, "polish": 0.05, "caribbean": 0.05, "irish": 0.05},
}
R = choices.Religion
RELIGION: dict[str, dict[str, float]] = {
    "default": {R.NONE: 48, R.CHRISTIAN: 40, R.OTHER: 2, R.BUDDHIST: 0.5, R.JEWISH: 0.5, PNTS: 9},
    "christian": {R.CHRISTIAN: 70, R.NONE: 22, PNTS: 8},
    "muslim": {R.MUSLIM: 88, R.NONE: 5, PNTS: 7},
    "indian": {R.HINDU: 40, R.SIKH: 35, R.MUSLIM: 10, R.NONE: 10, PNTS: 5},
    "african": {R.CHRISTIAN: 72, R.MUSLIM: 15, R.NONE: 7, PNTS: 6},
    "east_asian": {R.BUDDHIST: 30, R.NONE: 55, R.CHRISTIAN: 10, PNTS: 5},
    "turkish": {R.MUSLIM: 72, R.NONE: 20, PNTS: 8},
}
SEXUAL_ORIENTATION = {"straight": 82, "gay_lesbian": 4, "bisexual": 7, "other": 1, PNTS: 6}
GENDER_SAME = {"yes": 95, "no": 1, PNTS: 4}
DISABILITY = {"yes": 32, "no": 64, PNTS: 4}
CARE_EXPERIENCED = {"yes": 31, "no": 66, PNTS: 3}  # 31% care experienced (MoJ)
IMMIGRATION: dict[str, dict[str, float]] = {
    choices.Nationality.EU: {
        "settled": 50,
        "pre_settled": 30,
        "no_leave": 5,
        "unknown": 12,
        PNTS: 3,
    },
    choices.Nationality.OTHER: {
        "settled": 25,
        "leave_to_remain": 20,
        "asylum_seeker": 15,
        "refugee": 15,
        "no_leave": 10,
        "unknown": 12,
        PNTS: 3,
    },
}
# Dependent children: 24% to 58% depending on cohort; about 45% across a mixed cohort.
DEPENDANTS_SHARE = 0.45
CHILD_COUNT = {1: 40, 2: 30, 3: 18, 4: 9, 5: 3}
# Where children live; in care is far more common than in the general population.
LIVES_WITH_CHILD = {
    "her": 42,
    "other_parent": 12,
    "family": 20,
    "care": 13,
    "adopted": 5,
    "other": 4,
    PNTS: 4,
}
LIVES_WITH_ADULT = {"independent": 60, "her": 30, "family": 6, "other": 4}
SOCIAL_SERVICES = {"none": 58, "child_in_need": 12, "child_protection": 10, "unknown": 16, PNTS: 4}

# Postcode outward codes by local authority (ONS code). Inward codes are random.
OUTWARD_CODES: dict[str, tuple[str, ...]] = {
    "E09000001": ("EC2Y", "EC4V", "EC1A"),
    "E09000002": ("IG11", "RM8", "RM9", "RM10"),
    "E09000003": ("N3", "N11", "N12", "N20", "EN5", "NW4", "NW7", "NW9"),
    "E09000004": ("DA5", "DA6", "DA7", "DA14", "DA15", "DA16"),
    "E09000005": ("NW10", "HA0", "HA9", "NW2"),
    "E09000006": ("BR1", "BR2", "BR3", "BR5", "BR6", "BR7"),
    "E09000007": ("NW1", "NW3", "NW5", "WC1N", "WC1X"),
    "E09000008": ("CR0", "CR2", "CR7", "CR8", "SE25"),
    "E09000009": ("W5", "W7", "W13", "UB1", "UB2", "UB6"),
    "E09000010": ("EN1", "EN2", "EN3", "N9", "N13", "N18", "N21"),
    "E09000011": ("SE2", "SE3", "SE7", "SE9", "SE10", "SE18", "SE28"),
    "E09000012": ("E2", "E5", "E8", "E9", "N16"),
    "E09000013": ("W6", "W12", "W14", "SW6"),
    "E09000014": ("N8", "N10", "N15", "N17", "N22"),
    "E09000015": ("HA1", "HA2", "HA3", "HA5"),
    "E09000016": ("RM1", "RM2", "RM3", "RM7", "RM11", "RM12", "RM13"),
    "E09000017": ("UB3", "UB4", "UB7", "UB8", "UB10", "HA4"),
    "E09000018": ("TW3", "TW4", "TW5", "TW7", "TW8", "TW13", "TW14"),
    "E09000019": ("N1", "N5", "N7", "N19", "EC1V"),
    "E09000020": ("W8", "W10", "W11", "SW3", "SW5", "SW10"),
    "E09000021": ("KT1", "KT2", "KT3", "KT5", "KT6", "KT9"),
    "E09000022": ("SE11", "SE24", "SE27", "SW2", "SW4", "SW8", "SW9", "SW16"),
    "E09000023": ("SE4", "SE6", "SE8", "SE12", "SE13", "SE14", "SE23"),
    "E09000024": ("SW19", "SW20", "CR4", "SM4"),
    "E09000025": ("E6", "E7", "E12", "E13", "E15", "E16"),
    "E09000026": ("IG1", "IG2", "IG3", "IG4", "IG5", "IG6"),
    "E09000027": ("TW1", "TW2", "TW9", "TW10", "TW11", "SW14"),
    "E09000028": ("SE1", "SE5", "SE15", "SE16", "SE17", "SE22"),
    "E09000029": ("SM1", "SM2", "SM3", "SM5", "SM6"),
    "E09000030": ("E1", "E3", "E14"),
    "E09000031": ("E4", "E10", "E11", "E17"),
    "E09000032": ("SW11", "SW12", "SW15", "SW17", "SW18"),
    "E09000033": ("W1H", "W1U", "W2", "W9", "SW1P", "SW1V", "NW8"),
    "W06000001": ("LL65", "LL77", "LL71"),
    "W06000002": ("LL55", "LL57", "LL53", "LL49"),
    "W06000003": ("LL29", "LL30", "LL32"),
    "W06000004": ("LL18", "LL15", "LL16"),
    "W06000005": ("CH5", "CH7", "CH8"),
    "W06000006": ("LL11", "LL12", "LL13", "LL14"),
    "W06000008": ("SY23", "SA43", "SA48"),
    "W06000009": ("SA61", "SA62", "SA72", "SA73"),
    "W06000010": ("SA31", "SA14", "SA15", "SA18"),
    "W06000011": ("SA1", "SA2", "SA5", "SA6"),
    "W06000012": ("SA11", "SA12", "SA13"),
    "W06000013": ("CF31", "CF32", "CF33"),
    "W06000014": ("CF62", "CF63", "CF64"),
    "W06000015": ("CF5", "CF10", "CF11", "CF14", "CF23", "CF24"),
    "W06000016": ("CF37", "CF40", "CF44", "CF45"),
    "W06000018": ("CF82", "CF83", "NP12"),
    "W06000019": ("NP23", "NP13"),
    "W06000020": ("NP4", "NP44"),
    "W06000021": ("NP25", "NP26", "NP7"),
    "W06000022": ("NP19", "NP20"),
    "W06000023": ("LD1", "SY21", "NP8", "LD3"),
    "W06000024": ("CF47", "CF48"),
}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters Royal Mail uses in inward codes

# Identifier spaces: each woman's identifiers come from a keyed bijection of her index, so no
# two women of one run share one (up to the size of the space) and neighbours look unrelated.
_PNC_SPACE = 10_000_000
_PRISON_SPACE = 2 * 10_000 * 26 * 26
_CRN_SPACE = 26 * 1_000_000
_NHS_SPACE = 1_000_000  # 999 + six digits + check digit


@dataclass
class SyntheticName:
    """A previous name or alias."""

    kind: str  # "previous" or "alias" (PersonName.Kind values)
    given_name: str
    family_name: str


@dataclass
class SyntheticDependant:
    """A child or other dependant."""

    id: uuid.UUID
    first_name: str
    date_of_birth: date
    lives_with: str
    social_services: str


@dataclass
class SyntheticWoman:
    """One invented woman: her record's fields, grouped as the models group them."""

    index: int
    id: uuid.UUID
    area_code: str
    region: str
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: date
    pnc_number: str
    prison_number: str
    probation_crn: str
    nhs_number: str
    first_language: str
    interpreter_needed: bool
    accessibility_needs: str
    pregnancy: str
    due_date: date | None
    created_at: datetime
    other_names: list[SyntheticName]
    contact: dict[str, object]
    address: dict[str, object]
    dependants: list[SyntheticDependant]
    equality: dict[str, str]
    # Which kinds of agency are working with her (besides her women's service).
    with_probation: bool
    with_police: bool
    with_liaison_diversion: bool
    with_local_authority: bool


def region_of(area_code: str) -> str:
    """The cohort profile of a local authority: london, wales or england (by ONS code)."""
    if area_code.startswith("E09"):
        return "london"
    if area_code.startswith("W"):
        return "wales"
    return "england"


class _Weighted:
    """A weighted choice with precomputed cumulative weights (much faster in a hot loop)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, weights: Mapping[Any, float] | Sequence[tuple[str, float]]) -> None:
        pairs = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        self.items = [k for k, _ in pairs]
        running = 0.0
        self.cum: list[float] = []
        for _, w in pairs:
            running += w
            self.cum.append(running)
        self.total = running

    def pick(self, rng: random.Random) -> str:
        return rng.choices(self.items, cum_weights=self.cum, k=1)[0]


def _permute(index: int, space: int, key: int) -> int:
    """A keyed pseudo-random bijection of [0, space): a small Feistel network over enough bits,
    walking the cycle until the value falls inside the space."""
    bits = max(space - 1, 1).bit_length()
    half = (bits + 1) // 2
    mask = (1 << half) - 1
    value = index % space
    while True:
        left, right = value >> half, value & mask
        for round_key in (key, key >> 16, key >> 32, key >> 48):
            mixed = ((right * 0x9E3779B1) ^ round_key ^ (right >> 3)) * 0x85EBCA6B
            left, right = right, (left ^ (mixed >> 7)) & mask
        value = (left << half) | right
        if value < space:
            return value


def _in_range(start: date, end: date, rng: random.Random) -> date:
    days = (end - start).days
    return start + timedelta(days=rng.randint(0, max(days, 0)))


class WomenGenerator:
    """Deterministic generator of synthetic women.

    ``seed`` fixes everything; ``today`` is the reference date ages and recent dates are
    measured from (the default is today, so a demo always looks current).
    """

    def __init__(self, seed: int = 2026, *, today: date | None = None) -> None:
        self.seed = seed
        self.today = today or date.today()
        self.rng = random.Random(seed)
        offsets = random.Random(seed ^ 0x5EED)
        self._pnc_offset = offsets.getrandbits(64)
        self._prison_offset = offsets.getrandbits(64)
        self._crn_offset = offsets.getrandbits(64)
        self._nhs_offset = offsets.getrandbits(64)
        self._index = 0
        self._build_pools(seed)
        self._age = _Weighted([(f"{lo}-{hi}", w) for lo, hi, w in AGE_BANDS])
        self._white = {r: _Weighted(v) for r, v in WHITE_AND_UNSTATED.items()}
        self._minority = {r: _Weighted(v) for r, v in MINORITY_MIX.items()}
        self._origin = {k: _Weighted(v) for k, v in ORIGIN_OF_ETHNICITY.items()}
        self._religion = {k: _Weighted(v) for k, v in RELIGION.items()}
        self._orientation = _Weighted(SEXUAL_ORIENTATION)
        self._gender_same = _Weighted(GENDER_SAME)
        self._disability = _Weighted(DISABILITY)
        self._care = _Weighted(CARE_EXPERIENCED)
        self._immigration: dict[str, _Weighted] = {k: _Weighted(v) for k, v in IMMIGRATION.items()}
        self._child_count = _Weighted([(str(k), v) for k, v in CHILD_COUNT.items()])
        self._lives_child = _Weighted(LIVES_WITH_CHILD)
        self._lives_adult = _Weighted(LIVES_WITH_ADULT)
        self._social = _Weighted(SOCIAL_SERVICES)
        self._languages = {
            name: _Weighted(origin.languages)
            for name, origin in ORIGINS.items()
            if origin.languages
        }

    def _build_pools(self, seed: int) -> None:
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        self.british_given = tuple(dict.fromkeys(fake.first_name_female() for _ in range(600)))
        self.british_family = tuple(dict.fromkeys(fake.last_name() for _ in range(900)))
        self.child_names = tuple(dict.fromkeys(fake.first_name() for _ in range(600)))
        self.street_stems = tuple(dict.fromkeys(fake.last_name() for _ in range(400)))

    # -- public -------------------------------------------------------------------------------

    def women(self, count: int, area_codes: Sequence[str]) -> Iterator[SyntheticWoman]:
        """Yield ``count`` women, each living in one of ``area_codes`` (chosen uniformly)."""
        for _ in range(count):
            yield self.woman(self.rng.choice(area_codes))

    def woman(self, area_code: str, *, area_name: str = "") -> SyntheticWoman:
        """The next woman, living in the local authority ``area_code``."""
        rng = self.rng
        index = self._index
        self._index += 1
        region = region_of(area_code)
        person_id = uuid.UUID(int=rng.getrandbits(128), version=4)

        # Age and date of birth: always in the past, 18 to 70 on the reference date.
        lo, hi = (int(x) for x in self._age.pick(rng).split("-"))
        age = rng.randint(lo, hi)
        latest = self._years_before(self.today, age)
        dob = latest - timedelta(days=rng.randint(0, 364))

        # Ethnicity, naming tradition, nationality, language.
        if rng.random() < MINORITY_SHARE[region]:
            ethnicity = self._minority["london" if region == "london" else "national"].pick(rng)
        elif rng.random() < self._white_share(region):
            ethnicity = self._white[region].pick(rng)
        else:
            ethnicity = E.WHITE_BRITISH
        origin_name = self._origin[ethnicity].pick(rng)
        if origin_name == "british" and region == "wales" and rng.random() < 0.35:
            origin_name = "welsh"
        origin = ORIGINS.get(origin_name)

        foreign = origin is not None and rng.random() < origin.foreign
        if rng.random() < 0.02:
            nationality = PNTS
        elif foreign and origin is not None:
            nationality = origin.foreign_kind
        elif origin_name == "british" and rng.random() < 0.01:
            nationality = choices.Nationality.OTHER  # e.g. Commonwealth citizens
        else:
            nationality = choices.Nationality.BRITISH
        if nationality in (choices.Nationality.EU, choices.Nationality.OTHER):
            immigration = self._immigration[nationality].pick(rng)
        elif nationality == PNTS:
            immigration = PNTS
        else:
            immigration = "citizen"

        first_language = "English"
        interpreter = False
        if origin is not None and origin.languages:
            speaks_other = 0.85 if foreign else 0.25
            if origin_name == "welsh":
                speaks_other = 0.3
            if rng.random() < speaks_other:
                first_language = self._languages[origin_name].pick(rng)
                if first_language != "Welsh":
                    interpreter = rng.random() < (0.55 if foreign else 0.12)

        # Names.
        given, family, script = self._names(origin_name, origin, rng)
        preferred = ""
        nickname = NICKNAMES.get(given)
        if nickname and rng.random() < 0.5:
            preferred = nickname
        other_names = []
        if rng.random() < 0.20:
            if rng.random() < 0.7:
                other_names.append(SyntheticName("previous", given, self._family(origin, rng)))
            else:
                alias_given = self._given(origin, rng) if not script else given
                other_names.append(SyntheticName("alias", alias_given, family))

        # Identifiers.
        pnc = ""
        if rng.random() < 0.85:
            first_year = min(max(dob.year + 18, 1995), self.today.year)
            year = str(rng.randint(first_year, self.today.year))
            serial = str(_permute(index, _PNC_SPACE, self._pnc_offset)).zfill(7)
            pnc = f"{year}/{serial}{pnc_check_letter(year, serial)}"
        prison = ""
        if rng.random() < 0.15:
            k = _permute(index, _PRISON_SPACE, self._prison_offset)
            letter, k = "AG"[k % 2], k // 2
            digits, k = k % 10_000, k // 10_000
            prison = f"{letter}{digits:04d}{chr(65 + k % 26)}{chr(65 + k // 26)}"
        with_probation = rng.random() < 0.40
        crn = ""
        if with_probation:
            k = _permute(index, _CRN_SPACE, self._crn_offset)
            crn = f"{chr(65 + k // 1_000_000)}{k % 1_000_000:06d}"
        nhs = ""
        # 88% are offered one; the ~9% of the 999 range with no valid check digit go without,
        # leaving about 80% with an NHS number.
        if rng.random() < 0.88:
            first_nine = f"999{_permute(index, _NHS_SPACE, self._nhs_offset):06d}"
            check = nhs_check_digit(first_nine)
            if check is not None:
                nhs = f"{first_nine}{check}"

        # Needs, pregnancy.
        accessibility = ""
        if rng.random() < 0.003:
            first_language, interpreter = "British Sign Language", True
            accessibility = "Deaf: British Sign Language interpreter for every appointment."
        elif rng.random() < 0.10:
            accessibility = rng.choice(ACCESSIBILITY)
        pregnancy, due = self._pregnancy(age, rng)

        created_at = self._moment(self.today - timedelta(days=rng.randint(0, 4 * 365)), rng)
        address = self._address(area_code, area_name, region, rng)
        contact = self._contact(given, family, script, index, address, rng)
        dependants = self._dependants(dob, age, origin, rng)
        equality = {
            "ethnicity": ethnicity,
            "religion": self._religion[origin.religion if origin else "default"].pick(rng),
            "disability": self._disability.pick(rng),
            "sexual_orientation": self._orientation.pick(rng),
            "gender_same_as_sex_at_birth": self._gender_same.pick(rng),
            "nationality": nationality,
            "immigration_status": immigration,
            "care_experienced": self._care.pick(rng),
        }
        return SyntheticWoman(
            index=index,
            id=person_id,
            area_code=area_code,
            region=region,
            given_name=given,
            family_name=family,
            preferred_name=preferred,
            date_of_birth=dob,
            pnc_number=pnc,
            prison_number=prison,
            probation_crn=crn,
            nhs_number=nhs,
            first_language=first_language,
            interpreter_needed=interpreter,
            accessibility_needs=accessibility,
            pregnancy=pregnancy,
            due_date=due,
            created_at=created_at,
            other_names=other_names,
            contact=contact,
            address=address,
            dependants=dependants,
            equality=equality,
            with_probation=with_probation,
            with_police=rng.random() < 0.25,
            with_liaison_diversion=rng.random() < 0.20,
            with_local_authority=rng.random() < 0.12,
        )

    # -- parts ---------------------------------------------------------------------------------

    @staticmethod
    def _white_share(region: str) -> float:
        # The non-British White groups and "prefer not to say" are drawn as shares of the whole
        # cohort: scale them to the non-minority remainder.
        return sum(WHITE_AND_UNSTATED[region].values()) / 100 / (1 - MINORITY_SHARE[region])

    @staticmethod
    def _years_before(day: date, years: int) -> date:
        try:
            return day.replace(year=day.year - years)
        except ValueError:  # 29 February
            return day.replace(year=day.year - years, day=28)

    @staticmethod
    def _moment(day: date, rng: random.Random) -> datetime:
        seconds = rng.randint(8 * 3600, 18 * 3600)
        return datetime.combine(day, time(), tzinfo=UTC) + timedelta(seconds=seconds)

    def _given(self, origin: Origin | None, rng: random.Random) -> str:
        if origin is None:
            if rng.random() < 0.01:
                return rng.choice(BRITISH_DIACRITIC_GIVEN)
            return rng.choice(self.british_given)
        return rng.choice(origin.given)

    def _family(self, origin: Origin | None, rng: random.Random) -> str:
        return rng.choice(origin.family if origin is not None else self.british_family)

    def _names(
        self, origin_name: str, origin: Origin | None, rng: random.Random
    ) -> tuple[str, str, bool]:
        if origin is not None and origin.script_share and rng.random() < origin.script_share:
            return rng.choice(origin.script_given), rng.choice(origin.script_family), True
        given = self._given(origin, rng)
        if origin_name in ("caribbean",) and rng.random() < 0.4:
            given = rng.choice(self.british_given)
        family = self._family(origin, rng)
        if origin_name == "british" and rng.random() < 0.03:
            family = f"{family}-{rng.choice(self.british_family)}"
        return given, family, False

    def _pregnancy(self, age: int, rng: random.Random) -> tuple[str, date | None]:
        if age >= 50:
            return ("no" if rng.random() < 0.7 else ""), None
        roll = rng.random()
        if roll < 0.04:
            return "pregnant", self.today + timedelta(days=rng.randint(7, 270))
        if roll < 0.07:
            return "recently", None
        if roll < 0.09:
            return PNTS, None
        if roll < 0.20:
            return "", None  # not asked yet
        return "no", None

    def _address(
        self, area_code: str, area_name: str, region: str, rng: random.Random
    ) -> dict[str, object]:
        town = "London" if region == "london" else area_name
        if rng.random() < 0.05:
            # No fixed abode: only the local authority she is connected to is recorded.
            return {
                "line_1": "",
                "line_2": "No fixed abode",
                "town": town,
                "postcode": "",
                "is_confidential": False,
            }
        number = rng.randint(1, 240)
        stem = rng.choice(self.street_stems)
        if region == "wales" and rng.random() < 0.25:
            street = f"{rng.choice(WELSH_STREET_PREFIXES)} {stem}"
        else:
            street = f"{stem} {rng.choice(STREET_SUFFIXES)}"
        line_1 = f"{number} {street}"
        line_2 = ""
        if rng.random() < 0.35:
            line_1, line_2 = f"{rng.choice(FLAT_WORDS)} {rng.randint(1, 40)}", line_1
        outward_codes = OUTWARD_CODES.get(area_code)
        postcode = ""
        if outward_codes:
            postcode = (
                f"{rng.choice(outward_codes)} {rng.randint(1, 9)}"
                f"{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
            )
        # Domestic abuse affects 60% or more: a refuge (confidential) address is not rare.
        confidential = rng.random() < 0.04
        return {
            "line_1": line_1,
            "line_2": line_2,
            "town": town,
            "postcode": postcode,
            "is_confidential": confidential,
        }

    def _contact(
        self,
        given: str,
        family: str,
        script: bool,
        index: int,
        address: dict[str, object],
        rng: random.Random,
    ) -> dict[str, object]:
        has_phone = rng.random() < 0.85
        phone = f"07700 900{rng.randint(0, 999):03d}" if has_phone else ""
        email = ""
        if rng.random() < 0.4:
            local = (
                f"woman{index}"
                if script
                else (
                    "".join(
                        c
                        for c in f"{given}.{family}".lower()
                        if (c.isascii() and c.isalnum()) or c == "."
                    )
                )
            )
            email = f"{local.strip('.') or 'woman'}{rng.randint(1, 99)}@" + rng.choice(
                ("example.com", "example.org", "example.net")
            )
        confidential = bool(address["is_confidential"])
        fixed = bool(address["line_1"])
        return {
            "phone": phone,
            "email": email,
            "may_phone": has_phone and rng.random() < 0.7,
            "may_text": has_phone and rng.random() < 0.75,
            # Many women cannot safely receive a voicemail (a shared phone, a controlling
            # partner), and a refuge address is never written to.
            "may_leave_voicemail": has_phone and not confidential and rng.random() < 0.3,
            "may_write": fixed and not confidential and rng.random() < 0.55,
            "may_email": bool(email) and rng.random() < 0.8,
            "safe_times": rng.choice(SAFE_TIMES),
            "safe_word": rng.choice(SAFE_WORDS) if rng.random() < 0.1 else "",
        }

    def _dependants(
        self, dob: date, age: int, origin: Origin | None, rng: random.Random
    ) -> list[SyntheticDependant]:
        if age < 17 or rng.random() >= DEPENDANTS_SHARE:
            return []
        count = int(self._child_count.pick(rng))
        earliest = self._years_before(dob, -16)  # her 16th birthday
        children = []
        for _ in range(count):
            child_dob = _in_range(
                max(earliest, self._years_before(self.today, 25)),
                self.today - timedelta(days=30),
                rng,
            )
            child_age = (self.today - child_dob).days // 365
            if child_age >= 18:
                lives_with = self._lives_adult.pick(rng)
                social = "none"
            else:
                lives_with = self._lives_child.pick(rng)
                if lives_with == "care":
                    social = "looked_after"
                elif lives_with == "adopted":
                    social = "none"
                else:
                    social = self._social.pick(rng)
            if origin is not None and rng.random() < 0.6:
                first_name = (
                    rng.choice(origin.given) if rng.random() < 0.5 else rng.choice(self.child_names)
                )
            else:
                first_name = rng.choice(self.child_names)
            if " " in first_name:
                first_name = first_name.split(" ")[-1]
            children.append(
                SyntheticDependant(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    first_name=first_name if rng.random() < 0.95 else "",
                    date_of_birth=child_dob,
                    lives_with=lives_with,
                    social_services=social,
                )
            )
        return children
