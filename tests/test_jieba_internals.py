"""The jieba internals search.known_words relies on (see the comment there): its default tokenizer's
check_initialized() and FREQ table. A jieba that renames or reshapes them fails here, not in a search."""

from __future__ import annotations

import jieba

from generator.search import _shorter_words


def test_the_default_tokenizer_loads_its_dictionary_into_a_word_frequency_table():
    assert isinstance(jieba.dt, jieba.Tokenizer)
    jieba.dt.check_initialized()
    assert isinstance(jieba.dt.FREQ, dict)
    assert jieba.dt.FREQ["职业"] > 0 and jieba.dt.FREQ["中专"] > 0
    assert jieba.dt.FREQ.get("职业中", 0) == 0  # a prefix, no word: cut no further by it


def test_a_long_word_is_cut_again_into_dictionary_words_as_pagefinds_segmenter_does():
    jieba.dt.check_initialized()
    assert _shorter_words("职业中专", jieba.dt) == ["职业", "中专"]
