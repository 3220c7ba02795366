"""Which topic a sentence of a new text speaks to, learned from the project's own data.

The labelled examples are the reviewed claims (quote and plain wording, filed under their topic) and
the topics' own texts, each an example of its own (``own_texts``): the topic's question, its question in a
patient's words (``ask``), each guidance fact and each resolution on it, and its id words with its option labels
and caveat. One text of them all would be long, so BM25's length rule would weigh down the few words a new
sentence shares with the question or a guidance fact; apart, each counts as a claim does. A sentence, and the clause around a
number when there is one, is ranked against every example with BM25 (the ``bm25s`` library, offline,
no model) and against every topic's examples joined into one text; a topic scores by its best example
plus its joined text (a sentence may share some words with one claim of a topic and others with another:
the joined text counts both), plus a little for the best of its family (the topics sharing the first part
of its id); the sentence before weighs a little where the
sentence itself already points to a topic ("this procedure"); a word found in more than a fifth of the
topics and claims (the condition's name) tells no topic apart and is left out. Nothing here is written for one
page or one topic: a sixth source's reviewed claims are examples for the seventh. The weights were chosen
on the benchmark (scripts/bench/assistant.py), mostly its leave-one-source-out set.

Words are not all of meaning: "progesterone shots" and "progesterone given by injection" share one word. Each
example and each sentence is also read by a sentence encoder (``meaning``: all-MiniLM-L6-v2, shipped in a pinned
package, run offline), and a topic gains ``MEANING`` for each unit its closeness rises above
``MEANING_FLOOR`` (the cosine with the mean of its examples' vectors); a topic that shares no word with the
sentence but says the same thing is a candidate; a list item is read with its lead-in line ("Other risk factors
include:", ``LEAD_WEIGHT``), a heading over many sentences is not. The cosine is taken after the vectors are centred and whitened by
the spread of the examples within their topics (shrinkage linear discriminant analysis, ``MEANING_SHRINK``): what
every example shares (the condition's name, that it is about pregnancy) and the ways one topic's examples differ
among themselves (wording, length) count less, the directions in which topics differ count more. Meaning
ranks; it never makes a suggestion sure on its own (``closeness`` counts shared words), so it raises no alarm.
Chosen on the leave-one-source-out and tuned sets (the blind pages' figures were only read).

The number rules stay: a number's unit must be the unit of a range topic (a range topic in another unit
is ruled out, one in the same unit preferred, by how many claims in that unit it holds), a topic none of
whose claims ever quoted a number in that unit counts less, and a sentence without a number is never
drafted on a range topic (it has no value to give), and a range topic ranks it behind
the topics it can be a claim on (``NUMBERLESS_RANGE``). A suggestion is *sure* when its first topic leads the second by
``MARGIN``; only a sure one may raise a WARNING or GUIDANCE line, and the draft of an unsure one names
the topics the assistant hesitated between.

Values where the topic's kind allows: a stance or choice option, chosen by which option's examples
(its label and the claims that hold it) the sentence is closest to, with negation deciding between a
negative and a positive option ("isn't recommended", "has not been shown"); a set's options whose
label words the sentence names; a caveat is ``stated``.
"""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import bm25s
import numpy as np
import Stemmer

from . import meaning
from .model import Project
from .phrases import mentions

EXAMPLES_PER_TOPIC = 64   # a topic's words saturate long before this; keeps the index a size of the topics, not the claims
MARGIN = 1.3          # the first topic's score over the second's for a sure suggestion
MIN_SCORE = 2.0       # below this, no topic is suggested at all
CLOSE = 0.45          # a sentence without a number is drafted when its best example holds this share of its weight
MIN_WORDS = 3         # a sentence without a number needs this many content words (not a heading or a menu)
CLAUSE_WEIGHT = 2.0   # the clause around a number counts this many times more than the rest of its sentence
UNIT_BOOST = 2.0      # a range topic in the number's unit: its similarity counts this many times
UNIT_PRIOR = 1.0      # and it gets up to this much for being where such numbers usually go (its share of the claims)
UNIT_UNSEEN = 0.4     # a topic none of whose claims ever held a number in that unit counts this much
BEFORE_WEIGHT = 0.3   # the sentence before counts this much
LEAD_WEIGHT = 0.7     # the heading or lead-in line above the sentence counts this much
COMMON = 0.2          # a word in more than this share of the topics and claims is left out of a query
FAMILY = 0.4          # a topic gets this share of the best score among the other topics of its family
NUMBERLESS_RANGE = 0.6  # a range topic for a text with no number (it cannot be a claim there) counts this much
MEANING = 40.0        # a topic gets this much per unit of its meaning's closeness to the sentence above MEANING_FLOOR
MEANING_FLOOR = 0.0   # centred and whitened, the cosine of a sentence with a topic it does not speak to is about 0
MEANING_SHRINK = 0.9  # the within-topic spread is shrunk this far towards its mean variance (0: as measured; 1: alike every way)
JOINED = 1.0          # a topic's joined text (all its examples as one) counts this much beside its best example

_WORD = re.compile(r"[a-z]+")
STOPWORDS = set("""a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing don down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just may me might more most must my no nor not
    now of off on once only or other our out over own same she should so some such than that the their them then there
    these they this those through to too under until up very was we were what when where which while why will
    with would you your yours yourself re ll ve s t d m one two three four five six seven eight nine ten
    th st nd rd week weeks pregnancy pregnant
    usually typically generally normally otherwise often sometimes also however likely
    around approximately roughly somewhere nearly almost least every per""".split())
# "who" is no stopword: it is the question word of the topics on whom a treatment is for ("Who is the stitch for?"),
# and the sentences on them use it ("women who have had a preterm birth").
# A sentence that points back ("it", "this procedure", "they") speaks of what the sentence before named; only then
# does that sentence weigh in (a list of treatments, one a sentence, is not one treatment).
REFERS = re.compile(r"\b(?:it|its|this|that|these|those|they|them|their|such|the\s+(?:procedure|treatment|test))\b", re.I)
NEGATION = re.compile(r"\b(?:not|no|never|none|cannot|without|nor|neither)\b|n['\u2019]t\b", re.I)


_SNOWBALL = Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a case-folded word: "restriction" and "restrict", "injections" and
    "injection", "exercising" and "exercise" become one word, so a text matches the data in any of its forms."""
    return _SNOWBALL.stemWord(word)


# "Pessary" names two things: a drug (progesterone pessaries, put in the vagina) and a device (a cervical
# pessary, a ring fitted around the cervix). A text that names the device gets the word DEVICE_PESSARY
# instead, so the device is never read as the drug (nor the drug as the device): a device named by its
# name ("cervical pessary", "Arabin"), or a pessary named with device words and no drug words.
DEVICE_PESSARY = "devicepessary"  # one word, never a word of a text, never stemmed
_PESSARY = re.compile(r"\bpessar(?:y|ies)\b")
_DEVICE_NAME = re.compile(r"\b(?:cervical\s+pessar(?:y|ies)|arabin)\b")
_DEVICE_CUE = re.compile(r"\b(?:ring|rings|silicone|device|devices|fitted|removed|remove|taken\s+out|in\s+place)\b")
_DRUG_CUE = re.compile(r"\b(?:progesterone|hormone|hormones|medicine|medicines|medication|dose|doses|daily|nightly|night|"
                       r"gel|suppositor(?:y|ies)|capsules?|utrogestan|cyclogest)\b")


def senses(text: str) -> str:
    """``text`` (case-folded) with a pessary in the device sense written as DEVICE_PESSARY."""
    if not _PESSARY.search(text):
        return text
    if _DEVICE_NAME.search(text) or (_DEVICE_CUE.search(text) and not _DRUG_CUE.search(text)):
        return _PESSARY.sub(DEVICE_PESSARY, text)
    return text


_AMPERSAND = re.compile(r"\b([a-z])\s?&\s?([a-z])\b")   # "D&C", "D & C", "D&E": one word of letters, not two lost letters


def tokens(text: str) -> list[str]:
    """The content words of ``text``, stemmed, in order (repeats kept); a device pessary as DEVICE_PESSARY; letters
    joined by an ampersand as one word ("D & C" is "dc", as "D&C" is)."""
    return [w if w == DEVICE_PESSARY else stem(w) for w in _WORD.findall(_AMPERSAND.sub(r"\1\2", senses(text.casefold())))
            if w not in STOPWORDS and len(w) > 1]


def masked(text: str, found=None) -> str:
    """``text`` with its number and time phrases ("around 27 weeks", "second trimester") blanked out, offsets kept.

    A phrase says a value, not what the value is about: "the second trimester" is in claims on when the stitch
    goes in, on when progesterone is given and on when losses happen, so its words would pull every sentence
    that has one towards whichever topic quotes it most. The number rules (unit and kind) weigh the value."""
    found = mentions(text) if found is None else found
    if not found:
        return text
    chars = list(text)
    for m in found:
        if m.value is not None:  # "every two weeks", "weekly" give no value: a schedule says what it is about
            chars[m.start:m.end] = " " * (m.end - m.start)
    return "".join(chars)


def words_of(text: str) -> set[str]:
    return set(tokens(text))


def negated(text: str) -> bool:
    return bool(NEGATION.search(text))


def own_texts(topic, said: list[str]) -> list[str]:
    """A topic's own texts, each an example of its own: its id words with its option labels and caveat, its
    question, its question in a patient's words, and ``said`` (what each guidance fact and resolution on it says,
    its numbers and time phrases blanked out: ``masked``)."""
    own = [" ".join(re.split(r"[.-]", topic.id)) + " " + " ".join(topic.options.values()) + " " + (topic.caveat or ""),
           topic.question, topic.ask or ""]
    return [text for text in own + [masked(x) for x in said] if text.strip()]


@dataclass
class Ranking:
    """The topics a piece of text most likely speaks to, best first, with their scores."""
    topics: list[str]
    scores: list[float]
    closeness: float = 0.0     # the share of the text's weight its best example of the first topic holds
    own: bool = True           # the text's own words, without the sentence before or the heading, are sure of it too

    @property
    def first(self) -> str | None:
        return self.topics[0] if self.topics else None

    @property
    def clear(self) -> bool:
        """The first topic leads the second by a clear margin."""
        return bool(self.topics) and (len(self.scores) < 2 or self.scores[0] >= MARGIN * self.scores[1])

    @property
    def sure(self) -> bool:
        """Clear, and on the text's own words: close to the topic's examples (not led there by the number's unit
        alone), and first by a clear margin without the sentence before or the heading too (they may rank a topic
        first, never raise an alarm)."""
        return self.clear and self.closeness >= CLOSE and self.own

    def hesitation(self) -> str:
        """'hesitated between A (3.1) and B (2.9)' for a draft, or '' when sure."""
        if self.clear or len(self.topics) < 2:
            return ""
        return f"the assistant hesitated between {self.topics[0]} ({self.scores[0]:.1f}) and {self.topics[1]} ({self.scores[1]:.1f})"


class Library:
    """Every labelled example of the project, indexed for ranking."""

    def __init__(self, project: Project):
        self.project = project
        docs, labels, raw = [], [], []
        said: dict[str, list[str]] = defaultdict(list)   # what guidance and the resolutions say on each topic
        for fact in project.guidance.values():
            for tid in fact.topics:
                said[tid].append(fact.row + " " + (fact.name or "") + " " + " ".join(fact.terms))
        for res in project.resolutions.values():
            said[res.topic].append(res.short)
        things: list[set[str]] = []   # the words of each labelled thing: a topic (all its own texts) or a claim
        for topic in project.topics.values():
            things.append(set())
            for text in own_texts(topic, said[topic.id]):
                raw.append(text)
                docs.append(tokens(text))
                labels.append(topic.id)
                things[-1] |= set(docs[-1])
        self.by_value: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for topic in project.topics.values():
            for key, label in topic.options.items():
                self.by_value[topic.id][key] += tokens(key.replace("-", " ") + " " + label)
        per_topic_n: Counter = Counter()
        self.examples = []
        for claim in project.claims.values():
            if claim.draft or claim.topic not in project.topics or per_topic_n[claim.topic] >= EXAMPLES_PER_TOPIC:
                continue
            per_topic_n[claim.topic] += 1
            self.examples.append(claim)
            words = tokens(masked(claim.quote) + " " + masked(claim.says))
            raw.append(masked(claim.quote))
            docs.append(words)
            things.append(set(words))
            labels.append(claim.topic)
            if isinstance(claim.value, str):
                self.by_value[claim.topic][claim.value] += words
        self.labels = labels
        self.texts = raw        # each example as written (numbers blanked), for its meaning
        self._centroids = None  # each topic's meaning (rows in topic_ids' order): made at the first ranking
        self._centre = self._whiten = None   # and how a vector is centred and whitened (``whitening``)
        # where numbers of each unit go: the claims, of any kind, whose quote holds a number in that unit
        self.units_of: dict[str, set[str]] = defaultdict(set)
        in_unit: Counter = Counter()
        for claim in self.examples:
            units = {m.value.unit for m in mentions(claim.quote) if m.value is not None}
            self.units_of[claim.topic] |= units
            in_unit.update((u, claim.topic) for u in units)
        self.unit_prior: dict[str, dict[str, float]] = defaultdict(dict)
        for t in project.topics.values():
            if t.kind == "range":
                self.unit_prior[t.unit][t.id] = 0.0
        for (u, tid), n in in_unit.items():
            self.unit_prior[u][tid] = UNIT_PRIOR * n / max(m for (v, _), m in in_unit.items() if v == u)
        self.df = Counter(w for d in docs for w in set(d))
        self.n = len(docs)
        # a word in more than COMMON of the topics and claims tells none apart; counted by things, not by examples,
        # so a topic whose own texts are several examples counts once
        in_things = Counter(w for words in things for w in words)
        self.common = {w for w, k in in_things.items() if k > COMMON * len(things)}
        self.docs = [set(d) for d in docs]
        self.bm25 = bm25s.BM25()
        self.bm25.index([d or [""] for d in docs], show_progress=False)
        joined: dict[str, list[str]] = defaultdict(list)
        for d, label in zip(docs, labels):
            joined[label] += d
        self.topic_ids = list(joined)
        self.joined = bm25s.BM25()
        self.joined.index([joined[t] or [""] for t in self.topic_ids], show_progress=False)

    def idf(self, word: str) -> float:
        df = self.df.get(word, 0)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5)) if df else 0.0

    def known(self, word: str) -> bool:
        return word in self.df

    def _words(self, text: str) -> list[str]:
        """The words of ``text`` that tell topics apart (a word in most examples, like the condition's name, does not)."""
        return [w for w in tokens(text) if w not in self.common]

    @staticmethod
    def _scores(index, n: int, words: list[str], near: list[str], context: list[str], heading: list[str]):
        """BM25 scores of every document of ``index`` for the sentence, its clause (weighed more), the sentence
        before (only where the sentence itself already scores) and the heading."""
        scores = index.get_scores(words) if words else np.zeros(n)
        if near:
            scores = scores + CLAUSE_WEIGHT * index.get_scores(near)
        if context and BEFORE_WEIGHT:  # it tells apart the topics the sentence itself speaks to, never adds one
            scores = scores + BEFORE_WEIGHT * index.get_scores(context) * (scores > 0)
        if heading and LEAD_WEIGHT:  # a list item or a short answer says what it is about only in its heading
            scores = scores + LEAD_WEIGHT * index.get_scores(heading)
        return scores

    def rank(self, sentence: str, clause: str = "", unit: str | None = None, numberless: bool = False,
             before: str = "", lead: str = "") -> Ranking:
        """Topics for ``sentence`` (and ``clause``, the words around its number, weighed more; ``before``, the
        sentence before it, weighed less: "this procedure" is the one it named).

        ``unit``: the number's unit; a range topic in another unit is ruled out. ``numberless``: the text has no
        number; range topics are still ranked (the editor may want them) but never drafted."""
        words = self._words(sentence)
        near = self._words(clause) if clause else []
        if not words and not near and unit is None:
            return Ranking([], [])
        context = self._words(before) if before and REFERS.search(sentence + " " + clause) else []
        heading = self._words(lead) if lead else []
        scores = self._scores(self.bm25, self.n, words, near, context, heading)
        joined = dict(zip(self.topic_ids, map(float, self._scores(self.joined, len(self.topic_ids), words, near, context, heading))))
        per_topic: dict[str, list[tuple[float, int]]] = defaultdict(list)
        for i in np.flatnonzero(scores > 0):
            per_topic[self.labels[i]].append((float(scores[i]), int(i)))
        if unit is not None:  # every range topic in the number's unit is a candidate, its prior the share of such claims
            for tid, share in self.unit_prior.get(unit, {}).items():
                per_topic.setdefault(tid, [])
        close = self.meaning(sentence, clause, lead)   # a topic whose examples say the same in other words is a candidate too
        for tid in close:
            per_topic.setdefault(tid, [])
        ranked = []
        for tid, hits in per_topic.items():
            topic = self.project.topics[tid]
            if topic.kind == "range" and not numberless and unit != topic.unit:
                continue
            hits.sort(reverse=True)
            score = (hits[0][0] if hits else 0.0) + JOINED * joined.get(tid, 0.0)
            score += MEANING * max(0.0, close.get(tid, 0.0) - MEANING_FLOOR)
            if topic.kind == "range" and unit == topic.unit:
                score = score * UNIT_BOOST * (1 + self.unit_prior[unit].get(tid, 0.0))
            elif unit is not None and unit in self.units_of.get(tid, ()):
                score *= 1 + self.unit_prior[unit].get(tid, 0.0)
            elif unit is not None:
                score *= UNIT_UNSEEN  # no claim of this topic ever gave a number in this unit
            if numberless and topic.kind == "range":
                score *= NUMBERLESS_RANGE  # still listed (the editor may want it), behind what the text can be a claim on
            ranked.append((score, tid, hits[0][1] if hits else None))
        if FAMILY:  # topics of one family (the first part of their ids) lend each other a little
            best_in: dict[str, list[float]] = defaultdict(list)
            for score, tid, _ in ranked:
                best_in[tid.split(".")[0]].append(score)
            ranked = [(score + FAMILY * max([x for x in best_in[tid.split(".")[0]] if x is not score] or [0.0]), tid, i)
                      for score, tid, i in ranked]
        ranked.sort(key=lambda x: (-x[0], x[1]))
        if not ranked or ranked[0][0] < MIN_SCORE:
            return Ranking([], [])
        query = set(words) | set(near)
        weight = sum(self.idf(w) for w in query)
        best = self.docs[ranked[0][2]] if ranked[0][2] is not None else set()
        closeness = sum(self.idf(w) for w in query & best) / weight if weight else 0.0
        return Ranking([t for _, t, _ in ranked[:5]], [round(s, 2) for s, _, _ in ranked[:5]], round(closeness, 3))

    def meaning(self, sentence: str, clause: str = "", lead: str = "") -> dict[str, float]:
        """Each topic's closeness in meaning to ``sentence`` (with ``clause``, its number's clause, counted again, and
        ``lead`` where it is a lead-in line, ending in ':', counted ``LEAD_WEIGHT``: a list item's meaning is in its
        lead-in too, as its words are; a heading stands over many sentences and is left out):
        the cosine between the sentence's vector and the mean of the topic's examples' vectors (``meaning.encode``;
        numbers blanked on both sides). The mean, not the closest example: a topic with many examples would
        otherwise have more chances of one close by accident, and a new source's claims would pull sentences
        towards the topics they add to. {} where the encoder is not installed (the ranking is then by words only)."""
        if not meaning.available():
            return {}
        if self._centroids is None:
            vectors, labels = meaning.encode(self.texts), np.array(self.labels)
            self._centre, self._whiten = whitening(vectors, labels)
            centroids = (np.stack([vectors[labels == tid].mean(0) for tid in self.topic_ids]) - self._centre) @ self._whiten
            self._centroids = centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
        query = meaning.encode([masked(sentence)])[0]
        if clause:
            query = query + meaning.encode([masked(clause)])[0]
        if lead.endswith(":") and LEAD_WEIGHT:
            query = query + LEAD_WEIGHT * meaning.encode([masked(lead)])[0]
        query = query / max(float(np.linalg.norm(query)), 1e-12)
        query = (query - self._centre) @ self._whiten
        query = query / max(float(np.linalg.norm(query)), 1e-12)
        return dict(zip(self.topic_ids, (self._centroids @ query).tolist()))

    # ------------------------------------------------------------------ values

    def value(self, topic_id: str, text: str):
        """The value ``text`` gives on a stance, choice, set or caveat topic (None where it cannot be read)."""
        topic = self.project.topics[topic_id]
        if topic.kind == "caveat":
            return "stated"
        words = words_of(text)
        if topic.kind == "set":
            return self._items(topic, words)
        if topic.kind not in ("stance", "choice") or not topic.options:
            return None
        neg = negated(text)
        named = [k for k in topic.options if words_of(k.replace("-", " ")) and words_of(k.replace("-", " ")) <= words
                 and (topic.kind != "stance" or negated(k.replace("-", " ") + " " + topic.options[k]) == neg)]
        if named:   # the sentence says an option in its own words ("is not recommended"): that option, the longest
            return max(named, key=lambda k: (len(words_of(k.replace("-", " "))), k))
        best, best_score = None, 0.0
        for key in topic.options:
            if topic.kind == "stance" and negated(key.replace("-", " ") + " " + topic.options[key]) != neg:
                continue  # a negative sentence takes a negative option, and the other way round
            example = Counter(self.by_value[topic_id][key])
            score = sum(self.idf(w) for w in words if w in example) + 0.01
            if score > best_score:
                best, best_score = key, score
        return best


    @staticmethod
    def _items(topic, words: set[str]) -> list[str] | None:
        """The options of a set the sentence names: by the words of their keys (the options' short names; a label
        such as "A procedure in the hospital" has words every option shares), else of their labels; an option whose
        words found are a part of another's found is dropped ("light bleeding" is light-bleeding, not bleeding), and
        so is one found in part where another is found whole with the same words ("any bleeding" is bleeding)."""
        for read in (lambda k: words_of(k.replace("-", " ")), lambda k: words_of(k.replace("-", " ") + " " + topic.options[k])):
            found = {k: words & read(k) for k in topic.options}
            found = {k: w for k, w in found.items() if w}
            whole = {k for k, w in found.items() if w == read(k)}   # every word of the option is in the sentence
            picked = [k for k, w in found.items() if not any(w < found[o] or (w <= found[o] and o in whole and k not in whole)
                                                             for o in found if o != k)]
            if picked:
                return picked
        return None


@dataclass
class SentenceSuggestion:
    """A sentence (or clause) without a number that is close to a topic's claims."""
    start: int
    end: int
    line: int
    col: int
    text: str                       # the quote a draft would carry (at most 40 words)
    ranking: Ranking
    value: object = None
    drafted: bool = False           # close enough, and the topic's kind can be drafted without a number
    why_not: str | None = None

    @property
    def ranked(self) -> list[str]:
        return self.ranking.topics

    def describe(self) -> str:
        value = f" = {self.value if not isinstance(self.value, list) else ', '.join(self.value)}" if self.value else ""
        if self.drafted:
            state = f"draft on {self.topic}{value}" + (f" ({self.ranking.hesitation()})" if self.ranking.hesitation()
                                                       else f" (then {', '.join(self.ranked[1:3])})" if len(self.ranked) > 1 else "")
        else:
            state = f"likely topic {self.topic}: {self.why_not}"
        return state

    def as_json(self) -> dict:
        return {"line": self.line, "col": self.col, "sentence": self.text, "topics": self.ranked,
                "scores": self.ranking.scores, "closeness": self.ranking.closeness, "sure": self.ranking.sure,
                "value": self.value, "drafted": self.drafted, "why_not": self.why_not}

    @property
    def topic(self) -> str | None:
        return self.ranking.first


@dataclass
class Unknown:
    """A sentence naming a treatment, test or device that no topic or option covers."""
    start: int
    end: int
    line: int
    col: int
    text: str
    words: list[str] = field(default_factory=list)   # the words the project's data has never seen

    def as_json(self) -> dict:
        return {"line": self.line, "col": self.col, "sentence": self.text, "words": self.words}

    @property
    def message(self) -> str:
        return (f"names something no topic covers ({', '.join(self.words)}): add a topic or an option")


# A sentence names a thing (a treatment, test or device) in a few ways, all plain English and none a page's: a word
# for a kind of thing introduces it ("a device called a pessary", "tests such as magnetic resonance imaging"),
# defines it ("a pessary is a silicone device") or follows its name ("the Arabin device", "an MRI test": a word
# written with a capital), or a verb of treating or testing takes it ("prescribe metformin", "treated with
# metformin", "a pessary is inserted"). The thing is the head of that noun phrase (its last word: English noun
# phrases end in their head), and it is new to the project when the head is in no topic, option, claim,
# resolution or guidance text of the data. Only that phrase is read, never the other words of the sentence (a
# name in a byline, a word of a reference or an adjective such as "herbal medicines" is no thing). Measured on
# the benchmark: verbs as common as "give", "use", "place" or "receive" note a few more things and flood the
# rest ("give you special instructions", "a thin wand is placed"), so they are not in.
THING_FORMS = set("device devices test tests medicine medicines medication medications drug drugs therapy therapies "
                  "supplement supplements implant implants instrument instruments".split())   # as written: not "medical"
THING_WORDS = {stem(w) for w in THING_FORMS} | {DEVICE_PESSARY}
ACTION_WORDS = {stem(w) for w in "insert fit prescribe inject implant perform undergo administer treat measure scan".split()}
_SLOT_TOKEN = re.compile(r"[a-z]+|[^\sa-z]")
_WRITTEN = re.compile(r"[A-Za-z]+|[^\sA-Za-z]")
_INTRODUCING = [("called",), ("named",), ("known", "as"), ("such", "as"), ("like",), ("including",), ("e", "g")]
_NP_END = set("in on at of for to from into inside around with by as about than if when because which who that while but "
              "so until before after during can could may might will would should must is are was were be been".split())
_BE = {"is", "are", "was", "were", "be", "been", "being"}
_VOCABULARY: dict[int, tuple] = {}


def whitening(vectors: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The centre of the examples' vectors and the matrix that whitens them by their spread within topics: the
    within-topic covariance, shrunk towards its mean variance by ``MEANING_SHRINK`` (so a few examples a topic
    give a stable estimate, as in scikit-learn's LinearDiscriminantAnalysis with shrinkage), to the power -1/2.
    A vector ``(v - centre) @ matrix`` counts a direction by how well it tells topics apart."""
    centre = vectors.mean(0)
    spread = np.zeros((vectors.shape[1], vectors.shape[1]))
    for label in np.unique(labels):
        rows = vectors[labels == label]
        rows = rows - rows.mean(0)
        spread += rows.T @ rows
    spread /= len(vectors)
    shrunk = (1 - MEANING_SHRINK) * spread + MEANING_SHRINK * np.trace(spread) / len(spread) * np.eye(len(spread))
    values, axes = np.linalg.eigh(shrunk)
    return centre, (axes / np.sqrt(np.maximum(values, 1e-12))) @ axes.T


def data_words(project: Project) -> set[str]:
    """Every stem the project's data uses: topics (ids, questions, options, caveats), every claim (quote and words),
    resolutions and guidance (rows, names, terms and what each fact says)."""
    key = id(project)
    if key not in _VOCABULARY or _VOCABULARY[key][0] is not project:
        texts = [f"{t.id.replace('.', ' ').replace('-', ' ')} {t.question} {' '.join(t.options)} "
                 f"{' '.join(t.options.values())} {t.caveat or ''}" for t in project.topics.values()]
        texts += [f"{c.quote} {c.says}" for c in project.claims.values()]
        texts += [r.short for r in project.resolutions.values()]
        texts += [f"{f.row} {f.name or ''} {f.says} {' '.join(f.terms)}" for f in project.guidance.values()]
        _VOCABULARY[key] = (project, {w for text in texts for w in tokens(text)})
    return _VOCABULARY[key][1]


def _heads(raw: list[str], j: int) -> list[int]:
    """The heads of the noun phrases that start at raw[j] (a list "X or Y" has two): each phrase ends before a
    preposition, a verb-like function word or a punctuation mark, its head is its last content word."""
    heads, last = [], None
    while j < len(raw):
        r = raw[j]
        if r in ("and", "or", ","):
            if last is not None:
                heads.append(last)
            last = None
        elif not r.isalpha() or r in _NP_END:
            break
        elif r not in STOPWORDS:
            last = j
        j += 1
    return heads + ([last] if last is not None else [])


def unknown_words(library: Library, text: str) -> list[str]:
    """The things ``text`` names (a treatment, test or device: see THING_WORDS) that the project's data has never
    named, as the text writes them; [] when it names none, or only what the data knows."""
    known = data_words(library.project)
    raw = _SLOT_TOKEN.findall(senses(text.casefold()))
    words = [w if w == DEVICE_PESSARY or not w.isalpha() else stem(w) for w in raw]
    written = _WRITTEN.findall(text)
    named = {i for i, w in enumerate(written) if i and w[:1].isupper() and w[1:2] != "" and len(written) == len(raw)}
    heads: list[int] = []
    for i, w in enumerate(words):
        if w == DEVICE_PESSARY:
            heads.append(i)
        elif raw[i] in THING_FORMS:
            for intro in _INTRODUCING:
                k = i + 1 + (raw[i + 1:i + 2] == [","])
                if tuple(raw[k:k + len(intro)]) == intro:
                    heads += _heads(raw, k + len(intro))
            b = i - 1
            while b > 0 and raw[b].isalpha() and raw[b] not in _BE and b > i - 4:
                b -= 1                    # "a pessary is a silicone device": what the sentence defines
            if b >= 1 and raw[b] in _BE and raw[b + 1:b + 2] in (["a"], ["an"]) and raw[b - 1].isalpha() \
                    and raw[b - 1] not in STOPWORDS:
                heads.append(b - 1)
            if i and raw[i - 1].isalpha() and raw[i - 1] not in STOPWORDS and i - 1 in named:
                heads.append(i - 1)       # "an MRI test", "the Arabin device": a name before the kind word
        elif w in ACTION_WORDS and raw[i + 1:i + 2] in (["with"], ["using"]):
            heads += _heads(raw, i + 2)   # "treated with metformin", "scan using MRI"
        elif w in ACTION_WORDS:
            b = i - 1
            while b >= 0 and raw[b] not in _BE and raw[b].isalpha() and raw[b] in STOPWORDS and b > i - 3:
                b -= 1                    # "is then inserted", "are usually fitted"
            if b >= 1 and raw[b] in _BE and raw[b - 1].isalpha() and raw[b - 1] not in STOPWORDS:
                heads.append(b - 1)       # "a pessary is inserted"
            else:
                heads += _heads(raw, i + 1)   # "prescribe metformin"
    out = []
    for j in heads:
        w = words[j]
        new = w == DEVICE_PESSARY or (len(raw[j]) >= 3 and w not in known and w not in THING_WORDS | ACTION_WORDS
                                      and not raw[j].endswith("ly"))   # "perform adequately": a manner, no thing
        name = "pessary (the device)" if w == DEVICE_PESSARY else raw[j]
        if new and name not in out and (w != DEVICE_PESSARY or w not in known):
            out.append(name)
    return out
