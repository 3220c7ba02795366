"""Finding quantitative and time phrases in a text, and reading their values.

``mentions(text)`` returns every phrase that states a number or a time, with its place in the
text as saved (character offsets), its kind and, where it has one, its value as a ``Range``:

- gestational ages: "14th week", "14-16 weeks", "14 to 20 weeks", "between 12 and 14 weeks",
  "from the 20th week", "around 27 weeks", "before 24 weeks", "up to 20th week", "until you're
  36 weeks", "twelve weeks", "24 wks", "the last month of pregnancy", "second trimester",
  "second and third trimester", "early in your second trimester";
- percentages and ratios: "1-2%", "up to a 30%", "almost 25%", "1 out of every 100" (= 1%);
- lengths ("25 millimeters", "25 mm", "2.5 cm" = 25 mm), weights ("between 25 and 35 pounds", "lbs");
- durations and counts: "15 years", "4 min", "7 kids", "230k", a bare "6"; number words
  count only with a unit or a counted noun ("one baby", "twelve weeks"), not in "one of the reasons";
- dates ("August 05, 2023", "15 Jan 2004", "2024-09-05", a year "2006") and frequencies
  ("every week", "weekly"), which carry no value.

Values approximate the way data/README.md says claims do: "around/about N weeks" is N-1..N+1
(and "around 14-16 weeks" 13-17); "the Nth week" is N-1..N (the week after N-1 full weeks);
"before/up to/until/less than N" has only a max; "from/after/over/more than/at least N" only a
min ("from the 20th week": from 19); with "the Nth week", "before/after" leave that week out ("before the 24th
week": up to 23; "after the 20th week": from 20) and "until/by/from" take it in (WEEK_READINGS); the trimesters are weeks 1-13, 14-27 and 28-40 ("early in" one is its first 7 weeks); "the
last month of pregnancy" is 36-40 weeks. Outside weeks, "about N" is N itself ("about 1 out of
every 100" is 1%, as the claims record it).

Only a window around each trigger (a digit, a number word, a month name, ...) is tokenised, so
the cost grows with the number of triggers, not with every word of the text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .model import Range
from .quotes import INVISIBLE

_UNITS = {}
for _words, _unit in (
    ("week weeks wk wks", "weeks"),
    ("percent per-cent %", "percent"),
    ("mm millimeter millimeters millimetre millimetres", "mm"),
    ("cm centimeter centimeters centimetre centimetres", "cm"),
    ("pound pounds lb lbs", "pounds"),
    ("kg kgs kilogram kilograms", "kg"),
    ("inch inches", "inches"),
    ("month months", "months"),
    ("year years yr yrs", "years"),
    ("day days", "days"),
    ("hour hours hr hrs", "hours"),
    ("minute minutes min mins", "minutes"),
    ("trimester trimesters", "trimester"),
):
    for _w in _words.split():
        _UNITS[_w] = _unit

# Nouns that make a number word a count ("one baby", "seven kids"); digits count without them.
COUNT_NOUNS = set("""baby babies child children kid kids pregnancy pregnancies miscarriage miscarriages loss losses
    woman women people patient patients mother mothers mama mamas twin twins time times dose doses shot shots
    stitch stitches procedure procedures visit visits birth births""".split())

_CARDINAL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_ORDINAL = {w: i + 1 for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth".split())}
_ORD_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split())}
_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
for _m, _i in list(_MONTHS.items()):
    _MONTHS[_m[:3]] = _i
_MONTHS["sept"] = 9

TRIMESTERS = {1: (1, 13), 2: (14, 27), 3: (28, 40)}
LAST_MONTH = (36, 40)

_APPROX = {("around",), ("about",), ("approximately",), ("roughly",), ("circa",), ("~",), ("some",)}
_ALMOST = {("almost",), ("nearly",)}
_AT_LEAST = {("from",), ("after",), ("since",), ("beyond",), ("over",), ("more", "than"), ("at", "least"),
             ("greater", "than"), ("later", "than"), ("beginning", "from"), ("starting", "from"),
             ("starting", "at"), ("onwards",), ("longer", "than"), ("higher", "than")}
_AT_MOST = {("before",), ("until",), ("till",), ("til",), ("by",), ("up", "to"), ("less", "than"), ("under",),
            ("within",), ("fewer", "than"), ("no", "later", "than"), ("no", "more", "than"), ("below",),
            ("shorter", "than"), ("smaller", "than"), ("lower", "than")}
_FILLERS = {"the", "a", "an", "your", "you're", "you", "are", "is", "she's", "she", "being", "of"}
_RANGE_JOIN = {"-", "to", "through", "and", "or"}
_FREQ_WORDS = {"weekly", "daily", "monthly", "fortnightly", "yearly", "annually", "nightly"}
_TAIL = (("of", "pregnancy"), ("of", "gestation"), ("pregnant",), ("gestation",), ("of", "your", "pregnancy"))

_NUMWORDS = "|".join(sorted(list(_CARDINAL) + list(_TENS) + list(_ORDINAL) + list(_ORD_TENS), key=len, reverse=True))
_VULGAR = "\u00bc-\u00be\u2150-\u215e"  # ¼ ½ ¾ and ⅐ to ⅞: one character each, read as its value
_TRIGGER_WORDS = (r"\d+|[" + _VULGAR + r"]|\b(?:" + _NUMWORDS + r"|half|halves|thirds|quarters?|fifths|"
                  r"last|final|every|each|weekly|daily|monthly|fortnightly|yearly|annually|"
                  r"nightly|january|february|march|april|may|june|july|august|september|october|november|december|"
                  r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b")
_TRIGGER = re.compile(_TRIGGER_WORDS)                    # on the lower-cased text: four times faster than
_TRIGGER_ANY_CASE = re.compile(_TRIGGER_WORDS, re.I)     # ignoring case, which is for the rare text lower() resizes
_TOKEN = re.compile(r"\d*[ \u00a0]?[" + _VULGAR + r"]|\d+(?:[.,]\d+)*|(?<![\w.])\.\d+|[^\W\d_]+(?:['\u2019][^\W\d_]+)?"
                    r"|%|[-\u2010-\u2015\u2212~]|[^\s\w]")
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}")  # "2,5 cm": a decimal comma (a thousands comma has three digits after it)
_DECIMAL_COMMA_UNIT = re.compile(r"\d+,\d+")  # "2,5000 cm": one, when a unit follows
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")
# What numbers are read past: terminal control sequences whole ("\x1b[31m" holds no number 31), then
# every character that shows nothing (quotes.INVISIBLE: soft hyphens, zero-width marks, controls).
_UNSEEN = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|"
                     + INVISIBLE.pattern)
# A lower-case word glued to a number by a missing space ("at24 weeks"), not a name like "B12".
_GLUED_WORDS = {"at", "by", "to", "from", "before", "after", "until", "till", "around", "about", "in", "of", "on",
                "for", "under", "over", "within", "than", "since", "approximately", "week", "weeks", "wk", "wks"}
# Parts: "a third of women" is 33.3 %, "half of them" 50 %.
_PARTS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5}
# The months of pregnancy in weeks, by the usual reckoning (the trimesters end at weeks 13 and 27;
# "the last month" is 36-40): "in the ninth month" is weeks 36-40.
PREGNANCY_MONTHS = {1: (1, 4), 2: (5, 8), 3: (9, 13), 4: (14, 17), 5: (18, 22), 6: (23, 27), 7: (28, 31),
                    8: (32, 35), 9: (36, 40)}
_DASHES = set("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
WINDOW = 60
_VULGAR_SET = {chr(c) for c in (*range(0xbc, 0xbf), *range(0x2150, 0x215f))}


@dataclass(frozen=True)
class Mention:
    start: int          # the whole phrase, modifiers included ("around 27 weeks of pregnancy")
    end: int
    core_start: int     # the number and its unit ("27 weeks"): what a quote or a dismissal must contain
    core_end: int
    text: str           # the phrase as the text has it, spaces collapsed
    kind: str           # weeks, percent, mm, pounds, count, years, ..., date, frequency
    value: Range | None
    rule: str = ""      # weeks: the key in WEEK_READINGS of the rule that read the value ("" otherwise)


@dataclass(slots=True)
class _Tok:
    text: str   # lower case, dashes as "-", curly apostrophe as "'"
    raw: str
    start: int
    end: int


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text, start, end):
        raw = m.group()
        low = "-" if raw in _DASHES else raw.lower().replace("\u2019", "'")
        out.append(_Tok(low, raw, m.start(), m.end()))
    return out


def _number(toks: list[_Tok], i: int):
    """A number at toks[i]: (value, ordinal, is_word, next index) or None."""
    t = toks[i]
    if t.text[-1] in _VULGAR_SET:  # "2½", "2 ½", "½"
        whole = t.text[:-1].strip(" \u00a0")
        return (int(whole) if whole else 0) + unicodedata.numeric(t.text[-1]), False, False, i + 1
    if t.text[0].isdigit() or t.text[0] == ".":
        text = t.text
        if "," in text:
            if _THOUSANDS.fullmatch(text):
                text = text.replace(",", "")
            elif _DECIMAL_COMMA.fullmatch(text) or (_DECIMAL_COMMA_UNIT.fullmatch(text) and i + 1 < len(toks)
                                                   and (toks[i + 1].text in _UNITS or toks[i + 1].text == "per")):
                text = text.replace(",", ".")
            else:
                return None
        try:
            value = float(text)
        except ValueError:
            return None
        j, ordinal = i + 1, False
        if j < len(toks) and toks[j].start == t.end:
            suffix = toks[j].text
            if suffix in ("st", "nd", "rd", "th"):
                ordinal, j = True, j + 1
            elif suffix == "k":
                value, j = value * 1000, j + 1
        return value, ordinal, False, j
    word = t.text
    if word in _CARDINAL:
        return float(_CARDINAL[word]), False, True, i + 1
    if word in _ORDINAL:
        return float(_ORDINAL[word]), True, True, i + 1
    if word in _ORD_TENS:
        return float(_ORD_TENS[word]), True, True, i + 1
    if word in _TENS:
        j = i + 1
        if j < len(toks) and toks[j].text == "-" and toks[j].start == t.end:
            j += 1
        if j < len(toks):
            nxt = toks[j].text
            if nxt in _CARDINAL and 0 < _CARDINAL[nxt] < 10:
                return float(_TENS[word] + _CARDINAL[nxt]), False, True, j + 1
            if nxt in _ORDINAL and _ORDINAL[nxt] < 10:
                return float(_TENS[word] + _ORDINAL[nxt]), True, True, j + 1
        return float(_TENS[word]), False, True, i + 1
    return None


def _words_before(toks, i, n):
    return tuple(t.text for t in toks[max(0, i - n):i])


def _modifier(toks: list[_Tok], i: int):
    """The modifier before toks[i] ("around", "up to", "from the"): (kind, index where it starts)."""
    j = i
    skipped = 0
    while j > 0 and toks[j - 1].text in _FILLERS and skipped < 2:
        j -= 1
        skipped += 1
    for size in (3, 2, 1):
        words = _words_before(toks, j, size)
        if len(words) < size:
            continue
        for kind, table in (("approx", _APPROX), ("almost", _ALMOST), ("min", _AT_LEAST), ("max", _AT_MOST)):
            if words in table:
                k = j - size
                if kind == "approx" and k > 0 and toks[k - 1].text == "somewhere":
                    k -= 1
                return kind, k
        if size == 1 and words == ("between",):
            return "between", j - 1
    return None, i


def _unit_at(toks, j):
    """The unit word at toks[j] ("weeks", "%", "per cent"): (unit, next index) or (None, j)."""
    if j >= len(toks):
        return None, j
    word = toks[j].text
    if word == "per" and j + 1 < len(toks) and toks[j + 1].text == "cent":
        return "percent", j + 2
    if word == "-" and j + 1 < len(toks) and toks[j + 1].text == "trimester":  # "second-trimester"
        return "trimester", j + 2
    if word.endswith("'") and word[:-1] in _UNITS:  # "weeks'"
        word = word[:-1]
    unit = _UNITS.get(word)
    return (unit, j + 1) if unit else (None, j)


def _tail(toks, j):
    for words in _TAIL:
        if tuple(t.text for t in toks[j:j + len(words)]) == words:
            return j + len(words)
    return j


def _trimester_value(a, b, toks, start_index):
    lo = TRIMESTERS.get(int(a))
    hi = TRIMESTERS.get(int(b))
    if not lo or not hi:
        return None, start_index
    value = (lo[0], hi[1])
    j = start_index
    while j > 0 and toks[j - 1].text in ("your", "the", "in", "of"):
        j -= 1
    if j > 0 and toks[j - 1].text in ("early", "late") and j < start_index:
        if toks[j - 1].text == "early":
            value = (lo[0], lo[0] + 6)
        else:
            value = (hi[1] - 6, hi[1])
        return value, j - 1
    return value, start_index


def _date_at(text, toks, i):
    """A date starting at toks[i]: (end index) or None. Handles "August 05, 2023", "15 Jan 2004", "Oct 2006",
    "2024-09-05"."""
    t = toks[i]
    n = len(toks)
    if t.text[0].isdigit():
        if len(t.text) == 4 and i + 4 < n and toks[i + 1].text == "-" and toks[i + 2].text.isdigit() \
                and toks[i + 3].text == "-" and toks[i + 4].text.isdigit() and toks[i + 4].start == toks[i + 3].end:
            return i + 5
        if i + 1 < n and toks[i + 1].text in _MONTHS and toks[i + 1].raw[0].isupper():
            j = i + 2
            if j < n and re.fullmatch(r"(19|20)\d\d", toks[j].text):
                j += 1
            return j
        return None
    if t.text in _MONTHS and t.raw[0].isupper() and i + 1 < n and toks[i + 1].text[0].isdigit():
        j = i + 1
        if not re.fullmatch(r"(19|20)\d\d", toks[j].text):
            if len(toks[j].text) > 2:
                return None
            j += 1
            if j < n and toks[j].text == ",":
                j += 1
            if j < n and re.fullmatch(r"(19|20)\d\d", toks[j].text):
                j += 1
            elif t.text == "may":
                return None  # "may 5 ..." is a verb more often than a date
            return j
        return j + 1
    return None


def _plus(toks, j, is_word):
    """After a number: "+6" glued to it (days, 0-6: "36+6") or a bare "+" ("34+"): (days or None, plus)."""
    if is_word or j >= len(toks) or toks[j].text != "+" or toks[j].start != toks[j - 1].end:
        return None, False
    nxt = toks[j + 1] if j + 1 < len(toks) else None
    if nxt is not None and nxt.start == toks[j].end and nxt.text.isdigit() and int(nxt.text) <= 6:
        return int(nxt.text), False
    return None, True


def _obstetric(toks, j, is_word):
    """After a number: "/40" (weeks of forty, "36/40") or "w" with maybe "6d" ("36w6d"), glued to it.
    (next index, days) or (j, None) when neither follows."""
    n = len(toks)
    def glued(k):
        return k < n and toks[k].start == toks[k - 1].end
    if is_word or not glued(j):
        return j, None
    if toks[j].text == "/" and glued(j + 1) and toks[j + 1].text == "40" and not glued(j + 2):
        return j + 2, 0
    if toks[j].text == "w" and not glued(j + 1):
        return j + 1, 0
    if toks[j].text == "w" and glued(j + 1) and toks[j + 1].text.isdigit() and int(toks[j + 1].text) <= 6 \
            and glued(j + 2) and toks[j + 2].text == "d":
        return j + 3, int(toks[j + 1].text)
    return j, None


def _part(text, toks, i):
    """A part of a whole, in percent: "a third of women", "two thirds of", "half of them". None if not one."""
    n = len(toks)
    if toks[i].text in _PARTS:  # its count is the word before, if there is one
        k = i
        first = i - 1 if i > 0 and (toks[i - 1].text in ("a", "an") or toks[i - 1].text in _CARDINAL) else i
    elif toks[i].text in _CARDINAL and i + 1 < n and toks[i + 1].text in _PARTS:
        k, first = i + 1, i
    else:
        return None
    part = toks[k].text
    if first == k and part != "half":  # "the third of May"
        return None
    top = 1 if first == k or toks[first].text in ("a", "an") else _CARDINAL[toks[first].text]
    if k + 1 >= n or toks[k + 1].text != "of" or not 0 < top < _PARTS[part] \
            or (top > 1 and part in ("half", "third", "quarter", "fifth")):
        return None
    value = round(100 * top / _PARTS[part], 4)
    modifier, start = _modifier(toks, first)
    return _make(text, toks, start, first, k + 1, k + 1, "percent",
                 _range_value(modifier if modifier in ("min", "max") else None, value, value, "percent")), k + 1


def _make(text, toks, start_i, core_i, end_core_i, end_i, kind, value, rule=""):
    start, end = toks[start_i].start, toks[end_i - 1].end
    return Mention(start, end, toks[core_i].start, toks[end_core_i - 1].end,
                   " ".join(text[start:end].split()), kind, value, rule if kind == "weeks" else "")


# Modifiers that leave the Nth week itself out: "before the 24th week" ends where that week starts,
# "after the 20th week" starts where it ends ("from", "until", "by", "up to" take it in).
_LEAVES_OUT = {("before",), ("after",), ("beyond",), ("under",), ("below",), ("less", "than"), ("fewer", "than"),
               ("more", "than"), ("over",), ("later", "than"), ("greater", "than"), ("earlier", "than")}


def _leaves_out(toks, start, i) -> bool:
    return any(tuple(t.text for t in toks[start:start + size]) in _LEAVES_OUT for size in (1, 2)) and start < i


def _week_rule(modifier, outside, ordinal, days) -> str:
    """The key in WEEK_READINGS of the rule that reads "N weeks" with this modifier."""
    if days:
        return "days"
    base = {"approx": "around", "almost": "almost", "min": "after" if outside else "from",
            "max": "before" if outside else "until"}.get(modifier, "weeks")
    return ("nth" if base == "weeks" else base + "-nth") if ordinal else base


# How the site reads a phrase of weeks, rule by rule: the one table the code above follows and the
# methods page shows (<!-- week-readings: all -->), each rule with an example the code reads live.
# A source whose words give no week at all ("early in pregnancy") has no reading: "no week given".
WEEK_READINGS = {
    "weeks": ("14 to 20 weeks", "weeks as written"),
    "nth": ("the 14th week", "the Nth week starts after N-1 full weeks and ends at N"),
    "days": ("27+6 weeks", "weeks and days, as a part of a week"),
    "around": ("around 27 weeks", "\u201caround\u201d or \u201cabout\u201d adds a week on each side"),
    "around-nth": ("around the 14th week", "a week on each side of the Nth week"),
    "almost": ("almost 20 weeks", "\u201calmost\u201d or \u201cnearly\u201d: up to a week before"),
    "from": ("from 20 weeks", "from the week named on"),
    "from-nth": ("from the 20th week", "from the start of the Nth week (N-1 full weeks) on"),
    "after": ("after 20 weeks", "after the week named"),
    "after-nth": ("after the 20th week", "after the Nth week has ended (N full weeks)"),
    "until": ("until 36 weeks", "\u201cuntil\u201d, \u201cup to\u201d or \u201cby\u201d: up to the week named"),
    "until-nth": ("by the 20th week", "up to the end of the Nth week"),
    "before": ("before 24 weeks", "before the week named"),
    "before-nth": ("before the 24th week", "before the Nth week starts (N-1 full weeks)"),
    "trimester": ("the second trimester", "the trimesters are weeks 1 to 13, 14 to 27 and 28 to 40"),
    "early-trimester": ("early in the second trimester", "early in a trimester: its first 7 weeks"),
    "late-trimester": ("late in the second trimester", "late in a trimester: its last 7 weeks"),
    "last-month": ("the last month of pregnancy", "the last month of pregnancy"),
    "last-trimester": ("the last trimester", "the last trimester: the third"),
    "month": ("the fifth month of pregnancy", "the months of pregnancy by the usual reckoning (the ninth: 36 to 40)"),
}


def week_readings() -> list[dict]:
    """WEEK_READINGS as the methods page lists them: each rule's example, read by this module (its value and
    rule as ``mentions`` gives them), and the rule in words."""
    out = []
    for rule, (example, words) in WEEK_READINGS.items():
        found = parse(example)
        if found is None or found.kind != "weeks" or found.rule != rule:
            raise ValueError(f"phrases.WEEK_READINGS: {example!r} is not read by the rule {rule!r} "
                             f"(read: {found and found.rule!r})")
        out.append({"rule": rule, "example": example, "words": words, "value": found.value})
    return out


def _range_value(modifier, a, b, unit, ordinal=False, outside=False):
    """The value of "N unit" with its modifier. In weeks, "the Nth week" is the week after N-1 full weeks
    (N-1 to N), and "around" widens by a week on each side, as data/README.md and the claims record them.
    ``outside``: the modifier leaves the Nth week out ("before the 24th week" ends when it starts, at 23;
    "after the 20th week" starts when it ends, at 20); "from", "until", "by" take it in."""
    if unit == "cm":
        a, b, unit = a * 10, b * 10, "mm"
    lo, hi = min(a, b), max(a, b)
    if unit == "weeks" and ordinal:
        lo -= 1
    if modifier == "min" and a == b:
        return Range(hi if unit == "weeks" and ordinal and outside else lo, None, unit)
    if modifier == "max" and a == b:
        return Range(None, lo if unit == "weeks" and ordinal and outside else hi, unit)
    if unit == "weeks" and modifier == "approx":
        return Range(lo - 1, hi + 1, unit)
    if unit == "weeks" and modifier == "almost" and a == b:
        return Range(lo - 1, hi, unit)
    return Range(lo, hi, unit)


def _at(text: str, toks: list[_Tok], i: int):
    """The mention that starts with toks[i], or None; and the index after it."""
    t = toks[i]
    word = t.text
    n = len(toks)
    # a number glued to a letter ("B12", "COVID-19") is part of a name; glued to a small lower-case
    # word ("at24 weeks") it is a missing space
    if word[0].isdigit() and i > 0 and toks[i - 1].end == t.start and (
            (toks[i - 1].text[0].isalpha() and toks[i - 1].raw not in _GLUED_WORDS)
            or (toks[i - 1].text == "-" and i > 1 and toks[i - 2].end == toks[i - 1].start
                and toks[i - 2].text[0].isalpha())):
        return None, i + 1
    part = _part(text, toks, i)
    if part:
        return part
    # and a number glued to a capitalised name after a dash ("17-OHPC") is part of that name
    if word[0].isdigit() and i + 2 < n and toks[i + 1].text == "-" and toks[i + 1].start == t.end \
            and toks[i + 2].start == toks[i + 1].end and toks[i + 2].raw.isupper() and toks[i + 2].raw.isalpha():
        return None, i + 3
    end = _date_at(text, toks, i)
    if end:
        return _make(text, toks, i, i, end, end, "date", None), end
    if word in ("last", "final") and i + 1 < n and toks[i + 1].text in ("month", "trimester"):
        j = _tail(toks, i + 2)
        lo, hi = LAST_MONTH if toks[i + 1].text == "month" else TRIMESTERS[3]
        start = i - 1 if i > 0 and toks[i - 1].text == "the" else i
        return _make(text, toks, start, i, i + 2, j, "weeks", Range(lo, hi, "weeks"),
                     "last-" + toks[i + 1].text), j
    if word in ("every", "each") and i + 1 < n:
        j = i + 1
        num = _number(toks, j)
        if num:
            j = num[3]
        unit, k = _unit_at(toks, j)
        if unit in ("weeks", "days", "months", "years", "hours"):
            return _make(text, toks, i, i, k, k, "frequency", None), k
        return None, i + 1
    if word in _FREQ_WORDS:
        return _make(text, toks, i, i, i + 1, i + 1, "frequency", None), i + 1
    num = _number(toks, i)
    if not num:
        return None, i + 1
    a, ordinal, is_word, j = num
    days, plus = _plus(toks, j, is_word)  # "36+6 weeks": 36 weeks and 6 days; "34+ weeks": 34 or more
    if days is not None:
        a, j = round(a + days / 7, 2), j + 2
    elif plus:
        j += 1
    j, obstetric = _obstetric(toks, j, is_word or ordinal)  # "36/40", "36w6d": weeks in a clinician's shorthand
    if obstetric is not None:
        a, days = round(a + obstetric / 7, 2), obstetric
    b = a
    # a second number: "14-16", "14 to 20", "12 and 14", "second and third", "1 out of every 100"
    if j + 1 < n and toks[j].text in _RANGE_JOIN:
        second = _number(toks, j + 1)
        if second and second[2] == is_word:  # digits with digits, words with words
            unit, _ = _unit_at(toks, second[3])
            joiner = toks[j].text
            if unit and (joiner in ("-", "to", "through") or unit == "trimester" or _modifier(toks, i)[0] == "between") \
                    or (not unit and not is_word and (joiner == "-" or _UNITS.get(toks[i - 1].text if i else "") == "weeks")):
                b, j = second[0], second[3]
    if j + 2 < n and toks[j].text == "-" and toks[j + 1].text == "in" and toks[j + 2].text == "-" and b == a:
        j += 1  # "a 1-in-3 chance"
    if j + 1 < n and toks[j].text in ("out", "in") and b == a:
        k = j + 1
        if toks[k].text == "-":
            k += 1
        if toks[j].text == "out" and k < n and toks[k].text == "of":
            k += 1
        if k < n and toks[k].text in ("every", "a"):
            k += 1
        den = _number(toks, k) if k < n else None
        if den and den[0] > 0 and not den[1]:
            modifier, start = _modifier(toks, i)
            value = round(100 * a / den[0], 4)
            return _make(text, toks, start, i, den[3], den[3], "percent",
                         _range_value(modifier if modifier in ("min", "max") else None, value, value, "percent")), den[3]
    unit, k = _unit_at(toks, j)
    modifier, start = _modifier(toks, i)
    if obstetric is not None and unit is not None:
        return None, k  # "36/40 weeks" is not a form anyone writes
    if days is not None:
        if unit not in (None, "weeks"):
            return None, k
        unit, k = "weeks", (k if unit else j)
    if plus and a == b:
        modifier = "min"
    if unit == "weeks" and not ordinal and a == b:  # "36 weeks and 6 days", "36 weeks, 6 days"
        k2 = k + (1 if k < n and toks[k].text in ("and", ",", "+") else 0)
        extra = _number(toks, k2) if k2 < n else None
        if extra and not extra[1] and extra[0] == int(extra[0]) and 0 <= extra[0] <= 6 and _unit_at(toks, extra[3])[0] == "days":
            a = b = round(a + extra[0] / 7, 2)
            k = _unit_at(toks, extra[3])[1]
    if unit == "months" and ordinal and int(a) == a == b and int(a) in PREGNANCY_MONTHS:  # "in the ninth month"
        lo, hi = PREGNANCY_MONTHS[int(a)]
        end = _tail(toks, k)
        return _make(text, toks, start, i, k, end, "weeks", Range(lo, hi, "weeks"), "month"), end
    if unit == "trimester":
        if not ordinal:
            return None, k
        value, start2 = _trimester_value(a, b, toks, i)
        if value is None:  # "0th trimester", "fifth trimester": no trimester, no value
            return None, k
        lo, hi = value
        if start2 < i:
            start = start2
        elif start == i and i > 0 and toks[i - 1].text in ("your", "the"):
            pass
        end = _tail(toks, k)
        rule = "trimester" if start2 >= i else "early-trimester" if toks[start2].text == "early" else "late-trimester"
        return _make(text, toks, start, i, k, end, "weeks", Range(lo, hi, "weeks"), rule), end
    if unit:
        if ordinal and unit != "weeks" and not (unit in ("months", "days") and not is_word):
            return None, k
        end = _tail(toks, k) if unit in ("weeks", "months") else k
        if unit == "months" and ordinal:
            return None, k
        outside = _leaves_out(toks, start, i)
        return _make(text, toks, start, i, k, end, "percent" if unit == "percent" else
                     ("mm" if unit == "cm" else unit), _range_value(modifier, a, b, unit, ordinal, outside),
                     _week_rule(modifier, outside, ordinal, days is not None or a != int(a))), end
    if i > 0 and _UNITS.get(toks[i - 1].text) == "weeks" and not ordinal:  # "week 20", "weeks 20 to 24"
        return _make(text, toks, i - 1, i - 1, j, j, "weeks", _range_value(None, a, b, "weeks"), "weeks"), j
    if is_word or ordinal:
        if not ordinal and j < n and toks[j].text in COUNT_NOUNS:
            return _make(text, toks, start, i, j + 1, j + 1, "count", _range_value(modifier, a, b, "count")), j + 1
        return None, j
    if len(t.text) == 4 and re.fullmatch(r"(19|20)\d\d", t.text) and a == b:
        return _make(text, toks, i, i, i + 1, i + 1, "date", None), i + 1
    if j < n and toks[j].text in COUNT_NOUNS:
        return _make(text, toks, start, i, j + 1, j + 1, "count", _range_value(modifier, a, b, "count")), j + 1
    last = j if b != a else i + (1 if j == i + 1 else j - i)
    return _make(text, toks, start, i, last, last, "count", _range_value(modifier, a, b, "count")), last


def mentions(text: str) -> list[Mention]:
    """Every quantitative or time phrase in ``text``, in order, none overlapping. What shows nothing
    (``_UNSEEN``) is left out for reading; the places are those of the text as saved."""
    if INVISIBLE.search(text) is None:
        return _mentions(text)
    origin, pos = [], 0
    for m in _UNSEEN.finditer(text):
        origin.extend(range(pos, m.start()))
        pos = m.end()
    origin.extend(range(pos, len(text)))
    out = []
    for m in _mentions(_UNSEEN.sub("", text)):
        start, end = origin[m.start], origin[m.end - 1] + 1
        out.append(Mention(start, end, origin[m.core_start], origin[m.core_end - 1] + 1,
                           " ".join(text[start:end].split()), m.kind, m.value, m.rule))
    return out


def _mentions(text: str) -> list[Mention]:
    """``mentions`` of a text with nothing unseen in it."""
    out: list[Mention] = []
    covered_to = 0
    low = text.lower()
    triggers = _TRIGGER.finditer(low) if len(low) == len(text) else _TRIGGER_ANY_CASE.finditer(text)
    for trigger in triggers:
        if trigger.start() < covered_to:
            continue
        lo = max(covered_to, trigger.start() - WINDOW)
        toks = _tokens(text, lo, min(len(text), trigger.end() + WINDOW))
        i = next((k for k, t in enumerate(toks) if t.start <= trigger.start() < t.end), None)
        if i is None:
            continue
        mention, _ = _at(text, toks, i)
        if mention is None:
            continue
        if out and mention.start < out[-1].end:  # a modifier reaching back into the previous mention
            mention = Mention(out[-1].end, mention.end, max(mention.core_start, out[-1].end), mention.core_end,
                              " ".join(text[max(mention.core_start, out[-1].end):mention.end].split()),
                              mention.kind, mention.value, mention.rule)
        out.append(mention)
        covered_to = mention.end
    return out


def parse(phrase: str) -> Mention | None:
    """The first mention in ``phrase``: for tests and for reading one phrase."""
    found = mentions(phrase)
    return found[0] if found else None
