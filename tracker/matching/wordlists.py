"""Word lists of name normalisation: suffixes, honorifics, job titles,
surname particles, countries and their adjectives, romanisation variants.

``normalize.py`` reads them; ``roles.py`` reads the country table.  Entries
are lower-case ASCII, as tokens are after folding.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """The set of whitespace-separated words in ``text``."""
    return frozenset(text.split())


SUFFIXES: dict[str, str] = {
    "jr": "jr",
    "junior": "jr",
    "jnr": "jr",
    "sr": "sr",
    "senior": "sr",
    "snr": "sr",
    "ii": "ii",
    "2nd": "ii",
    "iii": "iii",
    "3rd": "iii",
    "iv": "iv",
    "4th": "iv",
}

DEGREES = words("phd md esq mp mep obe cbe kbe mbe dds mba qc kc jd dphil frs rn cpa")

# Honorifics and fillers removed from the start of a name whenever a name
# token remains after them.
HONORIFICS = words("""mr mrs ms miss mx dr doctor prof professor rev reverend hon honorable honourable
    sen rep gov gen col capt lt sgt adm amb pres the a an former late then his her their
    its our my ex acting interim outgoing incoming current newly elected sitting
    mister madam madame mme mlle herr frau sr sra srta dona don monsieur messrs senor senora
    signor signora sayyed sayyid sayed seyed sheikh sheik shaikh shaykh haji hajji mullah mulla
    ayatollah ayatullah hojatoleslam""")
# Forms of address that tell a woman from a man, before a surname alone
# ("Mrs Obama", "Herr Scholz"): index.py asks when the one speaker with that
# surname has a given name that does not fit (see _address_fits there).
FEMALE_ADDRESS = words("mrs ms miss madam madame mme mlle frau senora signora dame lady")
MALE_ADDRESS = words("mr mister herr monsieur senor signor sir lord")
GENDERED_ADDRESS = FEMALE_ADDRESS | MALE_ADDRESS
# Words that are also names or name parts ("Don", "John Major", "Prince
# Harry"): stripped from the front only when two tokens remain after them
# (normalize.strip_titles).
WEAK_LEADING = words("""sir dame lord lady king queen prince princess emir pope saint
    general major judge justice bishop father sister brother imam rabbi
    cardinal archbishop don dona sr sra""")

# Job-title words: the name starts after the last of these (if a name remains).
TITLE_WORDS = words("""president presidential vice premier minister ministers secretary envoy ambassador
    anchor anchorman anchorwoman correspondent spokesman spokeswoman spokesperson
    senator congressman congresswoman representative governor mayor chancellor
    chairman chairwoman chairperson ceo cfo coo cto director deputy counterpart
    commander chief adviser advisor analyst reporter editor host founder cofounder
    leader official officer diplomat negotiator commissioner lawmaker attorney
    prosecutor candidate nominee economist professor researcher fellow scholar
    spokesperson strongman dictator monarch regent ruler lieutenant admiral colonel
    captain sergeant marshal executive manager president-elect minister-elect
    secretary-general superintendent commentator columnist presenter journalist
    producer counsel envoys staff""")
# Words that belong to title phrases (never names on their own in a role query).
TITLE_PHRASE_WORDS = TITLE_WORDS | words("""foreign defense defence interior finance prime special state affairs
    national security general united nations white house kremlin news senior
    acting top former chief treasury justice health education energy commerce labor
    labour homeland trade agriculture transport transportation""")
STOPWORDS = words("of at for in on to and from with by the a an who which as")

PARTICLES = words("""van von der den de da di du dos das del della la le lo al el bin ibn ben
    abu ter ten zu st mac""")

# Nationality adjectives / country names -> canonical country token.
_COUNTRY_FORMS: dict[str, tuple[str, ...]] = {
    "united states": (
        "united states",
        "united states of america",
        "u s",
        "us",
        "usa",
        "u s a",
        "america",
        "american",
    ),
    "united kingdom": (
        "united kingdom",
        "uk",
        "u k",
        "britain",
        "great britain",
        "british",
    ),
    "russia": ("russia", "russian", "russian federation"),
    "afghanistan": ("afghanistan", "afghan"),
    "china": ("china", "chinese", "prc"),
    "ukraine": ("ukraine", "ukrainian"),
    "france": ("france", "french"),
    "germany": ("germany", "german"),
    "india": ("india", "indian"),
    "pakistan": ("pakistan", "pakistani"),
    "iran": ("iran", "iranian"),
    "iraq": ("iraq", "iraqi"),
    "israel": ("israel", "israeli"),
    "japan": ("japan", "japanese"),
    "turkey": ("turkey", "turkish", "turkiye"),
    "canada": ("canada", "canadian"),
    "australia": ("australia", "australian"),
    "brazil": ("brazil", "brazilian"),
    "mexico": ("mexico", "mexican"),
    "italy": ("italy", "italian"),
    "spain": ("spain", "spanish"),
    "saudi arabia": ("saudi arabia", "saudi"),
    "syria": ("syria", "syrian"),
    "egypt": ("egypt", "egyptian"),
    "north korea": ("north korea", "north korean", "dprk"),
    "south korea": ("south korea", "south korean"),
    "qatar": ("qatar", "qatari"),
    "european union": ("european union", "eu", "e u"),
    "united nations": ("united nations", "un", "u n"),
    "nato": ("nato",),
    "belarus": ("belarus", "belarusian"),
    "poland": ("poland", "polish"),
    "netherlands": ("netherlands", "dutch"),
    "sweden": ("sweden", "swedish"),
    "norway": ("norway", "norwegian"),
    "finland": ("finland", "finnish"),
    "denmark": ("denmark", "danish"),
    "greece": ("greece", "greek"),
    "hungary": ("hungary", "hungarian"),
    "venezuela": ("venezuela", "venezuelan"),
    "cuba": ("cuba", "cuban"),
    "nigeria": ("nigeria", "nigerian"),
    "south africa": ("south africa", "south african"),
    "kenya": ("kenya", "kenyan"),
    "ethiopia": ("ethiopia", "ethiopian"),
    "indonesia": ("indonesia", "indonesian"),
    "philippines": ("philippines", "philippine", "filipino"),
    "vietnam": ("vietnam", "vietnamese"),
    "taiwan": ("taiwan", "taiwanese"),
    "argentina": ("argentina", "argentine", "argentinian"),
    "chile": ("chile", "chilean"),
    "colombia": ("colombia", "colombian"),
    "lebanon": ("lebanon", "lebanese"),
    "jordan": ("jordan", "jordanian"),
    "palestine": ("palestine", "palestinian"),
    "uzbekistan": ("uzbekistan", "uzbek"),
    "tajikistan": ("tajikistan", "tajik"),
    "kazakhstan": ("kazakhstan", "kazakh"),
    "georgia": ("georgia", "georgian"),
    "armenia": ("armenia", "armenian"),
    "azerbaijan": ("azerbaijan", "azerbaijani"),
    "ireland": ("ireland", "irish"),
    "switzerland": ("switzerland", "swiss"),
    "austria": ("austria", "austrian"),
    "belgium": ("belgium", "belgian"),
    "portugal": ("portugal", "portuguese"),
    "new zealand": ("new zealand",),
    "bangladesh": ("bangladesh", "bangladeshi"),
    "myanmar": ("myanmar", "burma", "burmese"),
    "thailand": ("thailand", "thai"),
    "malaysia": ("malaysia", "malaysian"),
    "united arab emirates": ("united arab emirates", "uae", "emirati"),
}

COUNTRY_PHRASES: dict[tuple[str, ...], str] = {}
for _canon, _forms in _COUNTRY_FORMS.items():
    for _form in _forms:
        COUNTRY_PHRASES[tuple(_form.split())] = _canon
    COUNTRY_PHRASES[tuple(_canon.split())] = _canon
_MAX_COUNTRY_LEN = max(len(k) for k in COUNTRY_PHRASES)

# Adjective forms only (never also a given name): stripped before a name.
NATIONALITY_ADJECTIVES = frozenset(
    form
    for forms in _COUNTRY_FORMS.values()
    for form in forms[1:]
    if " " not in form
    and form not in {"us", "usa", "uk", "eu", "un", "prc", "nato"}
    and form.endswith(("an", "ese", "ish", "i", "ic", "ch", "ss", "k", "ino"))
)

# Romanisation / spelling variants -> canonical spelling.
_VARIANTS = """
sergei: sergey serguei sergej sergeij
alexei: alexey aleksey aleksei alexej aleksej alexi
alexander: aleksandr alexandr aleksander
andrei: andrey andrej
dmitry: dmitriy dmitrii dmitri
yevgeny: evgeny evgeni evgeniy yevgeniy yevgeni evgenii yevgenii jewgeni
yuri: yuriy yury iouri jurij yurii
nikolai: nikolay nikolaj
mikhail: mihail michail mikheil
maxim: maksim
pyotr: petr
fyodor: fedor feodor
ilya: ilia ilja
tatiana: tatyana tatjana
natalia: natalya nataliya
yulia: yuliya iulia
yekaterina: ekaterina
elena: yelena jelena
vyacheslav: viacheslav
valery: valeriy valeri valerii
anatoly: anatoliy anatolii
gennady: gennadiy gennadii
arkady: arkadiy arkadii
vasily: vasiliy vasilii vassily
grigory: grigoriy grigori grigorii
georgy: georgiy georgii
oleksandr: olexander oleksander oleksandre
volodymyr: wolodymyr volodimir
zelensky: zelenskyy zelenskiy zelenski zelenskii
khrushchev: khrushchov
gorbachev: gorbachov
yeltsin: eltsin
dostoevsky: dostoyevsky
tolstoy: tolstoi
tchaikovsky: chaikovsky
muhammad: mohammed mohammad mohamed muhammed mohamad mouhamed
ahmad: ahmed
hussein: husain hussain husayn
gaddafi: qaddafi kadhafi qadhafi gadhafi kaddafi qadafi
osama: usama
abdullah: abdallah
yusuf: yousef youssef yousuf yusef
mahmoud: mahmud
omar: umar
hassan: hasan
muammar: moammar mouammar muamar
hosni: husni
muqtada: moqtada
yasir: yasser yaser
haider: haidar
zalmay: zalmai
"""
VARIANT_TO_CANON: dict[str, str] = {}
for _line in _VARIANTS.strip().splitlines():
    _c, _, _rest = _line.partition(":")
    for _v in _rest.split():
        VARIANT_TO_CANON[_v] = _c.strip()


def country_at(tokens: list[str], i: int) -> int:
    """Length of a country phrase starting at ``tokens[i]`` (0 if none)."""
    for n in range(min(_MAX_COUNTRY_LEN, len(tokens) - i), 0, -1):
        if tuple(tokens[i : i + n]) in COUNTRY_PHRASES:
            return n
    return 0
