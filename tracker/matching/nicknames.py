"""Table of English first-name nicknames (hypocorisms).

Each line of ``_TABLE`` is ``formal: nick nick ...``.  A formal name may appear
on several lines and a nickname may belong to several formal names (``chris``
is short for Christopher, Christian, Christine and Christina).  Two given
names are *nickname-equivalent* when one is a nickname of the other or both
are listed nicknames of the same formal name (``bill`` ~ ``william`` ~
``will``).  Two different formal names are never equivalent through a shared
nickname (Christopher is not Christine).

Entries are lower-case ASCII.  Keep the table sorted by formal name when
adding to it; ``tests/matching`` checks a few well-known pairs.
"""

from __future__ import annotations

_TABLE = """
aaron: ron ronnie
abigail: abby abbie gail
abraham: abe bram
adam: ad
adelaide: addie della heidi
adrian: ade
agnes: aggie nessa
albert: al bert bertie
alexander: alex al lex xander sandy sasha alec alek
alexandra: alex alexa sandra sandy sasha lexi
alexis: lexi alex
alfred: al alf alfie fred freddie
alice: allie ally
alison: ali allie ally
allan: al
alan: al
allen: al
amanda: mandy manda
amelia: millie amy mel
andrew: andy drew
angela: angie
anne: annie nan nancy
ann: annie nan nancy
anna: annie
anthony: tony ant
antony: tony
antonio: tony
archibald: archie
arnold: arnie
arthur: art artie
augustus: gus augie
augustine: gus
barbara: barb barbie babs
bartholomew: bart
beatrice: bea trixie
benjamin: ben benny benji bibi
benedict: ben
bernard: bernie
bertram: bert
beverly: bev
bradley: brad
brenda: bren
bridget: biddy bridie
calvin: cal
cameron: cam
caroline: carrie carol lina
carolyn: carrie carol
catherine: cathy cate kate katie kitty kay cat
katherine: kathy kate katie kitty kay kat
kathleen: kathy kate katie
cecilia: cece cissy
charles: charlie chuck chas chaz chip
charlotte: charlie lottie lotte
christina: chris chrissy tina
christine: chris chrissy tina
christian: chris
christopher: chris kit topher
clarence: clare
clifford: cliff
clinton: clint
cornelius: neil connie
cynthia: cindy
daniel: dan danny
danielle: dani
david: dave davy
deborah: deb debbie debby
dennis: denny
diana: di
dominic: dom
donald: don donnie
dorothy: dot dottie dolly
douglas: doug
edgar: ed eddie
edmund: ed eddie ned
edward: ed eddie ned ted teddy
edwin: ed eddie
eleanor: ellie nell nora
elizabeth: liz lizzie beth betty betsy eliza libby lisa bess bessie elsie
ellen: ellie nell
emily: em emmy
emma: em emmy
eric: rick ricky
ernest: ernie
eugene: gene
evelyn: eve evie
frances: fran frannie fanny
francis: frank fran
frank: frankie
franklin: frank
frederick: fred freddie freddy fritz
gabriel: gabe
gabrielle: gabby
geoffrey: geoff jeff
jeffrey: jeff
gerald: gerry jerry
geraldine: gerry
gilbert: gil bert
gregory: greg
gwendolyn: gwen
harold: hal harry
harriet: hattie
harrison: harry
henry: hank harry hal
herbert: herb bert
howard: howie
ignatius: iggy
isaac: ike
isabel: izzy bella belle
isabella: izzy bella belle
jacob: jake jack
jacqueline: jackie jacqui
james: jim jimmy jamie jem
janet: jan
jane: janie jenny
jennifer: jen jenny jenn
jessica: jess jessie
joanna: jo
joanne: jo
john: jack johnny jon
jonathan: jon jonny john nathan
joseph: joe joey jo
josephine: jo josie
joshua: josh
judith: judy jude
julia: jules julie
julian: jules
kenneth: ken kenny
kimberly: kim
lawrence: larry laurie
laurence: larry laurie
leonard: len lenny leo
leonardo: leo
leslie: les
lewis: lew lou
louis: lou louie
louise: lou lulu
luke: lucas
lucas: luke
madeline: maddie maddy
margaret: maggie meg peggy marge margie greta molly daisy
marjorie: marge margie
martha: marty patty
martin: marty
mary: molly polly mae mamie
matilda: tilly tilda
matthew: matt matty
maureen: mo
maurice: mo morrie
maximilian: max
maxwell: max
melanie: mel
melissa: mel missy
michael: mike mikey mick mickey
michelle: shelly
mitchell: mitch
montgomery: monty
moses: moe
nathan: nate nat
nathaniel: nate nat nathan
newton: newt
nicholas: nick nicky
nicole: nicky nikki
norman: norm
oliver: ollie
oswald: ozzy
pamela: pam
patricia: pat patty trish tricia
patrick: pat paddy
penelope: penny
peter: pete
philip: phil pip
phillip: phil
priscilla: cilla
rebecca: becky becca
reginald: reg reggie
richard: dick rick ricky rich richie
robert: bob bobby rob robbie bert
roberta: bobbie
rodney: rod
roger: rodge
ronald: ron ronnie
rosalind: ros roz
rosemary: rosie
russell: russ
samantha: sam sammy
samuel: sam sammy
sarah: sally sadie
sara: sally
sebastian: seb
stanley: stan
stephanie: steph stevie
stephen: steve stevie
steven: steve stevie
susan: sue susie suzy
suzanne: sue susie
sylvester: sly
terence: terry
theodore: ted teddy theo
thomas: tom tommy
timothy: tim timmy
tobias: toby
valerie: val
veronica: ronnie
victor: vic
victoria: vicky tori
vincent: vince vinny
virginia: ginny
walter: walt wally
wesley: wes
wilfred: will fred
william: bill billy will willie willy liam
winifred: winnie
zachary: zach zack
benyamin: bibi
vladimir: volodya vova
dmitry: dima
alexei: alyosha lyosha
mikhail: misha
yevgeny: zhenya
nikolai: kolya
sergei: seryozha
ivan: vanya
"""


def _parse() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    nick_to_formal: dict[str, set[str]] = {}
    formal_to_nick: dict[str, set[str]] = {}
    for line in _TABLE.strip().splitlines():
        formal, _, rest = line.partition(":")
        formal = formal.strip()
        for nick in rest.split():
            nick_to_formal.setdefault(nick, set()).add(formal)
            formal_to_nick.setdefault(formal, set()).add(nick)
    return (
        {k: frozenset(v) for k, v in nick_to_formal.items()},
        {k: frozenset(v) for k, v in formal_to_nick.items()},
    )


NICK_TO_FORMAL, FORMAL_TO_NICK = _parse()


def nickname_equivalent(a: str, b: str) -> str | None:
    """Return a short explanation if ``a`` and ``b`` are nickname-equivalent.

    ``None`` when they are not.  Equal names are not reported here.
    """
    if a == b:
        return None
    ca, cb = a.capitalize(), b.capitalize()
    if b in NICK_TO_FORMAL.get(a, ()):  # a is a nickname of b
        return f"nickname {ca}={cb}"
    if a in NICK_TO_FORMAL.get(b, ()):
        return f"nickname {cb}={ca}"
    fa = NICK_TO_FORMAL.get(a)
    fb = NICK_TO_FORMAL.get(b)
    if fa and fb:
        shared = fa & fb
        if shared:
            return f"nicknames {ca}/{cb} of {min(shared).capitalize()}"
    return None


def expansions(name: str) -> frozenset[str]:
    """All names nickname-equivalent to ``name`` (used for candidate lookup)."""
    out: set[str] = set()
    for formal in NICK_TO_FORMAL.get(name, ()):  # name is a nickname
        out.add(formal)
        out |= FORMAL_TO_NICK.get(formal, frozenset())
    out |= FORMAL_TO_NICK.get(name, frozenset())
    out.discard(name)
    return frozenset(out)


def table_size() -> int:
    """Number of (formal, nickname) pairs in the table."""
    return sum(len(v) for v in FORMAL_TO_NICK.values())
