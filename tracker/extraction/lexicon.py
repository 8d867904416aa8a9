"""The words the extraction rules know: speech verbs, titles, pronouns.

These are the ordinary closed classes of English news reporting (a style
guide's list of "verbs of attribution", the honorifics and office titles
put before names), not words taken from any annotated corpus.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _forms(verbs: str) -> dict[str, str]:
    """``"say:say,says,said,saying ..."`` -> {form: lemma}."""
    table: dict[str, str] = {}
    for entry in verbs.split():
        lemma, _, forms = entry.partition(":")
        for form in forms.split(","):
            table[form] = lemma
    return table


# Verbs that report speech or writing, with their inflected forms.
SPEECH_VERBS = _forms(
    """say:say,says,said,saying tell:tell,tells,told,telling add:add,adds,added,adding
    state:stated,stating claim:claimed,claiming argue:argue,argues,argued,arguing
    insist:insist,insists,insisted,insisting warn:warn,warns,warned,warning
    urge:urge,urges,urged,urging ask:ask,asks,asked,asking
    announce:announce,announces,announced,announcing declare:declare,declares,declared,declaring
    explain:explain,explains,explained,explaining note:noted,noting
    write:write,writes,wrote,writing tweet:tweeted,tweeting
    reply:reply,replies,replied,replying respond:responded,responding
    comment:commented,commenting remark:remarked acknowledge:acknowledge,acknowledges,acknowledged,acknowledging
    admit:admit,admits,admitted,admitting deny:deny,denies,denied,denying
    assert:asserted,asserting contend:contend,contends,contended,contending
    testify:testified,testifying recall:recalled,recalling mention:mentioned
    report:reported continue:continued agree:agreed quip:quipped joke:joked boast:boasted,boasting
    complain:complained,complaining vow:vowed,vowing promise:promised
    suggest:suggested,suggesting predict:predicted,predicting concede:conceded,conceding
    counter:countered emphasize:emphasized,emphasised,emphasizing stress:stressed,stressing
    allege:alleged,alleging confirm:confirmed,confirming
    reveal:revealed maintain:maintained,maintaining observe:observed
    repeat:repeated,repeating shout:shouted,shouting,shouts chant:chanted,chanting,chants
    sing:sang,sings,singing yell:yelled,yelling,yells
    scream:screamed,screams,screaming
    write:posted speak:spoke,spoken,speaks tease:teased scoff:scoffed retort:retorted
    demand:demanded,demanding accuse:accused,accusing call:call,calls,called,calling
    signal:signaled,signalled,signaling brand:branded dub:dubbed label:labeled,labelled
    liken:likened term:termed type:typed"""
)
# Verb forms that are also nouns ("claims", "notes"): a cue only before "that".
CLAUSE_NOUN_VERBS = _words("claims notes states reports warns argues says adds writes")
# Verbs with other senses ("recalled its ambassador"): a cue only before a clause.
CLAUSE_ONLY = _words("recall agree maintain observe confirm reveal report")
# "called" reports speech only as "called for" / "called on" / "called it".
CALL_PARTICLES = _words("for on it him her them the")
# Verbs that name something in someone's words: 'branded it an "outlaw nation."'
NAMING_VERBS = _words("accuse brand call dub label liken term type")
# Verbs whose first complement is the addressee: "told reporters that ...".
ADDRESSEE_VERBS = _words("tell assure inform remind warn ask urge agree")
# Multi-word cues, as lower-case token sequences.
CUE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("according", "to"),
    ("pointed", "out"),
    ("points", "out"),
    ("went", "on", "to", "say"),
    ("went", "on"),
    ("put", "it"),
)

PRONOUNS_SINGULAR = {"he": "m", "she": "f"}
PRONOUNS_PLURAL = _words("they")
PRONOUNS_OTHER = _words("i we it you")

# Words before a name that say what the person is, not who.
TITLES = _words(
    """president vice sen. sen senator rep. rep representative gov. gov governor
    secretary minister prime foreign chief anchor mr. mr mrs. mrs ms. ms miss dr. dr
    gen. gen general judge justice mayor speaker leader majority minority attorney
    press ambassador professor prof. prof rev. reverend pope king queen prince princess
    chairman chairwoman chair director envoy special congressman congresswoman
    commissioner lt. col. capt. sgt. adm. admiral pastor bishop sheriff officer agent
    deputy executive chancellor candidate nominee host co-host correspondent reporter
    analyst spokesman spokeswoman spokesperson former democratic republican democrat
    gop independent libertarian lord sir dame detective inspector coach manager ceo
    founder sheikh ayatollah senior state defense homeland national security adviser
    advisor strategist pollster lawmaker activist commentator columnist editor author
    economist lieutenant sergeant colonel captain corporal private first lady gop
    presidential hopeful contender challenger incumbent whip house council
    supreme court district assistant associate acting interim u.s. us federal"""
)
NATIONALITIES = _words(
    """american russian afghan british chinese french german israeli iranian mexican
    canadian syrian iraqi saudi turkish ukrainian japanese korean indian pakistani
    european palestinian egyptian cuban australian italian spanish irish scottish
    polish dutch swedish greek jordanian lebanese libyan venezuelan brazilian
    nigerian kenyan english welsh african asian arab muslim christian jewish catholic"""
)
# A name ending with one of these names an organisation, not a person.
ORGANISATION_WORDS = _words(
    """news times post journal house center centre institute university college party
    committee department ministry agency council commission association foundation
    network company corp. corp inc. inc group campaign administration court congress
    senate government office bureau service services federation union coalition
    league organization organisation club fund bank board review magazine channel
    street tribune herald daily weekly reuters press cnn nbc abc cbs fox msnbc npr
    bbc fbi cia gop dnc rnc nato pentagon kremlin taliban isis politico breitbart
    twitter facebook google poll polls foundation pac caucus republicans democrats
    state states nation army police media"""
)
# Common nouns that head a source phrase: "a spokesman", "officials".
PERSON_NOUNS = _words(
    """spokesman spokeswoman spokesperson official officials aide aides adviser advisers
    advisor advisors source sources president senator governor candidate nominee
    minister secretary leader leaders lawmaker lawmakers representative congressman
    congresswoman mayor chairman director manager analyst analysts expert experts
    economist economists strategist strategists pollster pollsters critic critics
    supporter supporters voter voters people campaign administration statement
    report reports study survey poll group officer officers lawyer lawyers attorney
    attorneys prosecutor prosecutors judge police spokesmen staffer staffers
    democrats republicans member members chief executive professor researcher
    researchers scientist scientists observers friend friends woman man women men
    ambassador envoy diplomat diplomats residents witnesses authorities host anchor
    reporter reporters author writer commentator columnist editor chair nominees
    candidates surrogate surrogates allies ally opponent opponents organizers
    founder president-elect father mother wife husband son daughter brother sister
    percent respondents team"""
)
# Capitalised words that begin sentences or stand before names without
# being names: never the start of a name.
NOT_NAMES = _words(
    """the a an this that these those when while but and or if in on at for with as
    after before since despite during although though because so yet still however
    meanwhile he she they we i it his her their its our my your you asked speaking
    according later earlier now then there here what why how who where which even also
    last next some many most all both each every other another one two three no not
    monday tuesday wednesday thursday friday saturday sunday january february march
    july september october november december jan. feb. aug.
    sept. oct. nov. dec. mr mrs ms dr by from to of about over under into than just
    only instead indeed yes well oh let like unlike among amid against without within
    whether once again such more less much few any none nor either neither do does did
    is was are were be been has have had will would can could should may might must
    said says told added"""
)
ABBREVIATIONS = _words(
    """mr mrs ms dr sen rep gov gen lt col capt sgt adm st jr sr inc co corp no vs
    prof rev ft mt jan feb aug sept sep oct nov dec"""
)
# Words that commonly open a sentence (after "U.S." a new sentence starts
# only before one of these).
SENTENCE_STARTERS = _words(
    """The He She It They We I But And In On At A An This That These Those There
    Yet So Still However Meanwhile When While If As After Before His Her Their
    Its Our"""
)
# Words that end a source phrase looking left from a cue: a clause or a
# list starts before them.
CLAUSE_WORDS = _words(
    """that which who whom whose when while because although though if as but and
    or so since after before where whether until unless than"""
)
DETERMINERS = _words("the a an his her their its our my your this that these those some")
# Speech-event details that may close a reported clause without being
# part of what was said: ", in an interview with ...", "on Twitter".
CIRCUMSTANCE_OPENERS: tuple[tuple[str, ...], ...] = (
    ("in", "an", "interview"),
    ("in", "a", "statement"),
    ("in", "a", "speech"),
    ("in", "a", "tweet"),
    ("in", "a", "post"),
    ("in", "an", "email"),
    ("in", "a", "letter"),
    ("in", "a", "radio", "interview"),
    ("in", "a", "television", "interview"),
    ("in", "a", "phone", "interview"),
    ("in", "a", "telephone", "interview"),
    ("in", "a", "conference", "call"),
    ("in", "remarks"),
    ("in", "his", "speech"),
    ("in", "her", "speech"),
    ("at", "a", "rally"),
    ("at", "a", "campaign", "rally"),
    ("at", "a", "news", "conference"),
    ("at", "a", "press", "conference"),
    ("at", "a", "campaign", "event"),
    ("during", "a"),
    ("during", "an"),
    ("during", "the"),
    ("on", "twitter"),
    ("on", "facebook"),
    ("on", "monday"),
    ("on", "tuesday"),
    ("on", "wednesday"),
    ("on", "thursday"),
    ("on", "friday"),
    ("on", "saturday"),
    ("on", "sunday"),
)
# Words that may stand between a cue and its "that": "said on Tuesday that".
CIRCUMSTANTIAL = _words(
    """on in at last this next week month year night morning evening afternoon today
    yesterday a an the statement interview speech also again earlier later previously
    repeatedly publicly privately recently monday tuesday wednesday thursday friday
    saturday sunday"""
)
