"""A word explorer that runs in the browser alone: one self-contained HTML page.

:func:`write_explorer_page` writes a single HTML file (inline CSS and JavaScript, the
corpus embedded as JSON, no external resource, no server, no kernel). In the page one
types any word, lemma or phrase and sees, as one types:

- its rate per 1,000 words in each text on a time axis (an SVG drawn by the page's own
  script: each text in its colour and marker of :func:`analysis.plots.text_styles`,
  texts of the same date moved apart, labelled with their doc_id);
- its count in each text;
- its keyword-in-context lines (at most :data:`KWIC_SHOWN` shown, with a note of how many
  more there are).

Filters: the groups of texts (the values of the ``group`` column, :mod:`analysis.groups`,
plus every other voice such as reader comments, never pooled with them), and the voice
of the words (the author's voice, quoted words, or all words; ``author_voice`` of
:func:`analysis.annotation.annotate`). A toggle matches lemmas instead of word forms:
each query word is looked up among the corpus's own form -> lemma pairs (its most
frequent lemma), falling back to the word itself.

The query is tokenised by a port of :data:`analysis.tokens.TOKEN_PATTERN` to JavaScript,
so "Party's" or "Party’s" gives "party" + "'s", as the corpus's tokens do.

:func:`explorer_data` is the data the page embeds: per text its metadata and style, per
sentence its text and its tokens as parallel arrays over one deduplicated string table.
A corpus larger than ``max_tokens`` is embedded in part (the first sentences of every
text, in proportion to its length) and the page says so.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .checks import require_columns
from .figures import write_atomically
from .groups import DEFAULT_GROUP, MAIN_VOICE, group_order, time_windows
from .overview import date_labels, date_positions
from .plots import text_styles

#: Tokens embedded in the page at most; a larger corpus is embedded in part, and the page says so.
MAX_TOKENS = 2_000_000
#: KWIC lines shown at most; the page says how many more there are.
KWIC_SHOWN = 200
#: Version of the embedded data layout (``schema`` in the JSON).
SCHEMA = 1


def _iso(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%dT%H:%M:%S")


def _utf16_index(text: str):
    """A function from a code-point offset of ``text`` to its UTF-16 offset (what a
    JavaScript string counts)."""
    if not text or max(text) < "\U00010000":
        return lambda k: k
    cumulative = [0]
    for ch in text:
        cumulative.append(cumulative[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return cumulative.__getitem__


def _token_spans(text: str, written: list[str]) -> tuple[list[int], list[int]]:
    """Start (UTF-16 offset) and length (UTF-16 units) of each token of a sentence, found
    in order in its text. A token not found in the text gets length 0 at the cursor."""
    to16 = _utf16_index(text)
    starts, lengths, cursor = [], [], 0
    for tok in written:
        at = text.find(tok, cursor)
        if at < 0:
            starts.append(to16(cursor))
            lengths.append(0)
            continue
        cursor = at + len(tok)
        starts.append(to16(at))
        lengths.append(to16(cursor) - to16(at))
    return starts, lengths


def _styled_corpus(corpus: pd.DataFrame, group: str) -> pd.DataFrame:
    """``corpus`` with an empty group value named ``(no GROUP)``, so every text has a group."""
    if group not in corpus:
        raise KeyError(f"no metadata column {group!r} to group the texts by; the corpus has: "
                       f"{', '.join(map(str, corpus.columns))}.")
    values = corpus[group].astype(str).str.strip()
    return corpus.assign(**{group: values.where(values != "", f"(no {group})")})


def _embedded_sentences(sizes: pd.DataFrame, order: list[str], max_tokens: int) -> tuple[pd.Series, dict]:
    """Which sentences to embed, and what is left out. ``sizes`` has one row per sentence
    (doc_id, n_tokens) in corpus order. Within the cap every sentence is kept; above it,
    each text keeps its first whole sentences up to its share of the cap (in proportion to
    its number of tokens), so every text is still on the time axis."""
    per_doc = sizes.groupby("doc_id", sort=False)["n_tokens"].sum().reindex(order, fill_value=0)
    total = int(per_doc.sum())
    info = dict(max_tokens=int(max_tokens), total_tokens=total, embedded_tokens=total, truncated=False,
                texts_cut=[], texts_left_out=[])
    keep = pd.Series(True, index=sizes.index)
    if total <= max_tokens:
        return keep, info
    quota = (per_doc * (max_tokens / total)).astype(int)
    cumulative = sizes.groupby("doc_id", sort=False)["n_tokens"].cumsum()
    keep = cumulative <= sizes["doc_id"].map(quota)
    kept_per_doc = sizes[keep].groupby("doc_id").size().reindex(order, fill_value=0)
    all_per_doc = sizes.groupby("doc_id").size().reindex(order, fill_value=0)
    info.update(truncated=True, embedded_tokens=int(sizes.loc[keep, "n_tokens"].sum()),
                texts_cut=[d for d in order if 0 < kept_per_doc[d] < all_per_doc[d]],
                texts_left_out=[d for d in order if kept_per_doc[d] == 0 and all_per_doc[d] > 0])
    return keep, info


def explorer_data(corpus: pd.DataFrame, annotated: pd.DataFrame, group: str = DEFAULT_GROUP,
                  max_tokens: int = MAX_TOKENS) -> dict:
    """The data the explorer page embeds (JSON-serialisable, deterministic).

    ``corpus`` is a corpus table (:func:`analysis.load_corpus`, reader comments included
    or not); ``annotated`` its annotated tokens (:func:`analysis.annotation.annotate`;
    a plain tokens table works too: lemmas are then its ``lemma`` column and every word
    counts as the author's own). ``group`` is the metadata column that groups the texts.

    Keys:

    - ``texts``: one object per text, in corpus order: doc_id, title, date_label,
      date_position (ISO), group, voice, colour, marker, hollow, tokens, words (all
      ``is_word`` tokens), author_words (``is_word`` tokens in the author's voice);
    - ``groups`` (main-voice groups, earliest first), ``other_voices``, ``main_voice``,
      ``group_column``, ``windows`` (of a broken time axis, ISO pairs);
    - ``strings``: the table of distinct word forms and lemmas; ``form_lemma``: for each
      string, the index of the most frequent lemma of that word form (-1 if it is never a
      form);
    - ``sentences``: parallel columns, one entry per embedded sentence: ``doc`` (index
      into texts), ``text``, and per token ``form`` and ``lemma`` (indices into strings;
      forms lower case with straight apostrophes, lemmas the lower-cased ``pos_lemma``),
      ``is_word`` and ``author_voice`` (strings of "0"/"1", one character per token),
      ``start`` and ``length`` (the token's place in the sentence text, in UTF-16 units
      as JavaScript counts);
    - ``cap``: max_tokens, total_tokens, embedded_tokens, truncated, texts_cut,
      texts_left_out (see :func:`_embedded_sentences`).
    """
    require_columns(corpus, ("doc_id", "title", "date", "date_precision", "date_evidence", "date_start", "text"),
                    "explorer_data", "analysis.load_corpus()")
    require_columns(annotated, ("doc_id", "sent_id", "token", "lower", "is_word"), "explorer_data",
                    "analysis.annotation.annotate(analysis.sentences(corpus))")
    from .tokens import sentences

    styled = _styled_corpus(corpus, group)
    order = [str(d) for d in corpus["doc_id"]]
    toks = annotated[annotated["doc_id"].isin(order)]
    lemma_col = "pos_lemma" if "pos_lemma" in toks else "lemma" if "lemma" in toks else "lower"
    toks = pd.DataFrame({
        "doc_id": toks["doc_id"].astype(str).to_numpy(),
        "sent_id": toks["sent_id"].to_numpy(),
        "token": toks["token"].astype(str).to_numpy(),
        "form": toks["lower"].astype(str).str.lower().str.replace("’", "'", regex=False).to_numpy(),
        "lemma": toks[lemma_col].astype(str).str.lower().str.replace("’", "'", regex=False).to_numpy(),
        "is_word": toks["is_word"].astype(bool).to_numpy(),
        "author_voice": (toks["author_voice"].astype(bool).to_numpy() if "author_voice" in toks
                         else [True] * len(toks)),
    })
    styles = text_styles(styled, group)
    labels, positions = date_labels(corpus), date_positions(corpus)
    voices = (corpus["voice"].astype(str) if "voice" in corpus else pd.Series(MAIN_VOICE, index=corpus.index))
    words = toks[toks["is_word"]].groupby("doc_id").size()
    author_words = toks[toks["is_word"] & toks["author_voice"]].groupby("doc_id").size()
    n_tokens = toks.groupby("doc_id").size()
    texts = []
    for row, voice in zip(styled.itertuples(index=False), voices):
        doc = str(row.doc_id)
        style = styles.loc[row.doc_id]
        texts.append(dict(
            doc_id=doc, title=str(row.title), date_label=str(labels[row.doc_id]),
            date_position=_iso(positions[row.doc_id]), group=str(getattr(row, group)), voice=voice,
            colour=str(style["colour"]), marker=str(style["marker"]), hollow=bool(voice != MAIN_VOICE),
            tokens=int(n_tokens.get(doc, 0)), words=int(words.get(doc, 0)),
            author_words=int(author_words.get(doc, 0))))

    # the tokens in corpus order, sentence by sentence
    rank = {d: k for k, d in enumerate(order)}
    toks = (toks.assign(_rank=toks["doc_id"].map(rank), _row=range(len(toks)))
                .sort_values(["_rank", "sent_id", "_row"], kind="stable").reset_index(drop=True))
    new_sentence = (toks["doc_id"] != toks["doc_id"].shift()) | (toks["sent_id"] != toks["sent_id"].shift())
    bounds = list(new_sentence[new_sentence].index) + [len(toks)]
    sizes = pd.DataFrame({"doc_id": toks["doc_id"].to_numpy()[bounds[:-1]],
                          "sent_id": toks["sent_id"].to_numpy()[bounds[:-1]],
                          "n_tokens": [hi - lo for lo, hi in zip(bounds[:-1], bounds[1:])]})

    # one string table for forms and lemmas, in order of first appearance; each form's most
    # frequent lemma (ties: the first in alphabetical order)
    strings: dict[str, int] = {}
    for form, lemma in zip(toks["form"], toks["lemma"]):
        strings.setdefault(form, len(strings))
        strings.setdefault(lemma, len(strings))
    pairs = toks.groupby(["form", "lemma"]).size().rename("n").reset_index()
    pairs = pairs.sort_values(["form", "n", "lemma"], ascending=[True, False, True], kind="stable")
    best = pairs.drop_duplicates("form")
    form_lemma = [-1] * len(strings)
    for form, lemma in zip(best["form"], best["lemma"]):
        form_lemma[strings[form]] = strings[lemma]

    keep, cap = _embedded_sentences(sizes, order, max_tokens)
    sents = sentences(corpus)
    text_of = dict(zip(zip(sents["doc_id"].astype(str), sents["sent_id"].astype(int)), sents["text"]))
    doc_index = {d: k for k, d in enumerate(order)}
    written = toks["token"].to_list()
    form_ids = [strings[f] for f in toks["form"]]
    lemma_ids = [strings[f] for f in toks["lemma"]]
    word_flags = ["1" if w else "0" for w in toks["is_word"]]
    voice_flags = ["1" if a else "0" for a in toks["author_voice"]]
    columns = {k: [] for k in ("doc", "text", "form", "lemma", "is_word", "author_voice", "start", "length")}
    for k, (doc, sent_id) in enumerate(zip(sizes["doc_id"], sizes["sent_id"])):
        if not keep.iat[k]:
            continue
        lo, hi = bounds[k], bounds[k + 1]
        text = str(text_of.get((doc, int(sent_id)), " ".join(written[lo:hi])))
        starts, lengths = _token_spans(text, written[lo:hi])
        columns["doc"].append(doc_index[doc])
        columns["text"].append(text)
        columns["form"].append(form_ids[lo:hi])
        columns["lemma"].append(lemma_ids[lo:hi])
        columns["is_word"].append("".join(word_flags[lo:hi]))
        columns["author_voice"].append("".join(voice_flags[lo:hi]))
        columns["start"].append(starts)
        columns["length"].append(lengths)

    main = styled[voices.to_numpy() == MAIN_VOICE]
    return dict(
        schema=SCHEMA,
        group_column=group,
        main_voice=MAIN_VOICE,
        groups=group_order(styled, group) if len(main) else [],
        other_voices=list(dict.fromkeys(v for v in voices if v != MAIN_VOICE)),
        texts=texts,
        windows=[[_iso(a), _iso(b)] for a, b in time_windows(positions)] if len(positions) else [],
        strings=list(strings),
        form_lemma=form_lemma,
        sentences=columns,
        cap=cap,
        kwic_shown=KWIC_SHOWN,
    )


def _json_for_script(data: dict) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element (no ``<``, ``>`` or ``&``
    as such: they are written as JSON escapes, which parse back to the same strings)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def explorer_html(data: dict) -> str:
    """The page for :func:`explorer_data`'s ``data``: one HTML document, everything inline."""
    return _TEMPLATE.replace("__EXPLORER_DATA__", _json_for_script(data))


def write_explorer_page(path, corpus: pd.DataFrame | None = None, annotated: pd.DataFrame | None = None,
                        group: str = DEFAULT_GROUP, max_tokens: int = MAX_TOKENS) -> Path:
    """Write the explorer page to ``path`` (atomically) and return its path.

    ``corpus`` defaults to ``load_corpus(include_comments=True)`` (the corpus of
    ``STUDY_CORPUS_DIR`` or the project's own), ``annotated`` to its annotation layer
    (cached on disk). The same input always gives the same bytes."""
    from .corpus import load_corpus

    if corpus is None:
        corpus = load_corpus(include_comments=True)
    if annotated is None:
        from .annotation import annotate
        from .tokens import sentences

        annotated = annotate(sentences(corpus))
    page = explorer_html(explorer_data(corpus, annotated, group=group, max_tokens=max_tokens))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(path, lambda tmp: tmp.write_text(page, encoding="utf-8", newline="\n"))


_TEMPLATE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>Word explorer</title>
<style>
:root { --ink: #222; --muted: #666; --line: #ddd; --accent: #35978F; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; padding: 12px 18px 40px; max-width: 1100px; line-height: 1.4; }
h1 { font-size: 1.35rem; margin: 0.2em 0 0.1em; }
.intro, .note { color: var(--muted); font-size: 0.9rem; margin: 0.2em 0 0.6em; }
.cap-note { background: #fff4d6; border: 1px solid #e6c35c; padding: 6px 10px; border-radius: 4px; margin: 6px 0; }
.controls { display: flex; flex-wrap: wrap; gap: 10px 24px; align-items: flex-start; margin: 8px 0; }
.controls fieldset { border: 1px solid var(--line); border-radius: 4px; padding: 4px 10px 6px; margin: 0; }
.controls legend { font-size: 0.8rem; color: var(--muted); padding: 0 4px; }
.controls label { margin-right: 12px; font-size: 0.9rem; white-space: nowrap; }
#query { font-size: 1.1rem; padding: 6px 8px; width: 22em; max-width: 100%; border: 1px solid #999; border-radius: 4px; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin: 0 4px 0 2px;
          vertical-align: -0.05em; border: 1px solid #555; }
#message { font-weight: 600; margin: 8px 0 2px; min-height: 1.4em; }
#message.nomatch { color: #8a3b00; }
#searched { color: var(--muted); font-size: 0.85rem; min-height: 1.2em; }
#plot { width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
#plot text { font-family: inherit; }
h2 { font-size: 1.05rem; margin: 18px 0 6px; }
table { border-collapse: collapse; font-size: 0.88rem; }
#counts th, #counts td { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: left; }
#counts td.num, #counts th.num { text-align: right; font-variant-numeric: tabular-nums; }
#counts tr.total td { font-weight: 600; border-top: 2px solid #999; }
#kwic { width: 100%; }
#kwic td { padding: 2px 4px; white-space: nowrap; overflow: hidden; vertical-align: top; }
#kwic td.doc { width: 14em; max-width: 14em; color: var(--muted); text-overflow: ellipsis; }
#kwic td.left { width: 45%; max-width: 0; direction: rtl; text-align: right; }
#kwic td.left > span { direction: ltr; unicode-bidi: embed; }
#kwic td.match { width: 1%; font-weight: 700; color: #0b5d56; }
#kwic td.right { width: 45%; max-width: 0; text-align: left; text-overflow: ellipsis; }
#kwic-more { color: var(--muted); font-size: 0.88rem; margin: 6px 0; }
.quoted { font-style: italic; }
</style>
</head>
<body>
<h1>Word explorer</h1>
<p class="intro" id="intro"></p>
<div id="cap-note" class="cap-note" hidden></div>
<div class="controls">
  <div>
    <label for="query">Word or phrase</label><br>
    <input id="query" type="search" autocomplete="off" spellcheck="false" placeholder="type a word, lemma or phrase">
    <div><label><input type="checkbox" id="lemma-mode"> match lemmas (e.g. “cadre” finds “cadres”)</label></div>
  </div>
  <fieldset id="groups-box"><legend id="groups-legend">texts</legend><div id="group-filters"></div></fieldset>
  <fieldset><legend>words</legend>
    <label><input type="radio" name="voice" id="voice-all" value="all" checked> all words</label><br>
    <label><input type="radio" name="voice" id="voice-author" value="author"> the author's voice</label><br>
    <label><input type="radio" name="voice" id="voice-quoted" value="quoted"> quoted words (others' words in quotation marks)</label>
  </fieldset>
</div>
<div id="message" role="status" aria-live="polite"></div>
<div id="searched"></div>
<svg id="plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 460" role="img" aria-label="rate of the phrase per 1,000 words in each text over time"></svg>
<p class="note" id="plot-note"></p>
<h2>Counts per text</h2>
<table id="counts"></table>
<h2>Keyword in context</h2>
<table id="kwic"></table>
<div id="kwic-more"></div>
<script type="application/json" id="explorer-data">__EXPLORER_DATA__</script>
<script>
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("explorer-data").textContent);
  var SVGNS = "http://www.w3.org/2000/svg";
  var STR = DATA.strings, FORM_LEMMA = DATA.form_lemma, TEXTS = DATA.texts, SENT = DATA.sentences;
  var STRING_ID = new Map();
  STR.forEach(function (s, i) { STRING_ID.set(s, i); });

  // ------------------------------------------------------------------ tokenizer
  // A port of analysis.tokens.TOKEN_PATTERN: Python's [^\W\d_] (a letter) is
  // [\p{L}\p{Nl}\p{No}], \w is [\p{L}\p{N}_], \d is \p{Nd}, \b after a word character
  // is "no word character follows".
  var L = "[\\p{L}\\p{Nl}\\p{No}]", W = "[\\p{L}\\p{N}_]", NOT_W = "(?![\\p{L}\\p{N}_])";
  var TOKEN_SOURCE = [
    "https?://\\S+",
    "\\p{Nd}+-" + L + "{1,4}/" + L + "{1,4}",
    "\\p{Nd}+(?:[.,:/-]\\p{Nd}+)*(?:%|st|nd|rd|th)?" + NOT_W,
    L + "+(?=n['\u2019]t" + NOT_W + ")",
    "(?<=" + L + ")n['\u2019]t" + NOT_W,
    "(?<=" + L + ")['\u2019](?:s|re|ve|ll|d|m)" + NOT_W,
    L + W + "*(?:-" + W + "+)*",
    "\\.\\.\\.|\u2026",
    "\\S"
  ].join("|");
  function tokenize(text) { return text.match(new RegExp(TOKEN_SOURCE, "giu")) || []; }
  function normalise(token) { return token.toLowerCase().replace(/\u2019/g, "'"); }
  window.explorerTokenize = tokenize;

  // ------------------------------------------------------------------ documents
  var docs = TEXTS.map(function (t, i) {
    return { t: t, i: i, form: [], lemma: [], word: [], author: [], start: [], end: [], parts: [], len: 0,
             words: { all: 0, author: 0, quoted: 0 } };
  });
  for (var s = 0; s < SENT.doc.length; s++) {
    var d = docs[SENT.doc[s]], text = SENT.text[s];
    if (d.parts.length) { d.len += 1; }
    var base = d.len;
    d.parts.push(text);
    d.len += text.length;
    var f = SENT.form[s], lm = SENT.lemma[s], w = SENT.is_word[s], a = SENT.author_voice[s];
    var st = SENT.start[s], ln = SENT.length[s];
    for (var k = 0; k < f.length; k++) {
      var isWord = w.charCodeAt(k) === 49, isAuthor = a.charCodeAt(k) === 49;
      d.form.push(f[k]); d.lemma.push(lm[k]); d.word.push(isWord); d.author.push(isAuthor);
      d.start.push(base + st[k]); d.end.push(base + st[k] + ln[k]);
      if (isWord) { d.words.all += 1; if (isAuthor) { d.words.author += 1; } else { d.words.quoted += 1; } }
    }
  }
  docs.forEach(function (doc) { doc.text = doc.parts.join(" "); doc.parts = null; });

  // ------------------------------------------------------------------ helpers
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVGNS, tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); }); }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function plural(n, noun) { return n.toLocaleString("en") + " " + noun + (n === 1 ? "" : "s"); }
  function fmtRate(r) { return r === null ? "\u2013" : (r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)); }
  function parseIso(iso) { return Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(iso) ? iso : iso + "Z"); }

  // ------------------------------------------------------------------ controls
  var query = document.getElementById("query"), lemmaMode = document.getElementById("lemma-mode");
  var message = document.getElementById("message"), searched = document.getElementById("searched");
  var plot = document.getElementById("plot"), counts = document.getElementById("counts");
  var kwicTable = document.getElementById("kwic"), kwicMore = document.getElementById("kwic-more");
  var filters = document.getElementById("group-filters");
  document.getElementById("groups-legend").textContent = "texts by " + DATA.group_column;

  function colourOfGroup(g) {
    for (var i = 0; i < TEXTS.length; i++) {
      if (TEXTS[i].voice === DATA.main_voice && TEXTS[i].group === g) { return TEXTS[i].colour; }
    }
    return "#999";
  }
  function addFilter(kind, value, label, colour, count) {
    var box = el("input", { type: "checkbox", "class": "group-filter", "data-kind": kind, "data-value": value });
    box.checked = true;
    box.id = "filter-" + kind + "-" + filters.children.length;
    var lab = el("label", { "for": box.id });
    lab.appendChild(box);
    var sw = el("span", { "class": "swatch" });
    sw.style.background = colour;
    lab.appendChild(sw);
    lab.appendChild(document.createTextNode(label + " (" + plural(count, "text") + ")"));
    filters.appendChild(lab);
    filters.appendChild(el("br"));
    box.addEventListener("change", schedule);
  }
  DATA.groups.forEach(function (g) {
    var n = TEXTS.filter(function (t) { return t.voice === DATA.main_voice && t.group === g; }).length;
    addFilter("group", g, g, colourOfGroup(g), n);
  });
  DATA.other_voices.forEach(function (v) {
    var n = TEXTS.filter(function (t) { return t.voice === v; }).length;
    addFilter("voice", v, v + " (another voice, never pooled)", "#fff", n);
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[name=voice]"), function (r) {
    r.addEventListener("change", schedule);
  });
  lemmaMode.addEventListener("change", schedule);
  query.addEventListener("input", schedule);

  function selectedTexts() {
    var on = { group: new Set(), voice: new Set() };
    Array.prototype.forEach.call(document.querySelectorAll("input.group-filter"), function (b) {
      if (b.checked) { on[b.getAttribute("data-kind")].add(b.getAttribute("data-value")); }
    });
    return docs.filter(function (d) {
      return d.t.voice === DATA.main_voice ? on.group.has(d.t.group) : on.voice.has(d.t.voice);
    });
  }
  function voiceChoice() {
    var r = document.querySelector("input[name=voice]:checked");
    return r ? r.value : "all";
  }

  // intro and the note on a corpus too large to embed whole
  var totalWords = TEXTS.reduce(function (n, t) { return n + t.words; }, 0);
  document.getElementById("intro").textContent =
    plural(TEXTS.length, "text") + ", " + plural(totalWords, "word") + ". Type a word or phrase: its rate per " +
    "1,000 words in each text is drawn on a time axis, with its count in each text and its lines in context. " +
    "Words are matched as the study's tokenizer splits them (\u201cParty\u2019s\u201d is \u201cParty\u201d + " +
    "\u201c\u2019s\u201d); with \u201cmatch lemmas\u201d, each word of the query is replaced by its lemma. " +
    "Everything runs in this page: no server, nothing is sent anywhere.";
  if (DATA.cap.truncated) {
    var capNote = document.getElementById("cap-note");
    capNote.hidden = false;
    capNote.textContent = "This corpus has " + plural(DATA.cap.total_tokens, "token") + ", more than the " +
      DATA.cap.max_tokens.toLocaleString("en") + " this page embeds: it holds " +
      DATA.cap.embedded_tokens.toLocaleString("en") + " tokens, the first sentences of each text in proportion " +
      "to its length, and rates are computed on that part." +
      (DATA.cap.texts_cut.length ? " Texts cut: " + DATA.cap.texts_cut.join(", ") + "." : "") +
      (DATA.cap.texts_left_out.length ? " Texts left out (too short for a sentence of their share): " +
        DATA.cap.texts_left_out.join(", ") + "." : "");
  }

  // ------------------------------------------------------------------ search
  function queryIds(tokens, useLemmas) {
    return tokens.map(function (tok) {
      if (!useLemmas) { return STRING_ID.has(tok) ? STRING_ID.get(tok) : -1; }
      var lemma = tok;
      if (STRING_ID.has(tok) && FORM_LEMMA[STRING_ID.get(tok)] >= 0) { lemma = STR[FORM_LEMMA[STRING_ID.get(tok)]]; }
      return STRING_ID.has(lemma) ? STRING_ID.get(lemma) : -1;
    });
  }
  function queryLemmas(tokens) {
    return tokens.map(function (tok) {
      return STRING_ID.has(tok) && FORM_LEMMA[STRING_ID.get(tok)] >= 0 ? STR[FORM_LEMMA[STRING_ID.get(tok)]] : tok;
    });
  }
  function search(doc, ids, useLemmas, voice) {
    var hits = [], seq = useLemmas ? doc.lemma : doc.form, n = ids.length;
    if (!n || ids.indexOf(-1) >= 0) { return hits; }
    for (var i = 0; i + n <= seq.length; i++) {
      if (seq[i] !== ids[0]) { continue; }
      var ok = true;
      for (var j = 1; j < n && ok; j++) { ok = seq[i + j] === ids[j]; }
      for (var v = 0; v < n && ok && voice !== "all"; v++) { ok = doc.author[i + v] === (voice === "author"); }
      if (ok) { hits.push(i); }
    }
    return hits;
  }

  // ------------------------------------------------------------------ plot
  var WIDTH = 960, HEIGHT = 460, M = { left: 70, right: 24, top: 26, bottom: 170 }, MIN_GAP = 16, GAP = 26;
  var WINDOWS = DATA.windows.map(function (w) { return [parseIso(w[0]), parseIso(w[1])]; });

  function xScale() {
    var spans = WINDOWS.map(function (w) { return Math.max(w[1] - w[0], 1); });
    var total = spans.reduce(function (a, b) { return a + b; }, 0);
    var usable = WIDTH - M.left - M.right - GAP * Math.max(WINDOWS.length - 1, 0);
    var starts = [], x = M.left;
    spans.forEach(function (s) { starts.push(x); x += usable * s / total + GAP; });
    var widths = spans.map(function (s) { return usable * s / total; });
    function at(t) {
      var best = 0;
      for (var i = 0; i < WINDOWS.length; i++) {
        if (t >= WINDOWS[i][0] && t <= WINDOWS[i][1]) { best = i; break; }
        if (Math.abs(t - WINDOWS[i][0]) < Math.abs(t - WINDOWS[best][0])) { best = i; }
      }
      var w = WINDOWS[best];
      return starts[best] + widths[best] * (t - w[0]) / Math.max(w[1] - w[0], 1);
    }
    return { at: at, starts: starts, widths: widths };
  }

  function monthTicks(w, width) {
    var a = new Date(w[0]), b = new Date(w[1]);
    var m0 = a.getUTCFullYear() * 12 + a.getUTCMonth() + 1, m1 = b.getUTCFullYear() * 12 + b.getUTCMonth();
    var room = Math.max(1, Math.floor(width / 64)), steps = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600];
    var step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) {
      if (Math.floor((m1 - m0) / steps[i]) + 1 <= room) { step = steps[i]; break; }
    }
    var ticks = [];
    for (var m = m0; m <= m1; m++) {
      if (m % step !== 0) { continue; }
      var y = Math.floor(m / 12), mo = m % 12;
      ticks.push({ t: Date.UTC(y, mo, 1), label: step >= 12 ? String(y) : y + "-" + (mo < 9 ? "0" : "") + (mo + 1) });
    }
    return ticks;
  }

  function niceStep(max) {
    var raw = max / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var options = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < options.length; i++) { if (options[i] * mag >= raw) { return options[i] * mag; } }
    return 10 * mag;
  }

  function markerPath(m, x, y, r) {
    function poly(points) {
      return "M" + points.map(function (p) { return (x + p[0] * r).toFixed(2) + "," + (y + p[1] * r).toFixed(2); }).join("L") + "Z";
    }
    function regular(n, rot) {
      var pts = [];
      for (var i = 0; i < n; i++) { var a = rot + 2 * Math.PI * i / n; pts.push([Math.cos(a), Math.sin(a)]); }
      return poly(pts);
    }
    var c = 0.35;
    switch (m) {
      case "s": return poly([[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]]);
      case "^": return regular(3, -Math.PI / 2);
      case "v": return regular(3, Math.PI / 2);
      case "<": return regular(3, Math.PI);
      case ">": return regular(3, 0);
      case "D": return poly([[0, -1.1], [0.8, 0], [0, 1.1], [-0.8, 0]]);
      case "h": return regular(6, -Math.PI / 2);
      case "P": return poly([[-c, -1], [c, -1], [c, -c], [1, -c], [1, c], [c, c], [c, 1], [-c, 1], [-c, c], [-1, c], [-1, -c], [-c, -c]]);
      case "X": return poly([[0, -0.5], [0.6, -1.1], [1.1, -0.6], [0.5, 0], [1.1, 0.6], [0.6, 1.1], [0, 0.5], [-0.6, 1.1], [-1.1, 0.6], [-0.5, 0], [-1.1, -0.6], [-0.6, -1.1]]);
      default: return "M" + (x - r).toFixed(2) + "," + y.toFixed(2) + "a" + r + "," + r + " 0 1,0 " + (2 * r) + ",0a" + r + "," + r + " 0 1,0 " + (-2 * r) + ",0Z";
    }
  }

  function dodge(points) {
    // points close on the x axis (texts of the same date, or nearly) are spread apart symmetrically
    var sorted = points.slice().sort(function (p, q) { return p.x0 - q.x0 || p.order - q.order; });
    var clusters = [], current = [];
    sorted.forEach(function (p) {
      if (current.length && p.x0 - current[current.length - 1].x0 >= MIN_GAP) { clusters.push(current); current = []; }
      current.push(p);
    });
    if (current.length) { clusters.push(current); }
    clusters.forEach(function (c) {
      var mid = c.reduce(function (s, p) { return s + p.x0; }, 0) / c.length;
      c.forEach(function (p, k) { p.x = mid + (k - (c.length - 1) / 2) * MIN_GAP; });
    });
  }

  function drawPlot(rows, state) {
    clear(plot);
    plot.setAttribute("data-query", state.raw);
    var bottom = HEIGHT - M.bottom, top = M.top;
    if (state.text) {
      plot.appendChild(svg("text", { x: WIDTH / 2, y: HEIGHT / 2, "text-anchor": "middle", "font-size": 16,
                                     fill: state.nomatch ? "#8a3b00" : "#666", "class": "plot-message" }, state.text));
      plot.setAttribute("data-state", state.nomatch ? "nomatch" : "empty");
      return;
    }
    var sx = xScale();
    var rated = rows.filter(function (r) { return r.rate !== null; });
    var max = Math.max.apply(null, rated.map(function (r) { return r.rate; }).concat([0]));
    var step = max > 0 ? niceStep(max) : 1, ymax = Math.max(step, Math.ceil(max / step - 1e-9) * step);
    function sy(v) { return bottom - (bottom - top) * v / ymax; }
    // y axis: grid lines and ticks
    var yAxis = svg("g", { "class": "y-axis" });
    for (var v = 0; v <= ymax + step / 1e6; v += step) {
      var yy = sy(v);
      yAxis.appendChild(svg("line", { x1: M.left, x2: WIDTH - M.right, y1: yy, y2: yy, stroke: v === 0 ? "#888" : "#e6e6e6" }));
      yAxis.appendChild(svg("text", { x: M.left - 8, y: yy + 4, "text-anchor": "end", "font-size": 11, fill: "#444", "class": "y-tick" },
                            String(parseFloat(v.toFixed(6)))));
    }
    yAxis.appendChild(svg("text", { x: 16, y: (top + bottom) / 2, "text-anchor": "middle", "font-size": 12, fill: "#333",
                                    transform: "rotate(-90 16 " + ((top + bottom) / 2) + ")" }, "per 1,000 words"));
    plot.appendChild(yAxis);
    // x axis: one piece per window of the (broken) time axis, with its ticks
    var xAxis = svg("g", { "class": "x-axis" });
    WINDOWS.forEach(function (w, i) {
      var x0 = sx.starts[i], x1 = x0 + sx.widths[i];
      xAxis.appendChild(svg("line", { x1: x0, x2: x1, y1: bottom, y2: bottom, stroke: "#333" }));
      monthTicks(w, sx.widths[i]).forEach(function (tk) {
        var x = sx.at(tk.t);
        xAxis.appendChild(svg("line", { x1: x, x2: x, y1: bottom, y2: bottom + 5, stroke: "#333" }));
        xAxis.appendChild(svg("text", { x: x, y: bottom + 17, "text-anchor": "middle", "font-size": 10.5, fill: "#444" }, tk.label));
      });
      if (i > 0) {
        var bx = x0 - GAP / 2;
        xAxis.appendChild(svg("text", { x: bx, y: bottom + 4, "text-anchor": "middle", "font-size": 13, fill: "#333" }, "//"));
      }
    });
    plot.appendChild(xAxis);
    // the texts
    var points = rows.map(function (r, k) {
      return { r: r, order: k, x0: sx.at(parseIso(r.doc.t.date_position)) };
    });
    dodge(points);
    var showLabels = points.length <= 60;
    var layer = svg("g", { "class": "points" });
    points.forEach(function (p) {
      var t = p.r.doc.t, g = svg("g", { "class": "pt", "data-doc": t.doc_id, "data-count": p.r.count,
                                         "data-rate": p.r.rate === null ? "" : p.r.rate });
      g.appendChild(svg("title", null, t.doc_id + " \u2014 " + t.date_label + ": " + plural(p.r.count, "hit") +
                        ", " + (p.r.rate === null ? "no words in this voice" : fmtRate(p.r.rate) + " per 1,000 words") +
                        " (" + plural(p.r.words, "word") + ")"));
      var y = p.r.rate === null ? bottom : sy(p.r.rate);
      g.appendChild(svg("line", { x1: p.x, x2: p.x, y1: y, y2: bottom + 22, stroke: t.colour, "stroke-dasharray": "2,3", "stroke-opacity": 0.6 }));
      if (p.r.rate !== null) {
        g.appendChild(svg("path", { d: markerPath(t.marker, p.x, y, 6.5), fill: t.hollow ? "#fff" : t.colour,
                                   stroke: t.hollow ? t.colour : "#333", "stroke-width": t.hollow ? 2 : 0.8 }));
      }
      if (showLabels) {
        var label = t.doc_id.length > 26 ? t.doc_id.slice(0, 25) + "\u2026" : t.doc_id, ly = bottom + 26;
        g.appendChild(svg("text", { x: p.x, y: ly, "text-anchor": "end", "font-size": 11, fill: "#222", "class": "pt-label",
                                    transform: "rotate(-60 " + p.x.toFixed(2) + " " + ly + ")" }, label));
      }
      layer.appendChild(g);
    });
    plot.appendChild(layer);
    plot.appendChild(svg("text", { x: M.left, y: 16, "font-size": 12.5, fill: "#222", "font-weight": 600 },
                         "\u201c" + state.raw + "\u201d per 1,000 " + state.voiceWords + " in each text" +
                         (state.lemmas ? " (lemmas)" : "")));
    plot.setAttribute("data-state", "plotted");
    document.getElementById("plot-note").textContent = (WINDOWS.length > 1 ? "The time axis is broken (//) where no text falls. " : "") +
      "Each text in its colour and marker; texts of the same date are moved apart. " +
      (rows.some(function (r) { return r.rate === null; }) ? "Texts without " + state.voiceWords + " have no marker. " : "") +
      (showLabels ? "" : "Labels hidden for " + plural(points.length, "text") + ": point at a text to see its doc_id.");
  }

  // ------------------------------------------------------------------ table and KWIC
  function drawCounts(rows, state) {
    clear(counts);
    if (!rows.length || state.text) { return; }
    var head = el("tr");
    [["doc_id", ""], ["date", ""], [DATA.group_column + " / voice", ""], ["hits", "num"], [state.voiceWords, "num"], ["per 1,000", "num"]]
      .forEach(function (h) { head.appendChild(el("th", h[1] ? { "class": h[1] } : null, h[0])); });
    counts.appendChild(head);
    var hits = 0, words = 0;
    rows.forEach(function (r) {
      var t = r.doc.t, tr = el("tr", { "class": "count-row", "data-doc": t.doc_id, "data-count": r.count });
      var first = el("td");
      var sw = el("span", { "class": "swatch" });
      sw.style.background = t.hollow ? "#fff" : t.colour;
      sw.style.borderColor = t.colour;
      first.appendChild(sw);
      first.appendChild(document.createTextNode(t.doc_id));
      first.title = t.title;
      tr.appendChild(first);
      tr.appendChild(el("td", null, t.date_label));
      tr.appendChild(el("td", null, t.voice === DATA.main_voice ? t.group : t.voice));
      tr.appendChild(el("td", { "class": "num" }, r.count));
      tr.appendChild(el("td", { "class": "num" }, r.words.toLocaleString("en")));
      tr.appendChild(el("td", { "class": "num" }, fmtRate(r.rate)));
      counts.appendChild(tr);
      hits += r.count; words += r.words;
    });
    var total = el("tr", { "class": "total" });
    total.appendChild(el("td", null, "all selected texts"));
    total.appendChild(el("td"));
    total.appendChild(el("td"));
    total.appendChild(el("td", { "class": "num" }, hits));
    total.appendChild(el("td", { "class": "num" }, words.toLocaleString("en")));
    total.appendChild(el("td", { "class": "num" }, fmtRate(words ? 1000 * hits / words : null)));
    counts.appendChild(total);
  }

  function context(text, from, to, left) {
    var WIDTH_CHARS = 90, piece = text.slice(from, to).replace(/\s+/g, " ");
    if (left) { return piece.length > WIDTH_CHARS ? "\u2026" + piece.slice(piece.length - WIDTH_CHARS) : piece; }
    return piece.length > WIDTH_CHARS ? piece.slice(0, WIDTH_CHARS) + "\u2026" : piece;
  }

  function drawKwic(rows, n, state) {
    clear(kwicTable);
    kwicMore.textContent = "";
    var total = rows.reduce(function (s, r) { return s + r.hits.length; }, 0);
    kwicTable.setAttribute("data-total", total);
    if (!total) { return; }
    var shown = 0, limit = DATA.kwic_shown;
    rows.forEach(function (r) {
      var doc = r.doc;
      r.hits.forEach(function (i) {
        if (shown >= limit) { return; }
        var startChar = doc.start[i], endChar = doc.end[i + n - 1];
        var tr = el("tr", { "class": "kwic-line", "data-doc": doc.t.doc_id });
        tr.appendChild(el("td", { "class": "doc", title: doc.t.doc_id }, doc.t.doc_id));
        var left = el("td", { "class": "left" });
        left.appendChild(el("span", null, context(doc.text, Math.max(0, startChar - 200), startChar, true)));
        tr.appendChild(left);
        var quoted = !doc.author[i];
        tr.appendChild(el("td", { "class": "match" + (quoted ? " quoted" : ""), title: quoted ? "inside a quotation" : "the author's voice" },
                          doc.text.slice(startChar, endChar)));
        tr.appendChild(el("td", { "class": "right" }, context(doc.text, endChar, endChar + 200, false)));
        kwicTable.appendChild(tr);
        shown += 1;
      });
    });
    if (total > shown) {
      kwicMore.textContent = (total - shown).toLocaleString("en") + " more (" + total.toLocaleString("en") +
        " lines in all; the first " + shown + " are shown).";
    }
  }

  // ------------------------------------------------------------------ update
  function update() {
    var raw = query.value.trim(), tokens = tokenize(raw).map(normalise), useLemmas = lemmaMode.checked;
    var voice = voiceChoice(), selected = selectedTexts();
    var voiceWords = { all: "words", author: "words in the author's voice", quoted: "quoted words" }[voice];
    var state = { raw: raw, lemmas: useLemmas, voiceWords: voiceWords, text: "", nomatch: false };
    message.className = "";
    searched.textContent = "";
    var rows = [];
    if (!tokens.length) {
      state.text = "Type a word or phrase.";
    } else if (!selected.length) {
      state.text = "No texts selected: tick a group of texts.";
    } else {
      var ids = queryIds(tokens, useLemmas);
      rows = selected.map(function (doc) {
        var hits = search(doc, ids, useLemmas, voice), words = doc.words[voice];
        return { doc: doc, hits: hits, count: hits.length, words: words, rate: words ? 1000 * hits.length / words : null };
      });
      var total = rows.reduce(function (s, r) { return s + r.count; }, 0);
      var texts = rows.filter(function (r) { return r.count > 0; }).length;
      searched.textContent = "searched as " + (tokens.length > 1 ? "tokens: " : "token: ") + tokens.join(" | ") +
        (useLemmas ? "; lemmas: " + queryLemmas(tokens).join(" | ") : "") + "; " + voiceWords + ".";
      if (!total) {
        state.text = "no match for '" + raw + "' in the selected texts";
        state.nomatch = true;
        message.className = "nomatch";
      } else {
        message.textContent = plural(total, "hit") + " of \u2018" + raw + "\u2019 in " + texts + " of " +
          plural(selected.length, "selected text") + ".";
      }
    }
    if (state.text) { message.textContent = state.text + (state.nomatch ? "." : ""); }
    drawPlot(rows, state);
    drawCounts(rows, state);
    drawKwic(state.text ? [] : rows, tokens.length, state);
    renders += 1;
    document.body.setAttribute("data-rendered", raw);
    document.body.setAttribute("data-renders", String(renders));
  }

  // updates are debounced lightly while one types; data-pending says one is scheduled
  var timer = null, renders = 0;
  function schedule() {
    if (timer !== null) { clearTimeout(timer); }
    document.body.setAttribute("data-pending", "1");
    timer = setTimeout(function () { timer = null; document.body.setAttribute("data-pending", "0"); update(); }, 120);
  }
  update();
})();
</script>
</body>
</html>
"""
