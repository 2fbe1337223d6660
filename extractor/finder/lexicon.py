"""Word lists the finder runs on: reporting verbs, speaker nouns, titles, pronouns, kinds.

Verbs are listed by their base form and expanded to inflections here, once, at import. The
lists were tuned on PolNeAR's train split: a verb is listed when, in news text, it nearly always
introduces what someone said, thought or wants (what PolNeAR calls an attribution).
"""

from __future__ import annotations

import re

# Irregular forms: base -> (3rd person, past, participle, gerund).
_IRREGULAR = {
    "say": ("says", "said", "said", "saying"),
    "tell": ("tells", "told", "told", "telling"),
    "write": ("writes", "wrote", "written", "writing"),
    "think": ("thinks", "thought", "thought", "thinking"),
    "know": ("knows", "knew", "known", "knowing"),
    "feel": ("feels", "felt", "felt", "feeling"),
    "see": ("sees", "saw", "seen", "seeing"),
    "foresee": ("foresees", "foresaw", "foreseen", "foreseeing"),
    "seek": ("seeks", "sought", "sought", "seeking"),
    "forecast": ("forecasts", "forecast", "forecast", "forecasting"),
    "understand": ("understands", "understood", "understood", "understanding"),
    "hold": ("holds", "held", "held", "holding"),
    "speak": ("speaks", "spoke", "spoken", "speaking"),
    "swear": ("swears", "swore", "sworn", "swearing"),
    "put": ("puts", "put", "put", "putting"),
    "find": ("finds", "found", "found", "finding"),  # a cue only for a poll, a study (ARTIFACT_ONLY)
}


def _inflect(base: str) -> set[str]:
    if base in _IRREGULAR:
        return {base, *_IRREGULAR[base]}
    if base.endswith("e"):
        stem = base[:-1]
        return {base, base + "s", base + "d", stem + "ing"}
    if base.endswith("y") and base[-2] not in "aeiou":
        stem = base[:-1]
        return {base, stem + "ies", stem + "ied", base + "ing"}
    if base.endswith(("s", "sh", "ch", "x", "z")):
        return {base, base + "es", base + "ed", base + "ing"}
    doubled = {"admit", "commit", "regret", "plan", "ban", "stop", "quip", "rebut", "prefer", "refer"}
    if base in doubled:
        return {base, base + "s", base + base[-1] + "ed", base + base[-1] + "ing"}
    return {base, base + "s", base + "ed", base + "ing"}


def _forms(bases: str) -> frozenset[str]:
    out: set[str] = set()
    for base in bases.split():
        out |= _inflect(base)
    return frozenset(out)


# Verbs of saying: they take quotes, that-clauses, and inversion ('"...," said Peskov').
SPEECH = _forms(
    """say tell add note explain stress underline emphasize emphasise insist claim argue declare
    announce write tweet reply respond answer recall warn caution acknowledge admit concede confirm
    deny assert contend maintain observe remark comment predict promise pledge vow urge complain
    joke quip boast allege charge counter retort conclude mention reveal disclose testify assure
    lament speculate muse shout yell proclaim report suggest ask agree disagree
    reiterate repeat estimate posit opine concur affirm inform advise declare protest
    grumble scoff sniff snap chide mock tout brag concur clarify elaborate"""
)

# Verbs of thinking, wanting, intending: they take a that-clause or an infinitive, never inversion.
MENTAL = _forms(
    """believe think know feel fear worry hope expect doubt suspect realize realise want plan intend
    wish prefer decide refuse decline vow threaten pledge seek demand propose recommend acknowledge
    support oppose endorse favor back criticize criticise blame accuse praise thank dismiss reject
    question welcome call describe defend decry denounce blast slam condemn applaud hail laud mock
    talk speak show find cite indicate express order echo request imply wonder remind assail
    highlight signal hint refer voice reaffirm recommend acknowledge"""
)

# Verbs that are cues only with a particular word after them ('talked about', not 'talked').
NEEDS_PARTICLE = {f: ("about", "of") for f in _forms("talk speak")} | {f: ("to",) for f in _forms("refer")}
# Verbs that attribute only when the subject is an artifact ('the poll shows', not 'the show').
ARTIFACT_ONLY = _forms("show find")
ARTIFACTS = frozenset(
    """poll polls polling survey surveys study studies report reports data analysis research records
    documents numbers results figures investigation review audit findings estimates models model
    memo letter emails email evidence census""".split()
)

# Inverted order ('..., said Caddell') only happens with these.
INVERTING = frozenset(
    f
    for f in _forms(
        """say add write tweet explain note continue ask reply respond recall warn insist argue declare
        announce observe quip joke concede acknowledge admit stress emphasize tell report predict"""
    )
    if not f.endswith("ing")
)

# Verbs whose first object is the addressee, not the content ('told CNN that ...').
ADDRESSEE = _forms("tell inform assure warn urge ask advise remind")

# Only the past forms: 'she continued:' is speech, 'continues to' is not; 'stated' but not 'state'.
SPEECH = SPEECH | {"continued", "stated", "pointed"}
CUE_WORDS = SPEECH | MENTAL

# Forms that are as often nouns ('his plans', 'the report'): a verb only after a plain subject.
NOUNISH = frozenset(
    w
    for base in """support plan comment remark report state back point tweet call note claim charge demand
    promise pledge vow answer reply estimate question praise doubt fear hope wish concern view
    comment counter warn threat respond""".split()
    for w in (base, base + "s")
)

# Words between a subject and its verb that belong to the verb group (the cue), per the guidelines.
VERB_GROUP = frozenset(
    """also again has have had is are was were be been will would could should can may might must
    did does do not never later previously repeatedly then still once first recently often already
    just even further publicly privately reportedly quickly openly flatly specifically directly
    separately earlier initially ultimately finally frequently explicitly bluntly angrily simply
    clearly strongly only n't""".split()
)

PRONOUNS = frozenset("he she they it we i you who which".split())
# How roles.py and mentions.py read a speaker phrase: its words, a possessive ending, and the
# determiners that open a description ('the', 'his'); kept here so the two read alike.
WORD = re.compile(r"[^\W_][\w'’.\-&]*")
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
DETERMINERS = frozenset("the a an his her their its our this that these those some one".split())

# Lowercase nouns that can head a speaker description ('a senior official', 'the campaign').
SPEAKER_NOUNS = frozenset(
    """official spokesman spokeswoman spokesperson aide adviser advisor source analyst expert critic
    supporter voter lawmaker legislator senator candidate campaign president leader minister ministry
    department government administration agency committee party group poll survey report study
    statement people resident person economist strategist observer officer police prosecutor lawyer
    attorney judge court researcher scientist organizer member democrat republican team camp office
    network newspaper paper magazine outlet reporter journalist authority diplomat chairman chairwoman
    chair director secretary governor mayor representative congressman congresswoman speaker
    delegate donor activist protester worker executive ceo founder owner operator consultant pollster
    historian professor commentator host anchor columnist editor writer author friend ally allies
    opponent rival colleague relative family father mother son daughter wife husband brother sister
    manager chief head counsel council board union association coalition organization company firm
    bank website site memo letter document records data figures study studies polls surveys
    analysis poll officials sources everyone nobody someone many most some others several both few
    all majority students parents women men americans kremlin pentagon white house state department
    fbi cia nato un eu moscow washington beijing kyiv kiev london paris berlin tehran ones fellow""".split()
)

# Title words before a name; they become the role ('Kremlin spokesman Dmitry Peskov').
TITLES = frozenset(
    """mr mrs ms dr sen rep gov gen lt col sgt prof rev president senator governor representative
    congressman congresswoman spokesman spokeswoman spokesperson minister secretary chairman
    chairwoman ambassador director chief judge justice mayor leader speaker adviser advisor aide
    analyst professor economist strategist commander general admiral prime deputy vice foreign
    defense defence press king queen prince pope candidate nominee host anchor correspondent
    columnist reporter editor official envoy commissioner attorney lawyer sheriff rabbi pastor father
    sister bishop cardinal lord lady sir dame chancellor premier councilman councilwoman councillor
    councilor alderman assemblyman assemblywoman mp mep treasurer registrar inspector superintendent
    president-elect spokesmen advocate""".split()
)

# Single words, plus phrases matched whole ('white house': not 'house' alone).
GOVERNMENT_WORDS = frozenset(
    """kremlin pentagon government ministry administration cabinet parliament congress senate duma
    moscow washington beijing kyiv kiev london paris berlin tehran tokyo ankara brussels russia
    ukraine china iran us u.s. usa america britain uk france germany turkey israel japan india
    embassy police army military court agency""".split()
) | {
    "white house",
    "state department",
    "united states",
    "foreign office",
    "justice department",
    "defense department",
    "foreign ministry",
    "supreme court",
    "homeland security",
}
MEDIA_WORDS = frozenset(
    """cnn bbc fox msnbc nbc abc cbs npr pbs reuters ap afp bloomberg politico axios tass sputnik
    interfax guardian telegraph newsweek breitbart huffington huffpost newspaper magazine network
    channel outlet news radio tv television times herald tribune gazette journal chronicle courier
    broadcaster broadcasting""".split()
) | {
    "new york times",
    "washington post",
    "wall street journal",
    "usa today",
    "ria novosti",
    "associated press",
}
ORG_WORDS = frozenset(
    """campaign company committee party group council board union association coalition
    organization foundation institute university corporation inc corp firm bank nato un eu
    alliance center centre team club league department office commission forum unit survey operator
    energy systems utility charity trust fund society capital securities holdings partners labs
    technologies industries airlines""".split()
)
# Words after 'Secretary of' that belong to the title, not to the name that follows.
TITLE_OBJECTS = frozenset(
    "state defense treasury commerce labor energy education agriculture homeland".split()
)
ANONYMOUS_HEADS = frozenset(
    """source sources official officials person people someone aide aides adviser advisers advisor
    advisors insider insiders diplomat diplomats""".split()
)
GROUP_HEADS = frozenset(
    """voters critics supporters experts analysts republicans democrats residents protesters
    activists lawmakers observers economists americans members parties others many some most
    several both all students parents women men leaders allies""".split()
)

# Abbreviations after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr sen rep gov gen lt col sgt st jr sr prof rev vs no inc co corp ltd jan feb
    mar apr aug sept sep oct nov dec ft mt messrs pres supt gens reps sens dept est approx""".split()
)

# What people do, written before a name as a description, not a title: 'Publican Gwen Ashby',
# 'Shopkeeper Ali Demir'. Capitalised only because a sentence opens with them, they are still
# no part of the name. Words that are also common first names ('Hunter', 'Mason', 'Taylor',
# 'Porter', 'Carter', 'Cooper', 'Parker') are left out: 'Hunter S. Thompson' keeps his name.
OCCUPATIONS = frozenset(
    """publican landlord landlady shopkeeper grocer butcher baker fishmonger florist chemist
    pharmacist farmer crofter rancher fisherman fishermen trawlerman miner welder plumber
    electrician builder bricklayer joiner roofer decorator mechanic engineer technician driver
    cabbie taxi-driver trucker chauffeur pilot captain skipper sailor ferryman boatman
    conductor guard nurse midwife doctor surgeon dentist vet veterinarian paramedic
    physiotherapist therapist psychologist psychiatrist counsellor counselor carer caregiver
    teacher headteacher headmaster headmistress lecturer tutor librarian archivist curator
    student pupil graduate undergraduate researcher scientist physicist biologist chemist
    geologist glaciologist climatologist meteorologist economist sociologist historian
    archaeologist anthropologist linguist philosopher mathematician statistician
    accountant banker broker trader investor entrepreneur financier shopworker cashier clerk
    receptionist secretary administrator waiter waitress barman barmaid bartender chef
    cook hotelier restaurateur innkeeper caterer cleaner janitor caretaker gardener
    housekeeper nanny childminder hairdresser barber tailor seamstress jeweller jeweler
    photographer filmmaker director producer actor actress singer musician composer
    songwriter dancer choreographer artist painter sculptor novelist poet playwright
    writer author journalist reporter editor broadcaster presenter blogger designer
    architect surveyor planner developer programmer coder lawyer solicitor barrister
    attorney paralegal notary magistrate priest vicar pastor imam rabbi chaplain monk nun
    volunteer campaigner activist organiser organizer protester demonstrator steward
    shop-steward unionist trade-unionist councillor councilor resident homeowner tenant
    pensioner retiree commuter passenger shopper customer consumer parent grandmother
    grandfather mother father widow widower veteran soldier sergeant corporal officer
    constable detective firefighter fireman lifeguard coastguard ranger warden gamekeeper
    forester beekeeper vintner winemaker brewer distiller baker confectioner
    auctioneer dealer collector breeder trainer jockey coach referee footballer cricketer
    athlete cyclist runner swimmer climber mountaineer guide explorer surfer boxer
    entertainer comedian magician illustrator animator translator interpreter consultant
    contractor labourer laborer docker stevedore porter-manager warehouseman postman
    postwoman courier dispatcher operator manager supervisor foreman forewoman
    businessman businesswoman industrialist shipowner landowner smallholder
    horticulturist ecologist conservationist environmentalist campaigner""".split()
)
# Party labels written before a name: 'Republican Donald Trump' is Donald Trump, a Republican.
PARTY_LABELS = frozenset(
    "republican democrat democratic libertarian conservative labour liberal tory socialist gop independent".split()
)
# Suffixes that make a capitalised word before a name a description: 'Glaciologist', 'Optician'.
OCCUPATION_SUFFIXES = ("ologist", "ician", "grapher", "ist", "eer", "master")

# Heads of a definite description that stands for an organisation named before it: 'the
# company said', 'the software maker said', 'the ministry said'. Company-like heads fit any
# company; the others fit a name holding the same word ('the union' -> 'University and College
# Union', 'the ministry' -> 'Russian Foreign Ministry').
COMPANY_HEADS = frozenset(
    """company firm maker business giant group retailer carmaker automaker lender insurer airline
    carrier operator utility manufacturer producer developer supplier provider startup start-up
    chain conglomerate miner chipmaker drugmaker brewer publisher""".split()
)
NAMED_HEADS = frozenset("ministry department agency bank union council university charity".split())
# Last words of an organisation's name that say it is not a company ('Cloud Industry Forum').
NOT_COMPANY = frozenset(
    """union university forum association institute foundation council party committee commission
    coalition campaign society trust charity club league alliance center centre team office
    department ministry board unit survey agency court police army government parliament""".split()
)

# Places a run of capitalised words can name, so that a pronoun never takes one for a person:
# countries, US states, large cities, and the words that open or close a place's name.
PLACES = frozenset(
    w.replace("_", " ")
    for w in """afghanistan albania algeria angola argentina armenia australia austria azerbaijan
    bahrain bangladesh belarus belgium bolivia bosnia brazil bulgaria cambodia cameroon canada chile
    china colombia congo croatia cuba cyprus czechia denmark ecuador egypt eritrea estonia ethiopia
    finland france germany ghana greece guatemala haiti honduras hungary iceland
    indonesia iran iraq ireland italy jamaica japan kazakhstan kenya kosovo kuwait
    laos latvia lebanon libya lithuania luxembourg madagascar malaysia mali malta mexico moldova
    mongolia montenegro morocco mozambique myanmar namibia nepal netherlands nicaragua niger nigeria
    norway oman pakistan panama paraguay peru philippines poland portugal qatar romania russia
    rwanda scotland senegal serbia singapore slovakia slovenia somalia spain sudan sweden
    switzerland syria taiwan tajikistan tanzania thailand tunisia turkey turkmenistan uganda ukraine
    uruguay uzbekistan venezuela vietnam wales yemen zambia zimbabwe europe asia africa
    britain england korea crimea gaza palestine kashmir tibet hong_kong puerto_rico
    alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho
    illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
    mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas
    utah vermont wisconsin wyoming
    london berlin moscow beijing tokyo brussels kyiv kiev geneva vienna rome madrid
    chicago boston philadelphia detroit atlanta miami seattle denver honolulu
    baghdad damascus tehran kabul cairo istanbul ankara delhi mumbai shanghai seoul pyongyang
    sydney toronto montreal manhattan brooklyn""".split()
)
PLACE_FIRST = frozenset(
    "north south east west northern southern eastern western new fort port mount saint st. san santa los las lake upper lower greater".split()
)
PLACE_LAST = frozenset(
    """county city state province island islands street avenue road square valley bay coast harbour
    harbor river district region heights beach hills mountains airport station peninsula""".split()
)
