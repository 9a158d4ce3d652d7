"""Helper package of the cadre-maladies discourse study.

The data flow: ``load_corpus()`` -> ``sentences()`` -> ``tokens()`` -> measures in
``vocabulary``, ``sentiment`` and ``rhetoric`` -> figures drawn by ``plots`` (the corpus)
and ``vocabulary_plots``, ``sentiment_plots``, ``rhetoric_plots``, written only by
``save_figure()`` (tables only by ``save_table()``). ``overview`` describes the corpus;
``lookup`` finds any word or phrase across the texts.
"""
from .corpus import CorpusError, cleaning_log, load_corpus
from .figures import save_figure, save_table
from .tokens import sentences, tokenize, tokens

__all__ = ["CorpusError", "cleaning_log", "load_corpus", "save_figure", "save_table",
           "sentences", "tokenize", "tokens"]
