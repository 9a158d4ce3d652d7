"""Tests of analysis.explorer: the data the page embeds (counted by hand on a toy corpus),
and the page itself in a real browser (headless Chromium driven by Selenium): typing,
lemma mode, possessives, no-match message, group and voice filters, escaping, and the
JavaScript port of the tokenizer against the Python one.

Every expected number of the browser tests is computed independently in Python, from the
toy corpus's text with regular expressions, not from the page's data."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import load_corpus, sentences, tokenize
from analysis.explorer import KWIC_SHOWN, explorer_data, explorer_html, write_explorer_page
from analysis.groups import group_order
from analysis.plots import text_styles

from conftest import make_corpus

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

#: The toy corpus: two texts of one era on the same date, one of a later era with a
#: quotation said by someone ("He said: ..."), one text in another voice (reader comments).
TOY_TEXTS = {
    "alpha": "The Party's cadres must serve the people. A cadre who fears the people is lost.",
    "beta": "Officials write reports about <b>bold</b> plans & goals.",
    "gamma": 'He said: "The people must fight corruption and the cadres must lead the people every day." '
             "The Party’s line is clear.",
    "delta": "I like the people here. We need more cadres like that.",
}
TOY_META = {  # doc_id -> era, voice, date, title
    "alpha": ("Early", "party-media", "2020-03", 'Alpha <script>alert("title")</script>'),
    "beta": ("Early", "party-media", "2020-03", "Beta & co"),
    "gamma": ("Late", "party-media", "2025-05", "Gamma"),
    "delta": ("Late", "reader-comments", "2025-06", "Delta comments"),
}
#: Words (``is_word`` tokens) of each toy text, counted by hand; and those in the author's
#: voice (gamma's quotation has 14 words: "The people ... every day").
WORDS = {"alpha": 7 + 8, "beta": 9, "gamma": 16 + 5, "delta": 5 + 6}
AUTHOR_WORDS = {"alpha": 15, "beta": 9, "gamma": 21 - 14, "delta": 11}


def toy_corpus_folder(folder: Path) -> Path:
    make_corpus(folder, TOY_TEXTS)
    meta = pd.read_csv(folder / "metadata.csv", dtype=str, keep_default_na=False)
    for col, k in (("era", 0), ("voice", 1), ("date", 2), ("title", 3)):
        meta[col] = meta["doc_id"].map(lambda d: TOY_META[d][k])
    meta.to_csv(folder / "metadata.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def toy(tmp_path_factory):
    """The toy corpus (reader comments included), its annotation (cached in a temporary
    folder, not the project's cache) and its explorer data."""
    from analysis.annotation import annotate

    root = tmp_path_factory.mktemp("explorer")
    corpus = load_corpus(toy_corpus_folder(root / "corpus"), include_comments=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STUDY_CACHE_DIR", str(root / "cache"))
        annotated = annotate(sentences(corpus))
    return dict(root=root, corpus=corpus, annotated=annotated, data=explorer_data(corpus, annotated))


def occurrences(pattern: str, text: str) -> int:
    """Occurrences of a regular expression in ``text``, ignoring case: the independent count."""
    return len(re.findall(pattern, text, flags=re.IGNORECASE))


def word(w: str) -> str:
    """A regular expression for ``w`` as a whole word."""
    return rf"(?<![\w'’-]){w}(?![\w-])"


# ---------------------------------------------------------------------------- the data


def test_every_text_is_present_in_corpus_order_with_its_style(toy):
    data, corpus = toy["data"], toy["corpus"]
    assert [t["doc_id"] for t in data["texts"]] == list(corpus["doc_id"])
    styles = text_styles(corpus, "era")
    for t in data["texts"]:
        assert t["colour"] == styles.loc[t["doc_id"], "colour"]
        assert t["marker"] == styles.loc[t["doc_id"], "marker"]
        assert t["group"] == TOY_META[t["doc_id"]][0]
        assert t["voice"] == TOY_META[t["doc_id"]][1]
        assert t["hollow"] == (t["voice"] != "party-media")
    assert data["groups"] == group_order(corpus, "era") == ["Early", "Late"]
    assert data["other_voices"] == ["reader-comments"]
    by_id = {t["doc_id"]: t for t in data["texts"]}
    assert by_id["alpha"]["date_position"] == by_id["beta"]["date_position"]  # same date: dodged in the page
    assert pd.Timestamp(by_id["gamma"]["date_position"]).year == 2025


def test_word_counts_by_hand(toy):
    by_id = {t["doc_id"]: t for t in toy["data"]["texts"]}
    assert {d: t["words"] for d, t in by_id.items()} == WORDS
    assert {d: t["author_words"] for d, t in by_id.items()} == AUTHOR_WORDS
    assert sum(t["tokens"] for t in by_id.values()) == len(toy["annotated"])


def test_token_arrays_are_parallel_and_complete(toy):
    data = toy["data"]
    sents = data["sentences"]
    n = len(sents["text"])
    assert all(len(sents[k]) == n for k in sents)
    for k in range(n):
        lengths = {len(sents[c][k]) for c in ("form", "lemma", "is_word", "author_voice", "start", "length")}
        assert len(lengths) == 1
        assert set(sents["is_word"][k]) <= {"0", "1"} and set(sents["author_voice"][k]) <= {"0", "1"}
    assert sum(len(f) for f in sents["form"]) == len(toy["annotated"]) == data["cap"]["embedded_tokens"]
    assert not data["cap"]["truncated"]
    # every token's place in its sentence gives back the token as written
    strings = data["strings"]
    for text, starts, lengths, forms in zip(sents["text"], sents["start"], sents["length"], sents["form"]):
        for a, n_chars, f in zip(starts, lengths, forms):
            assert text[a: a + n_chars].lower().replace("’", "'") == strings[f]
    # the sentences of each text, in order, are the text
    for i, t in enumerate(data["texts"]):
        mine = [s for d, s in zip(sents["doc"], sents["text"]) if d == i]
        assert " ".join(mine) == TOY_TEXTS[t["doc_id"]]


def test_forms_lemmas_and_voice_of_tokens(toy):
    data = toy["data"]
    strings, sents = data["strings"], data["sentences"]
    ids = {s: i for i, s in enumerate(strings)}
    assert strings[data["form_lemma"][ids["cadres"]]] == "cadre"
    assert strings[data["form_lemma"][ids["cadre"]]] == "cadre"
    assert ids["'s"] in {f for forms in sents["form"] for f in forms}  # "Party’s" gives "party" + "'s"
    assert "party’s" not in ids and "party's" not in ids
    gamma = [t["doc_id"] for t in data["texts"]].index("gamma")
    people_voice = [av[k] for d, forms, av in zip(sents["doc"], sents["form"], sents["author_voice"])
                    if d == gamma for k, f in enumerate(forms) if strings[f] == "people"]
    assert people_voice == ["0", "0"]  # both inside the quotation said by "he"


def test_data_is_json_and_deterministic(toy):
    data = toy["data"]
    text = json.dumps(data, sort_keys=True, allow_nan=False)
    assert json.loads(text) == data
    assert explorer_data(toy["corpus"], toy["annotated"]) == data


def test_cap_embeds_part_of_every_text_and_says_so(toy):
    data = explorer_data(toy["corpus"], toy["annotated"], max_tokens=40)
    cap = data["cap"]
    assert cap["truncated"] and cap["total_tokens"] == len(toy["annotated"])
    embedded = sum(len(f) for f in data["sentences"]["form"])
    assert embedded == cap["embedded_tokens"] <= 40
    assert set(cap["texts_cut"]) | set(cap["texts_left_out"])
    assert [t["doc_id"] for t in data["texts"]] == list(toy["corpus"]["doc_id"])  # still every text
    assert {t["doc_id"]: t["words"] for t in data["texts"]} == WORDS  # full counts are kept


def test_page_is_self_contained_escaped_and_byte_identical(toy, tmp_path):
    first = write_explorer_page(tmp_path / "a" / "explorer.html", toy["corpus"], toy["annotated"])
    second = write_explorer_page(tmp_path / "b.html", toy["corpus"], toy["annotated"])
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["explorer.html"]  # no temporary file left
    page = first.read_text(encoding="utf-8")
    assert page.count("</script>") == 2 and page.count("<script") == 2  # the title's <script> is escaped
    assert "innerHTML" not in page and "eval(" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)  # no external resource
    for sign in ("<link", "@import", "fetch(", "XMLHttpRequest", "cdn"):
        assert sign not in page
    embedded = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', page, re.S)[1]
    assert json.loads(embedded) == toy["data"]
    assert explorer_html(toy["data"]) == page


# ---------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip("headless Chromium is not installed (/usr/bin/chromium and /usr/bin/chromedriver, Debian's "
                    "chromium and chromium-driver packages): the explorer's browser tests need it")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh profile: nothing read from the user's
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-sync", "--window-size=1200,1400", f"--user-data-dir={profile}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


class Page:
    """The explorer page in the browser, with helpers that wait for it to redraw."""

    def __init__(self, driver, path: Path):
        from selenium.webdriver.common.by import By

        self.driver, self.By = driver, By
        driver.get(path.resolve().as_uri())
        self.wait_for(lambda: self.renders() >= 1)

    def wait_for(self, condition, timeout: float = 10):
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(lambda _: condition())

    def renders(self) -> int:
        return int(self.driver.find_element(self.By.TAG_NAME, "body").get_attribute("data-renders") or 0)

    def settled(self, before: int) -> bool:
        body = self.driver.find_element(self.By.TAG_NAME, "body")
        return self.renders() > before and body.get_attribute("data-pending") == "0"

    def act(self, action) -> None:
        """Do ``action`` and wait until the page has redrawn after it."""
        before = self.renders()
        action()
        self.wait_for(lambda: self.settled(before))

    def type(self, text: str) -> None:
        from selenium.webdriver.common.keys import Keys

        box = self.driver.find_element(self.By.ID, "query")
        if box.get_attribute("value") == text:
            return

        def typing():
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(Keys.DELETE)
            box.send_keys(text)

        self.act(typing)
        assert self.driver.find_element(self.By.TAG_NAME, "body").get_attribute("data-rendered") == text.strip()

    def click(self, css: str) -> None:
        self.act(lambda: self.driver.find_element(self.By.CSS_SELECTOR, css).click())

    def plot_markup(self) -> str:
        return self.driver.find_element(self.By.ID, "plot").get_attribute("innerHTML")

    def points(self) -> dict[str, float | None]:
        """doc_id -> rate of each text drawn in the plot (None: no words in the voice)."""
        out = {}
        for g in self.driver.find_elements(self.By.CSS_SELECTOR, "#plot g.pt"):
            rate = g.get_attribute("data-rate")
            out[g.get_attribute("data-doc")] = float(rate) if rate else None
        return out

    def counts(self) -> dict[str, int]:
        return {tr.get_attribute("data-doc"): int(tr.get_attribute("data-count"))
                for tr in self.driver.find_elements(self.By.CSS_SELECTOR, "#counts tr.count-row")}

    def kwic_lines(self) -> list:
        return self.driver.find_elements(self.By.CSS_SELECTOR, "#kwic tr.kwic-line")

    def message(self) -> str:
        return self.driver.find_element(self.By.ID, "message").text


@pytest.fixture(scope="module")
def toy_page(toy, browser):
    path = write_explorer_page(toy["root"] / "site" / "explorer.html", toy["corpus"], toy["annotated"])
    return Page(browser, path)


def texts_of(toy) -> dict[str, str]:
    return dict(zip(toy["corpus"]["doc_id"], toy["corpus"]["text"]))


def reset(page: Page) -> None:
    """Every group ticked, all words, word forms."""
    driver, By = page.driver, page.By
    for box in driver.find_elements(By.CSS_SELECTOR, "input.group-filter"):
        if not box.is_selected():
            page.act(box.click)
    if not driver.find_element(By.ID, "voice-all").is_selected():
        page.click("#voice-all")
    if driver.find_element(By.ID, "lemma-mode").is_selected():
        page.click("#lemma-mode")


def test_typing_a_word_draws_its_rate_in_each_text_and_its_lines(toy, toy_page):
    reset(toy_page)
    toy_page.type("")
    empty = toy_page.plot_markup()
    toy_page.type("people")
    assert toy_page.plot_markup() != empty
    texts = texts_of(toy)
    per_text = {d: occurrences(word("people"), t) for d, t in texts.items()}
    points = toy_page.points()
    assert set(points) == set(texts)  # every text on the time axis
    assert sum(1 for r in points.values() if r and r > 0) == sum(1 for n in per_text.values() if n) == 3
    assert toy_page.counts() == per_text
    assert len(toy_page.kwic_lines()) == sum(per_text.values()) == 5
    for doc, rate in points.items():
        assert rate == pytest.approx(1000 * per_text[doc] / WORDS[doc])
    line = toy_page.kwic_lines()[0]
    assert line.find_element(toy_page.By.CSS_SELECTOR, "td.match").text.lower() == "people"
    assert line.get_attribute("data-doc") == "alpha"
    # another word redraws the plot
    before = toy_page.plot_markup()
    toy_page.type("cadres")
    assert toy_page.plot_markup() != before
    assert len(toy_page.kwic_lines()) == sum(occurrences(word("cadres"), t) for t in texts.values())


def test_texts_of_the_same_date_are_moved_apart(toy_page):
    reset(toy_page)
    toy_page.type("the")
    xs = {}
    for g in toy_page.driver.find_elements(toy_page.By.CSS_SELECTOR, "#plot g.pt"):
        path = g.find_element(toy_page.By.TAG_NAME, "path")
        box = toy_page.driver.execute_script("var b = arguments[0].getBBox(); return [b.x, b.width];", path)
        xs[g.get_attribute("data-doc")] = box[0] + box[1] / 2
    assert abs(xs["alpha"] - xs["beta"]) >= 10  # alpha and beta share a date
    labels = toy_page.driver.find_elements(toy_page.By.CSS_SELECTOR, "#plot text.pt-label")
    assert sorted(t.text for t in labels) == sorted(TOY_TEXTS)
    assert toy_page.driver.find_elements(toy_page.By.CSS_SELECTOR, "#plot text.y-tick")


def test_lemma_mode_finds_the_plural_with_a_singular_query(toy, toy_page):
    reset(toy_page)
    texts = texts_of(toy)
    toy_page.type("cadre")
    assert len(toy_page.kwic_lines()) == sum(occurrences(word("cadre"), t) for t in texts.values()) == 1
    toy_page.click("#lemma-mode")
    expected = sum(occurrences(word("cadres?"), t) for t in texts.values())
    assert expected == 4
    assert len(toy_page.kwic_lines()) == expected
    assert "cadres" in {e.text.lower() for e in toy_page.driver.find_elements(toy_page.By.CSS_SELECTOR, "#kwic td.match")}
    toy_page.type("cadres")  # and the plural query finds the singular
    assert len(toy_page.kwic_lines()) == expected
    assert "lemmas: cadre" in toy_page.driver.find_element(toy_page.By.ID, "searched").text
    toy_page.click("#lemma-mode")


@pytest.mark.parametrize("query", ["party's", "Party’s", "PARTY'S"])
def test_possessives_are_found(toy, toy_page, query):
    reset(toy_page)
    toy_page.type(query)
    expected = sum(occurrences(r"\bparty['’]s\b", t) for t in texts_of(toy).values())
    assert expected == 2
    assert len(toy_page.kwic_lines()) == expected
    assert sum(toy_page.counts().values()) == expected
    matches = [e.text for e in toy_page.driver.find_elements(toy_page.By.CSS_SELECTOR, "#kwic td.match")]
    assert matches == ["Party's", "Party’s"]


def test_a_word_without_hits_says_so(toy_page):
    reset(toy_page)
    toy_page.type("people")
    toy_page.type("xyzzy")
    assert "no match for 'xyzzy' in the selected texts" in toy_page.message()
    assert toy_page.kwic_lines() == [] and toy_page.counts() == {} and toy_page.points() == {}
    assert "no match for 'xyzzy'" in toy_page.driver.find_element(toy_page.By.ID, "plot").text


def test_unticking_a_group_removes_its_texts(toy, toy_page):
    reset(toy_page)
    toy_page.type("people")
    assert set(toy_page.points()) == set(TOY_TEXTS)
    toy_page.click("input.group-filter[data-value='Early']")
    early = {d for d, meta in TOY_META.items() if meta[0] == "Early" and meta[1] == "party-media"}
    assert set(toy_page.points()) == set(TOY_TEXTS) - early
    texts = texts_of(toy)
    assert len(toy_page.kwic_lines()) == sum(occurrences(word("people"), texts[d]) for d in set(texts) - early)
    toy_page.click("input.group-filter[data-kind='voice'][data-value='reader-comments']")
    assert set(toy_page.points()) == {"gamma"}
    toy_page.click("input.group-filter[data-value='Late']")
    assert toy_page.points() == {} and "No texts selected" in toy_page.message()
    reset(toy_page)
    assert set(toy_page.points()) == set(TOY_TEXTS)


def test_the_voice_filter_separates_quoted_words(toy, toy_page):
    reset(toy_page)
    toy_page.type("people")
    texts = texts_of(toy)
    quote = re.search(r'"(.*?)"', texts["gamma"])[1]
    in_quote = occurrences(word("people"), quote)
    assert in_quote == 2 and toy_page.counts()["gamma"] == 2
    toy_page.click("#voice-author")
    author = toy_page.counts()
    assert author["gamma"] == occurrences(word("people"), texts["gamma"]) - in_quote == 0
    assert author["alpha"] == 2 and author["delta"] == 1
    assert toy_page.points()["gamma"] == 0
    toy_page.click("#voice-quoted")
    quoted = toy_page.counts()
    assert quoted == {"alpha": 0, "beta": 0, "gamma": in_quote, "delta": 0}
    assert toy_page.points()["gamma"] == pytest.approx(1000 * in_quote / (WORDS["gamma"] - AUTHOR_WORDS["gamma"]))
    assert toy_page.points()["alpha"] is None  # no quoted words in alpha: no rate, no marker
    assert len(toy_page.kwic_lines()) == in_quote
    toy_page.click("#voice-all")


def test_corpus_text_is_shown_as_text_never_as_markup(toy_page):
    reset(toy_page)
    toy_page.type("bold")
    lines = toy_page.kwic_lines()
    assert len(lines) == 1
    left = lines[0].find_element(toy_page.By.CSS_SELECTOR, "td.left").text
    assert left.endswith("<b>")
    driver, By = toy_page.driver, toy_page.By
    assert driver.find_elements(By.CSS_SELECTOR, "#kwic b, #counts b, #kwic script, #counts script") == []
    toy_page.type("<script>")
    assert driver.find_elements(By.CSS_SELECTOR, "body script") and len(driver.find_elements(By.TAG_NAME, "script")) == 2
    assert driver.execute_script("return typeof window.alert") == "function"


def test_javascript_tokenizer_matches_the_python_one(toy_page):
    samples = [
        "The Party's cadres", "Party’s", "don't won’t can't", "89-QĐ/TW and 150-KL/TW", "65.57% of 21,000 in 2021-2026",
        "the 13th Congress", "self-evolution, self-transformation", "https://example.org/a?b=c end", "wait... now…",
        "“quoted” ‘single’ (brackets) [x]", "Hồ Chí Minh’s teaching", "they're we've I'll he'd I'm", "e.g. U.S. No. 5",
        "emoji 😀 here", "tab\tand\nnew line", "rock'n'roll", "'s alone", "x_y z2 2z", "Đảng-ủy",
    ]
    corpus = load_corpus(include_comments=True)
    samples += list(sentences(corpus)["text"])
    js = toy_page.driver.execute_script("return arguments[0].map(function (s) { return window.explorerTokenize(s); });",
                                        samples)
    mismatched = [(s, t, tokenize(s)) for s, t in zip(samples, js) if t != tokenize(s)]
    assert mismatched == []


def test_a_cut_corpus_says_so_on_the_page(toy, browser):
    path = write_explorer_page(toy["root"] / "cut.html", toy["corpus"], toy["annotated"], max_tokens=40)
    page = Page(browser, path)
    note = browser.find_element(page.By.ID, "cap-note")
    assert note.is_displayed()
    assert "more than the 40 this page embeds" in note.text
    assert page.points() == {}  # no query yet
    page.type("the")
    cap = explorer_data(toy["corpus"], toy["annotated"], max_tokens=40)["cap"]
    assert set(page.points()) == set(TOY_TEXTS)
    drawn = {d for d, rate in page.points().items() if rate is not None}
    assert drawn == set(TOY_TEXTS) - set(cap["texts_left_out"])


def test_the_real_corpus_page_loads_and_finds_a_common_word(browser, tmp_path):
    corpus = load_corpus(include_comments=True)
    path = write_explorer_page(tmp_path / "explorer.html", corpus)
    page = Page(browser, path)
    assert len(browser.find_elements(page.By.CSS_SELECTOR, "input.group-filter")) >= 1
    page.type("people")
    assert len(page.points()) == len(corpus)
    assert sum(page.counts().values()) > 0
    assert 0 < len(page.kwic_lines()) <= KWIC_SHOWN
    assert "hits of" in page.message()
