"""Every English word list the parser's rules use, each defined once.

The rules live in :mod:`.blocks`, :mod:`.entities` and :mod:`.quotes`; this module holds only
their vocabulary (lower case unless a list says otherwise), so that a word is added in one place
and a list two rules share is one list. spaCy's labels (entity types, dependency relations) are
not English words and stay with the rules that test them.

Lists marked "joined into a regular expression" are plain letters, spaces and hyphens only.
"""

from __future__ import annotations

# -- people: honorifics, titles, roles -------------------------------------------------------

#: Honorifics that tell a woman ("Ms Caldwell": the entity is "she").
FEMALE_HONORIFICS = frozenset({"mrs", "ms", "miss", "dame", "lady"})
#: Honorifics that tell a man ("Mr Smith": the entity is "he").
MALE_HONORIFICS = frozenset({"mr", "sir", "lord"})
#: Honorifics before a name (kept in the mention text, not in the name; they make a PERSON).
HONORIFICS = FEMALE_HONORIFICS | MALE_HONORIFICS | frozenset({"mx", "dr", "prof", "professor"})

#: Words that make a job title in front of a name ("Commerce Secretary Howard Lutnick").
TITLE_WORDS = frozenset(
    {
        "president",
        "vice",
        "prime",
        "minister",
        "secretary",
        "chancellor",
        "senator",
        "sen",
        "rep",
        "representative",
        "congressman",
        "congresswoman",
        "governor",
        "gov",
        "mayor",
        "judge",
        "justice",
        "general",
        "gen",
        "colonel",
        "col",
        "captain",
        "capt",
        "lieutenant",
        "lt",
        "commander",
        "cmdr",
        "major",
        "maj",
        "adm",
        "sergeant",
        "sgt",
        "admiral",
        "commissioner",
        "chairman",
        "chairwoman",
        "chair",
        "chief",
        "executive",
        "ceo",
        "director",
        "deputy",
        "ambassador",
        "councillor",
        "cllr",
        "bishop",
        "archbishop",
        "rabbi",
        "rev",
        "reverend",
        "coach",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "leader",
        "premier",
        "attorney",
        "sheriff",
        "inspector",
        "detective",
        "officer",
        "superintendent",
        "constable",
        "mp",
        "mep",
        "msp",
        "mla",
        "mpp",
        "cpl",
        "corporal",
        "supt",
        "senior",
        "junior",
        "former",
        "acting",
        "interim",
        "foreign",
        "home",
        "first",
        "lady",
    }
)
#: What may stand before a name without being part of it: a title or an honorific.
TITLES_AND_HONORIFICS = TITLE_WORDS | HONORIFICS
#: Title words that also open the names of bodies ("General Motors", "Executive Council"): a
#: title ending in one does not make the name after it a person's.
TITLE_MODIFIERS = frozenset(
    {
        "general",
        "executive",
        "chief",
        "first",
        "senior",
        "junior",
        "former",
        "acting",
        "interim",
        "foreign",
        "home",
        "vice",
        "deputy",
        "prime",
        "director",
        "leader",
        "officer",
    }
)
#: The word after a one-word ORG/NORP span that makes it part of a title ("Commerce" of
#: "Commerce Secretary"), not an organisation.
PORTFOLIO_HEADS = frozenset({"secretary", "minister", "ministers", "secretaries"})
#: Nouns for a person's office or trade: "the prime minister said", "the singer said".
PERSON_ROLES = frozenset(
    {
        # people described by who they are rather than by office
        "resident",
        "proprietor",
        "student",
        "mother",
        "father",
        "daughter",
        "son",
        "wife",
        "husband",
        "widow",
        "woman",
        "man",
        "worker",
        "employee",
        "activist",
        "campaigner",
        "expert",
        "nurse",
        "farmer",
        "victim",
        "witness",
        "neighbour",
        "neighbor",
        "volunteer",
        "organiser",
        "organizer",
        "protester",
        "parent",
        "patient",
        "survivor",
        # people by office or trade
        "minister",
        "secretary",
        "president",
        "chancellor",
        "leader",
        "premier",
        "governor",
        "mayor",
        "senator",
        "judge",
        "lawyer",
        "attorney",
        "chairman",
        "chairwoman",
        "chair",
        "boss",
        "chief",
        "executive",
        "director",
        "manager",
        "coach",
        "player",
        "singer",
        "star",
        "actor",
        "actress",
        "author",
        "writer",
        "artist",
        "musician",
        "rapper",
        "striker",
        "captain",
        "ambassador",
        "envoy",
        "commissioner",
        "economist",
        "analyst",
        "professor",
        "researcher",
        "scientist",
        "doctor",
        "founder",
        "owner",
        "spokesman",
        "spokeswoman",
        "officer",
        "detective",
        "inspector",
        "pilot",
        "driver",
        "champion",
        "veteran",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "bishop",
        "mp",
        "candidate",
        "presenter",
        "director-general",
        "ceo",
        "head",
        "headteacher",
        "teacher",
    }
)
#: Roles that belong to a band or company: "former Nirvana frontman" makes Nirvana an ORG.
MEMBER_ROLES = frozenset(
    {
        "frontman",
        "frontwoman",
        "guitarist",
        "drummer",
        "bassist",
        "vocalist",
        "keyboardist",
        "chairman",
        "chairwoman",
        "founder",
        "co-founder",
        "boss",
        "employee",
        "employees",
        "shareholder",
        "shareholders",
    }
)
#: Roles in a sports team: "Kelburn captain Jo Hardy", "the Kelburn striker" make the place
#: named in front a club.
TEAM_ROLES = frozenset(
    {
        "captain",
        "skipper",
        "coach",
        "manager",
        "striker",
        "goalkeeper",
        "keeper",
        "defender",
        "midfielder",
        "winger",
        "forward",
        "batsman",
        "bowler",
        "pitcher",
        "quarterback",
        "scrum-half",
        "fly-half",
        "fans",
        "supporters",
    }
)
#: Nouns for a sports team that a club's name stands in apposition to ("league club Kelburn").
TEAM_NOUNS = frozenset({"club", "side", "team"})
#: Verbs of a match whose subject or object is a team: "Kelburn beat Mossford", "routed the Otters".
MATCH_VERBS = frozenset(
    {
        "beat",
        "defeat",
        "rout",
        "thrash",
        "trounce",
        "edge",
        "crush",
        "hammer",
        "down",
        "outplay",
        "draw",
        "tie",
        "trail",
        "rally",
        "dismiss",
        "host",
        "overcome",
        "clinch",
        "sweep",
        "concede",
        "shut",
        "blank",
        "whip",
        "join",
        "relegate",
        "promote",
    }
)
#: Nouns whose "over"/"against" object is a team: "a 3-2 win over Kelburn".
MATCH_NOUNS = frozenset(
    {"victory", "win", "defeat", "loss", "match", "game", "draw", "final", "clash", "lead"}
)
#: Prepositions whose object is a place: "in Penticton", "a man from Brannock".
PLACE_PREPOSITIONS = frozenset(
    {"in", "at", "from", "near", "outside", "across", "throughout", "around", "into", "inside"}
)
#: Nouns for a kind of place: "the town of Lethbridge", "the capital Whitehorse".
PLACE_NOUNS = frozenset(
    {
        "town",
        "city",
        "village",
        "capital",
        "province",
        "region",
        "county",
        "state",
        "district",
        "port",
        "suburb",
        "island",
        "neighbourhood",
        "neighborhood",
        "municipality",
        "area",
        "riding",
    }
)
#: Nations that GeoNames lists inside another country (a country for the gazetteer).
NATIONS = ("England", "Scotland", "Wales", "Northern Ireland", "Czech Republic")
#: Provinces, territories and states outside the US that GeoNames' city lists leave out (a region
#: for the gazetteer): Canada's, and Australia's that are no common first name.
REGIONS = (
    "Alberta",
    "British Columbia",
    "Manitoba",
    "New Brunswick",
    "Newfoundland and Labrador",
    "Newfoundland",
    "Labrador",
    "Nova Scotia",
    "Ontario",
    "Prince Edward Island",
    "Quebec",
    "Saskatchewan",
    "Northwest Territories",
    "Nunavut",
    "Yukon",
    "New South Wales",
    "Queensland",
    "South Australia",
    "Western Australia",
    "Tasmania",
)
#: Abbreviations of provinces and states that follow a town's name in news copy ("Brannock, Ont.",
#: "Amherst, N.S.", "Fresno, Calif."), compared without their full stops.
REGION_ABBREVIATIONS = frozenset(
    {
        "ont",
        "que",
        "alta",
        "sask",
        "man",
        "bc",
        "ns",
        "nb",
        "pei",
        "nfld",
        "nl",
        "nwt",
        "ala",
        "ariz",
        "ark",
        "calif",
        "colo",
        "conn",
        "del",
        "fla",
        "ga",
        "ill",
        "ind",
        "kan",
        "ky",
        "la",
        "md",
        "mass",
        "mich",
        "minn",
        "miss",
        "mo",
        "mont",
        "neb",
        "nev",
        "nh",
        "nj",
        "nm",
        "ny",
        "nc",
        "nd",
        "okla",
        "ore",
        "pa",
        "ri",
        "sc",
        "sd",
        "tenn",
        "vt",
        "va",
        "wash",
        "wis",
        "wyo",
    }
)
#: Nouns for a document that speaks for whoever made it: "a report by X said", "X's statement
#: said", "says a paper on X's website"; "the report also said" is the one named before.
DOCUMENT_NOUNS = frozenset(
    {"statement", "document", "report", "paper", "study", "letter", "memo", "release"}
)
#: Messages and adverts someone sends or runs, which speak for their maker like a document
#: ("an email sent by X warned", "X's newsletter notes"); with no maker named, the phrase is
#: read like any other subject ("the X Union advert claims").
MESSAGE_NOUNS = frozenset(
    {"email", "e-mail", "ad", "advert", "advertisement", "tweet", "editorial", "op-ed"}
    | {"filing", "petition", "newsletter", "mailer", "leaflet"}
)
#: Nouns for someone speaking for a body: "a spokesman for X" speaks for X.
SPOKESPERSON_WORDS = frozenset(
    {
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "spokespeople",
        "spokespersons",
        "spokesmen",
        "spokeswomen",
        "representative",
        "statement",
        "source",
        "sources",
        "official",
        "officials",
        "aide",
        "aides",
    }
)
#: Nouns for a woman: a person named with one is "she" ("her mother Ana", "the actress X").
FEMALE_WORDS = frozenset(
    {
        "spokeswoman",
        "chairwoman",
        "businesswoman",
        "congresswoman",
        "councilwoman",
        "actress",
        "woman",
        "mother",
        "grandmother",
        "wife",
        "widow",
        "daughter",
        "granddaughter",
        "sister",
        "aunt",
        "niece",
        "girlfriend",
        "queen",
        "princess",
    }
)
#: Nouns for a man: a person named with one is "he" ("her father Sami", "the actor X").
MALE_WORDS = frozenset(
    {
        "spokesman",
        "chairman",
        "businessman",
        "congressman",
        "councilman",
        "actor",
        "man",
        "father",
        "grandfather",
        "husband",
        "widower",
        "son",
        "grandson",
        "brother",
        "uncle",
        "nephew",
        "boyfriend",
        "king",
        "prince",
    }
)

# -- pronouns --------------------------------------------------------------------------------

#: Pronouns for a person, with the gender they tell ("m" / "f").
PERSONAL_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
#: Pronouns for an organisation or place.
NEUTER_PRONOUNS = frozenset({"it", "its"})
#: Plural pronouns: an organisation, a group, or failing those a person.
PLURAL_PRONOUNS = frozenset({"they", "them"})

# -- organisations ---------------------------------------------------------------------------

#: Last words that make a name an organisation ("… Centre", "… Association", "… Committee").
ORG_HEADS = frozenset(
    {
        "centre",
        "center",
        "association",
        "committee",
        "council",
        "university",
        "college",
        "school",
        "party",
        "museum",
        "service",
        "services",
        "agency",
        "department",
        "ministry",
        "office",
        "bank",
        "company",
        "corporation",
        "corp",
        "group",
        "institute",
        "institution",
        "foundation",
        "society",
        "union",
        "club",
        "commission",
        "authority",
        "board",
        "trust",
        "inc",
        "ltd",
        "plc",
        "llc",
        "co",
        "news",
        "times",
        "post",
        "network",
        "federation",
        "organisation",
        "organization",
        "league",
        "academy",
        "fund",
        "industries",
        "airlines",
        "airways",
        "bureau",
        "administration",
        "assembly",
        "parliament",
        "congress",
        "senate",
        "police",
        "army",
        "navy",
        "force",
        "forces",
        "team",
        "band",
        "orchestra",
        "records",
        "studios",
        "press",
        "channel",
        "television",
        "radio",
        "anonymous",
    }
)
#: "the firm said": a generic noun standing for an organisation named before.
ORG_NOUNS = frozenset(
    {
        "company",
        "firm",
        "group",
        "bank",
        "council",
        "committee",
        "club",
        "union",
        "party",
        "retailer",
        "carrier",
        "airline",
        "network",
        "charity",
        "organisation",
        "organization",
        "agency",
        "department",
        "ministry",
        "band",
        "broadcaster",
        "regulator",
        "watchdog",
        "insurer",
        "lender",
        "supermarket",
        "chain",
        "manufacturer",
        "maker",
        "business",
        "corporation",
        "university",
        "association",
        "federation",
        "board",
        "commission",
        "authority",
        "trust",
        "foundation",
        "institute",
        "society",
        "team",
        "studio",
        "publisher",
    }
)
#: Determiners before a generic organisation noun that make it refer back ("the firm").
ORG_NOUN_DETERMINERS = frozenset({"the", "this"})

# -- nations, religions and other groups -----------------------------------------------------

#: Endings of a nationality adjective ("European", "Chinese", "British", "Baltic"); the rules
#: below each add one ending of their own.
NATIONALITY_SUFFIXES = ("an", "ese", "ish", "ic")
#: Endings of a nationality word in front of a name ("the French Tidewell project").
NATIONALITY_MODIFIER_SUFFIXES = (*NATIONALITY_SUFFIXES, "ch")
#: Endings of a nationality adjective that opens an ORG span ("European Tidewell", "Israeli X").
NATIONALITY_ADJECTIVE_SUFFIXES = (*NATIONALITY_SUFFIXES, "i")
#: Endings of a nationality, religion or political group word ("Chinese", "Muslims").
GROUP_SUFFIXES = (
    *NATIONALITY_SUFFIXES,
    "ans",
    "ics",
    "i",
    "is",
    "ch",
    "ist",
    "ists",
    "ite",
    "ites",
    "er",
    "ers",
    "ats",
    "at",
)
#: Short nouns for people of a nation: demonyms that are group words too.
NATION_NOUNS = frozenset(
    {
        "scots",
        "brit",
        "brits",
        "dane",
        "danes",
        "finn",
        "finns",
        "pole",
        "poles",
        "swede",
        "swedes",
        "turk",
        "turks",
    }
)
#: Nouns for a person of a nation: NER often types them PERSON or ORG; alone they are NORP.
DEMONYMS = NATION_NOUNS | frozenset(
    {
        "scot",
        "spaniard",
        "spaniards",
        "briton",
        "britons",
        "kiwi",
        "kiwis",
        "aussie",
        "aussies",
        "frenchman",
        "englishman",
        "welshman",
        "irishman",
        "scotsman",
        "dutchman",
        "frenchwoman",
        "englishwoman",
        "scotswoman",
        "welshwoman",
        "irishwoman",
        "yankee",
        "yankees",
    }
)
#: Nationality, religion and political group words that no ending gives away: a NORP named
#: with one stays NORP.
GROUP_WORDS = NATION_NOUNS | frozenset(
    {
        "greek",
        "greeks",
        "thai",
        "thais",
        "swiss",
        "arab",
        "arabs",
        "kurd",
        "kurds",
        "sikh",
        "sikhs",
        "hindu",
        "hindus",
        "muslim",
        "muslims",
        "jew",
        "jews",
        "sunni",
        "shia",
        "nazi",
        "nazis",
        "maori",
        "zulu",
        "inuit",
        "uzbek",
        "kazakh",
        "tajik",
        "kyrgyz",
        "turkmen",
        "basque",
        "basques",
        "bosniak",
        "serb",
        "serbs",
        "croat",
        "croats",
        "slovak",
        "slovaks",
        "czech",
        "czechs",
        "catholic",
        "catholics",
        "protestant",
        "protestants",
        "christian",
        "christians",
        "mormon",
        "mormons",
        "buddhist",
        "buddhists",
        "latino",
        "latinos",
        "latina",
        "hispanic",
        "hispanics",
        "democrat",
        "democrats",
        "republican",
        "republicans",
        "liberal",
        "liberals",
        "tory",
        "tories",
        "socialist",
        "socialists",
    }
)

# -- parties and politics --------------------------------------------------------------------

#: Party names found by form even where NER missed them (as written: capitalised).
PARTY_FORMS = frozenset(
    {"Tory", "Tories", "Conservative", "Conservatives", "Labour", "Lib Dem", "Lib Dems"}
)
#: The capitalised words that may stand before a party form ("The Tories"); any other
#: capitalised word before it makes it part of a longer name.
PARTY_FORM_ARTICLES = frozenset({"the", "a"})
#: Nouns that make a sentence-initial "Conservative"/"Labour" a party, not an adjective.
POLITICAL_NOUNS = frozenset(
    {
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "leader",
        "mp",
        "mps",
        "mep",
        "meps",
        "candidate",
        "candidates",
        "member",
        "members",
        "politician",
        "politicians",
        "peer",
        "peers",
        "councillor",
        "councillors",
        "government",
        "party",
        "voters",
        "supporters",
        "minister",
        "ministers",
        "chairman",
        "chairwoman",
        "manifesto",
        "leadership",
        "policy",
        "campaign",
        "backbencher",
        "backbenchers",
        "activists",
        "source",
        "sources",
        "figures",
    }
)

# -- canonical names -------------------------------------------------------------------------

#: Standard expansions: surface form (lower case, straight apostrophes) -> (canonical name, type).
EXPANSIONS: dict[str, tuple[str, str]] = {
    "us": ("United States", "GPE"),
    "u.s.": ("United States", "GPE"),
    "u.s": ("United States", "GPE"),
    "usa": ("United States", "GPE"),
    "u.s.a.": ("United States", "GPE"),
    "united states": ("United States", "GPE"),
    "united states of america": ("United States", "GPE"),
    "uk": ("United Kingdom", "GPE"),
    "u.k.": ("United Kingdom", "GPE"),
    "u.k": ("United Kingdom", "GPE"),
    "britain": ("United Kingdom", "GPE"),
    "great britain": ("United Kingdom", "GPE"),
    "united kingdom": ("United Kingdom", "GPE"),
    "tory": ("Conservative Party", "ORG"),
    "tories": ("Conservative Party", "ORG"),
    "conservative": ("Conservative Party", "ORG"),
    "conservatives": ("Conservative Party", "ORG"),
    "conservative party": ("Conservative Party", "ORG"),
    "tory party": ("Conservative Party", "ORG"),
    "labour": ("Labour Party", "ORG"),
    "labour party": ("Labour Party", "ORG"),
    "lib dem": ("Liberal Democrats", "ORG"),
    "lib dems": ("Liberal Democrats", "ORG"),
    "liberal democrat": ("Liberal Democrats", "ORG"),
    "liberal democrats": ("Liberal Democrats", "ORG"),
    "eu": ("European Union", "ORG"),
    "e.u.": ("European Union", "ORG"),
    "european union": ("European Union", "ORG"),
    "un": ("United Nations", "ORG"),
    "u.n.": ("United Nations", "ORG"),
    "united nations": ("United Nations", "ORG"),
}

# -- places and times ------------------------------------------------------------------------

#: Time zones (as written: upper case): NER tags them, they are not entities.
TIME_ZONES = frozenset(
    {
        "GMT",
        "BST",
        "UTC",
        "CET",
        "CEST",
        "EST",
        "EDT",
        "CST",
        "CDT",
        "MST",
        "MDT",
        "PST",
        "PDT",
        "ET",
        "PT",
        "IST",
        "JST",
        "AEST",
        "AEDT",
    }
)
#: A possessor that is a saint's abbreviation, not an owner ("St Anne’s Centre" stays whole).
SAINT_WORDS = frozenset({"st", "saint"})

# -- function words --------------------------------------------------------------------------

#: Small words inside a name ("Office of the …"): not capitalised, not counted in initials.
NAME_FUNCTION_WORDS = frozenset({"of", "the", "and", "for"})
#: Words a span cut short ends on ("The Office of the"): it is extended over what follows.
FUNCTION_TAIL = NAME_FUNCTION_WORDS | frozenset({"&", "de", "on"})
#: The only words a title of a work leaves in lower case ("Gone with the Wind", "A Day in
#: the Life"); any other lower-case word ("Thank you Ohio") marks words someone spoke.
TITLE_SMALL_WORDS = NAME_FUNCTION_WORDS | frozenset(
    {"a", "an", "at", "as", "by", "in", "on", "or", "to", "nor", "but", "vs", "vs.", "de"}
)
#: Prepositions whose object still speaks through the head noun ("a lawyer for X", "a study
#: by X").
SPEAKER_PREPOSITIONS = frozenset({"for", "of", "at", "from", "with", "by"})

# -- speech ----------------------------------------------------------------------------------

#: Cue verbs that only count with a quote right next to them (too common as ordinary verbs).
WEAK_CUE_LEMMAS = frozenset(
    {"continue", "point", "begin", "think", "believe", "post", "cry", "laugh", "report"}
)
#: Verbs that judge or characterise in words: not cues of a quoted sentence, but a quoted
#: fragment inside their clause is their subject's words ("he decried the board for “turning
#: its back”", "she praised the plan as “long overdue”").
VERDICT_LEMMAS = frozenset(
    {
        "decry",
        "bemoan",
        "praise",
        "mock",
        "slam",
        "denounce",
        "condemn",
        "label",
        "dub",
        "refer",
        "tout",
        "ridicule",
        "applaud",
        "thank",
        "welcome",
        "defend",
        "attack",
        "question",
        "rebuke",
        "chide",
        "scold",
        "lambast",
        "lambaste",
        "deride",
        "characterise",
        "characterize",
        "portray",
        "paint",
        # 1.9.0
        "blame",
        "cite",
        "compare",
        # 1.11.0: verbs that rate, liken or cast in words ("likened it to “…”", "deemed it
        # “…”", "cast him as a liberal who would “…”"); the model lemmatises "rated" and
        # "rating" as "rat", so "rate" matches only that form
        "rate",
        "deem",
        "liken",
        "view",
        "regard",
        "cast",
        "credit",
        "reject",
        "repeat",
        "echo",
        "imply",
        "intimate",
        "endorse",
        "laud",
        "extol",
        "commend",
        "castigate",
        "assail",
        "berate",
        "excoriate",
        "belittle",
        "disparage",
        "bash",
        "knock",
        "speak",
        "talk",
        "fault",
        "champion",
        "tar",
    }
)
#: Lemmas of the verbs that attribute a quote ("said", "told", "added", …), weak ones included.
CUE_LEMMAS = WEAK_CUE_LEMMAS | frozenset(
    {
        "say",
        "tell",
        "state",
        "note",
        "add",
        "insist",
        "warn",
        "conclude",
        "explain",
        "argue",
        "claim",
        "announce",
        "declare",
        "write",
        "ask",
        "reply",
        "respond",
        "comment",
        "admit",
        "acknowledge",
        "suggest",
        "confirm",
        "deny",
        "predict",
        "describe",
        "urge",
        "emphasise",
        "emphasize",
        "stress",
        "remark",
        "observe",
        "maintain",
        "recall",
        "promise",
        "vow",
        "complain",
        "caution",
        "tweet",
        "mention",
        "reveal",
        "boast",
        "joke",
        "quip",
        "agree",
        "accuse",
        "assert",
        "contend",
        "concede",
        "counter",
        "retort",
        "proclaim",
        "pledge",
        "threaten",
        "demand",
        "plead",
        "recount",
        "testify",
        "exclaim",
        "shout",
        "whisper",
        "sigh",
        "call",
        "brand",
        "hail",
        "criticise",
        "criticize",
        "blast",
        "dismiss",
        "scoff",
        "lament",
        # 1.8.0
        "assure",
        "reassure",
        "muse",
        "wonder",
        "snap",
        "yell",
        "scream",
        "mutter",
        "murmur",
        "grumble",
        "reiterate",
        "allege",
        "remind",
        "interject",
        "concur",
        "opine",
        "elaborate",
        "gush",
        "marvel",
        # 1.9.0
        "bark",
        "chant",
        "grouse",
        "gripe",
        "holler",
        "growl",
        "rant",
        "bellow",
        "apologise",
        "apologize",
    }
)
#: Verbs that are cues only with one of their particles: "shot back", "weighed in".
PHRASAL_CUES: dict[str, frozenset[str]] = {
    "shoot": frozenset({"back"}),
    "fire": frozenset({"back"}),
    "hit": frozenset({"back"}),
    "snap": frozenset({"back"}),
    "weigh": frozenset({"in"}),
    "chime": frozenset({"in"}),
    "pipe": frozenset({"up"}),
    "speak": frozenset({"up", "out"}),
}
#: Speech-verb forms that end a bullet's lead ("Smith said: …" is not a label "Smith said").
#: Matched in any case; joined into a regular expression.
SPEECH_VERB_FORMS = (
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "noted",
    "warned",
    "asked",
    "explained",
    "insisted",
)
#: Words right before a quote that make it a term, not speech ("the so-called “…”").
#: Matched in any case; joined into a regular expression.
METALINGUISTIC_BEFORE = (
    "so-called",
    "so called",
    "term",
    "terms",
    "word",
    "words",
    "phrase",
    "label",
    "slogan",
    "dubbed",
    "called",
    "known as",
    "termed",
    "labelled",
    "labeled",
    "branded",
    "nicknamed",
    "call",
    "calls",
    "tag",
    "hashtag",
    "what",
    "the idea of",
    "concept of",
    "notion of",
)
#: Verbs of naming ("Ruiz calls it “…”", "a plan she dubbed “…”"): a quote right after one
#: is a term unless the verb has a subject (or a "by" phrase) that names who used the words.
NAMING_LEMMAS = frozenset({"call", "dub", "term", "label", "brand", "nickname"})
#: Words right after a quote that make it a term ("“sustainable” means …").
#: Matched in any case; joined into a regular expression.
METALINGUISTIC_AFTER = ("means", "meant", "mean", "stands for", "refers to", "is defined")
#: Abbreviations whose full stop ends no sentence (as written, case-sensitive; a single
#: capital letter counts too). Joined into a regular expression.
ABBREVIATIONS = (
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "St",
    "Prof",
    "Gen",
    "Sen",
    "Rep",
    "Gov",
    "Jr",
    "Sr",
    "Inc",
    "Ltd",
    "Co",
    "Corp",
    "No",
    "Lt",
    "Cmdr",
    "Maj",
    "Adm",
    "Col",
    "Capt",
    "Sgt",
    "Rev",
    "Mt",
    "Ft",
    "vs",
    "etc",
)

# -- entity typing and boundaries (parser entity rules, kept together) -----------------------

#: Last words of a company's name that mark it a body in other countries' forms ("… SpA",
#: "… AG", "… Bros."), as written (capitalised or in capitals); with :data:`ORG_HEADS`.
CORPORATE_SUFFIXES = frozenset(
    {"SpA", "SA", "AG", "NV", "BV", "GmbH", "AB", "ASA", "Oy", "Bros", "Bros.", "PLC", "LLP"}
)
#: Last words that make a name a sports or other competition, an event ("… Cup", "… Open").
EVENT_HEADS = frozenset(
    {
        "cup",
        "championship",
        "championships",
        "tournament",
        "trophy",
        "olympics",
        "olympiad",
        "games",
        "open",
        "prix",
        "classic",
        "series",
        "tour",
        "marathon",
        "festival",
        "expo",
        "summit",
        "war",
        "revolution",
    }
)
#: Month and weekday names: a date word opening a name's span is not part of the name
#: ("the Friday Harbour Bulletin" -> "Harbour Bulletin").
DATE_WORDS = frozenset(
    {
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    }
)
#: Nouns for a newspaper, magazine or agency that a title stands with ("the daily X", "X
#: news agency"): the name is an organisation.
MEDIA_NOUNS = frozenset(
    {
        "newspaper",
        "daily",
        "weekly",
        "paper",
        "magazine",
        "tabloid",
        "agency",
        "broadcaster",
        "journal",
        "newsweekly",
    }
)
#: Nouns right after a one-word name that make it a company's ("Tollco shares", "Tollco's
#: chief executive" is a title; these are not): shares, its units, its staff as a body.
COMPANY_NOUNS = frozenset(
    {
        "shares",
        "share",
        "stock",
        "stocks",
        "shareholders",
        "stockholders",
        "subsidiary",
        "subsidiaries",
        "unit",
        "units",
        "division",
        "plant",
        "plants",
        "employees",
        "workers",
        "executives",
        "ceo",
        "earnings",
        "profits",
        "revenue",
        "sales",
    }
)
#: Nouns for a work that a quoted title stands after ("the film “A House in Mossford”").
WORK_NOUNS = frozenset(
    {
        "film",
        "movie",
        "novel",
        "book",
        "memoir",
        "biography",
        "autobiography",
        "song",
        "single",
        "album",
        "play",
        "musical",
        "opera",
        "poem",
        "painting",
        "series",
        "show",
        "documentary",
        "sitcom",
        "drama",
        "comedy",
        "thriller",
        "epic",
        "collection",
        "essay",
        "column",
        "report",
        "titled",
        "entitled",
        "called",
    }
)
#: Last words of a company's name ("… Holdings Inc", "… Industries"): a one-word name that
#: opens such a name is the company's short form ("Tollco" of "Tollco Holdings Inc").
COMPANY_HEADS = frozenset(
    {
        "inc",
        "ltd",
        "plc",
        "llc",
        "co",
        "corp",
        "corporation",
        "company",
        "holdings",
        "industries",
        "group",
        "bancorp",
        "bancshares",
        "airlines",
        "airways",
        "motors",
        "pharmaceuticals",
        "international",
        "systems",
        "technologies",
        "enterprises",
        "partners",
        "brothers",
    }
)
#: Last words of a sports club's name ("Harwick Athletic", "Kelburn Rovers"): a name NER typed
#: as a person that ends in one is a club.
CLUB_HEADS = frozenset(
    {"united", "city", "town", "rovers", "wanderers", "athletic", "albion", "county", "fc"}
)
