"""A speaker's role and affiliation, read from a title before the name or an apposition after it.

  'Kremlin spokesman'                          -> role 'spokesman', affiliation 'Kremlin'
  "the Russian Foreign Ministry's spokeswoman" -> role 'spokeswoman', affiliation 'Russian Foreign Ministry'
  'State Senator'                              -> role 'State Senator' (the title, not an affiliation)
  'a professor of political science at Westhaven State University who studies ...'
                                               -> role 'professor of political science',
                                                  affiliation 'Westhaven State University'

A role is a short noun phrase, never cut in the middle: it ends on its head noun, or on the
lowercase words of an 'of' that belong to it ('director of polling', 'registrar of voters').
"""

from __future__ import annotations

from extractor.finder.lexicon import DETERMINERS as _DETERMINERS
from extractor.finder.lexicon import POSSESSIVE as _POSSESSIVE
from extractor.finder.lexicon import OCCUPATION_SUFFIXES, OCCUPATIONS, PARTY_LABELS, SPEAKER_NOUNS, TITLE_OBJECTS, TITLES
from extractor.finder.lexicon import WORD as _WORD

_HONORIFICS = frozenset("mr mrs ms miss dr messrs".split())  # part of a name's address, not a role
# Capitalised words before a title that belong to it: 'State Senator', 'Deputy Minister'.
_TITLE_MODIFIERS = frozenset("state deputy vice former acting assistant associate senior chief interim".split())
# Common words that a sentence capitalises before a role: 'Shop steward Derek Blyth', 'Local MP
# Harriet Quayle'. Part of the role (written in lower case), never its affiliation.
_COMMON_MODIFIERS = frozenset(
    """local shop retired veteran longtime long-time independent regional national junior young
    elderly fellow village town community parish head lead site night""".split()
)
# Heads of a description that say how many, not what someone does: 'two people', 'others'.
_NOT_ROLES = frozenset(
    """people person persons others other both all many most some several few everyone nobody
    someone majority source sources ones""".split()
)
# Words that end an apposition's noun phrase: what follows is a clause or a prepositional phrase.
_NP_STOP = frozenset(
    """at of for with in on from to by who whose which that and or but since as than like
    whom where when while after before""".split()
)
# Words after a title that belong to it: 'Chief Executive Officer', 'Chief Financial Officer'.
TITLE_TAILS = frozenset(
    """executive officer financial operating technology technical information marketing medical
    scientific commercial economist correspondent counsel strategy investment""".split()
)
_LINKS = frozenset("at of for with from in".split())  # 'a spokesman for the Association of ...'
_MAX_ROLE_WORDS = 4


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def is_role_word(word: str) -> bool:
    low = word.lower().rstrip(".")
    if low in _NOT_ROLES:
        return False
    if low in TITLES:
        return True
    return not _is_cap(word) and (low in SPEAKER_NOUNS or low.rstrip("s") in SPEAKER_NOUNS or is_occupation(low))


def is_occupation(word: str) -> bool:
    """What someone does ('publican', 'Glaciologist'), whatever its case."""
    low = word.lower().rstrip(".")
    if low in _NOT_ROLES or not low.isalpha() and "-" not in low:
        return False
    return low in OCCUPATIONS or (len(low) > 5 and low.endswith(OCCUPATION_SUFFIXES))


def occupation_before_name(words: list[str]) -> bool:
    """Whether the first of these capitalised words describes the person the others name:
    'Publican Gwen Ashby', where a sentence opening capitalised 'publican'; 'Republican Donald
    Trump'. Only before a name
    of two words or more, so 'Baker Mayfield' keeps his first name."""
    return (
        len(words) >= 3
        and (is_occupation(words[0]) or words[0].lower() in PARTY_LABELS or words[0].lower() == "rival")
        and not _POSSESSIVE.search(words[0])
        and all(_is_cap(w) and w.lower().rstrip(".") not in TITLES for w in words[1:])
    )


def descriptor_role(words: list[str]) -> tuple[str | None, str | None]:
    """title_role, or the occupation a description ends in ('Publican' -> 'publican'); a party
    label is an affiliation ('Republican Donald Trump')."""
    if len(words) == 1 and words[0].lower() in PARTY_LABELS:
        return None, words[0]
    role, affiliation = title_role(words)
    if role is None and words and is_occupation(words[-1]):
        return words[-1].lower().rstrip("."), None
    return role, affiliation


def title_role(words: list[str]) -> tuple[str | None, str | None]:
    """Role and affiliation from the words before a name, or of a description without one."""
    words = [w for w in words if w.lower() not in _DETERMINERS and w.lower().rstrip(".") not in _HONORIFICS]
    heads = [i for i, w in enumerate(words) if is_role_word(w)]
    if not heads:
        return None, None
    # "the Russian Foreign Ministry's spokeswoman": the possessor is the affiliation, the role follows it
    owner = max((i for i in range(heads[-1]) if _POSSESSIVE.search(words[i])), default=-1)
    heads = [i for i in heads if i > owner]
    first, last = heads[0], heads[-1] + 1
    while first - 1 > owner and words[first - 1].lower() not in _NOT_ROLES and (
        not _is_cap(words[first - 1]) or words[first - 1].lower() in _TITLE_MODIFIERS | _COMMON_MODIFIERS
    ):
        first -= 1  # 'infrastructure minister', 'former planning commissioner', 'State Senator'
    if words[first].lower() in _COMMON_MODIFIERS:
        words = [*words[:first], words[first].lower(), *words[first + 1 :]]  # 'Shop steward': 'shop steward'
    while last < len(words) and words[last].lower() in TITLE_TAILS:
        last += 1  # 'Chief Executive Officer', not 'Chief'
    while last + 1 < len(words) and words[last] == "of" and words[last + 1].lower() in TITLE_OBJECTS:
        last += 2  # 'Secretary of State'
    role = " ".join(words[first:last]).rstrip(".")
    if owner >= 0:
        a = owner
        while a > 0 and _is_cap(words[a - 1]):
            a -= 1
        owners = words[a : owner + 1]
    else:
        a = first
        while a > 0 and _is_cap(words[a - 1]):
            a -= 1  # only the capitalised words right before the role: 'Kremlin spokesman'
        owners = words[a:first]
    affiliation = " ".join(_POSSESSIVE.sub("", w) for w in owners) if owners and _is_cap(owners[0]) else None
    return role or None, affiliation


def apposition_role(text: str) -> tuple[str | None, str | None]:
    """Role and affiliation from an apposition: 'a senior fellow at the Westbridge Institute'."""
    words = _WORD.findall(text.split(",", 1)[0])
    i = 0
    affiliation = None
    while i < len(words) and (words[i].lower() in _DETERMINERS or any(ch.isdigit() for ch in words[i])):
        i += 1  # 'a 19-year-old student': the age is not the role
    if i < len(words) and _POSSESSIVE.search(words[i]):
        # "Bayline's director of polling"; 'the mayor's campaign manager' names no organisation
        affiliation = _POSSESSIVE.sub("", words[i]) if _is_cap(words[i]) else None
        i += 1
    start = i
    while i < len(words) and words[i].lower() not in _NP_STOP and (i == start or not words[i].endswith("ing")):
        i += 1
    if start < i and all(_is_cap(w) for w in words[start:i]):
        return None, None  # a name or an organisation, not a role
    if any(_is_cap(w) and w.lower() not in _TITLE_MODIFIERS for w in words[start:i]):
        return title_role(words[start:i])  # 'a Republican strategist'
    # 'director of polling', 'professor of political science': lowercase words after 'of' belong to the role
    while i + 1 < len(words) and words[i] == "of" and not _is_cap(words[i + 1]) and words[i + 1] not in _DETERMINERS:
        i += 2
        while i < len(words) and not _is_cap(words[i]) and words[i].lower() not in _NP_STOP:
            i += 1
    role_words = words[start:i]
    if not role_words or len(role_words) > _MAX_ROLE_WORDS + 2 or role_words[-1].lower() in _NOT_ROLES:
        return None, None
    if affiliation is None and i < len(words) and words[i] in _LINKS:
        j = i + 1
        if j < len(words) and words[j].lower() == "the":
            j += 1
        k = j
        while k < len(words) and (_is_cap(words[k]) or (words[k] in {"of", "and", "for", "&"} and k > j)):
            k += 1
        while k > j and not _is_cap(words[k - 1]):
            k -= 1
        if k > j:
            affiliation = " ".join(words[j:k])
    return " ".join(role_words), affiliation
