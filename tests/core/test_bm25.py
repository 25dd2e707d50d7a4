"""BM25 ranking for the nearest-examples behavior: rare shared words count most, longer
documents count less, and ties always go to the earlier document (the same neighbours in a
run and in `ask`)."""

from debop_desktop.core.behaviors.bm25 import BM25, tokens


def test_words_are_lower_case_and_punctuation_is_dropped():
    assert tokens("The FILM's plot, sadly... dull!") == ["the", "film", "s", "plot", "sadly", "dull"]


def test_a_rare_shared_word_ranks_above_a_common_one():
    docs = ["the film was dull", "the film was a triumph", "the actors were fine", "the plot was thin"]
    index = BM25(docs)
    # "triumph" is in one document, "film" in two, "the" in all
    assert index.top("a triumph of a film", 2) == [1, 0]
    s = index.scores("triumph")
    assert s[1] > 0 and s[0] == s[2] == s[3] == 0


def test_more_occurrences_score_higher_and_saturate():
    index = BM25(["goal", "goal goal", "goal goal goal goal goal goal goal goal", "match"])
    s = index.scores("goal")
    assert s[1] > s[0] and s[2] > s[1]
    assert s[2] < 2.5 * s[0]


def test_a_longer_document_with_the_same_matches_scores_lower():
    index = BM25(["stock prices fell", "stock prices fell sharply today after the company warned on profits",
                  "rain", "snow"])
    s = index.scores("stock prices")
    assert s[0] > s[1] > 0


def test_ties_and_unrelated_documents_keep_document_order():
    index = BM25(["alpha", "beta", "alpha", "gamma"])
    assert index.top("alpha", 3) == [0, 2, 1]  # the two equal matches in order, then the first non-match
    assert index.top("nothing shared", 2) == [0, 1]
    assert index.top("alpha", 10) == [0, 2, 1, 3]
    assert index.top("alpha", 0) == []


def test_the_same_pool_and_question_always_give_the_same_neighbours():
    docs = [f"question {i} about {'sports' if i % 3 else 'markets'}" for i in range(30)]
    assert BM25(docs).top("news about markets", 4) == BM25(list(docs)).top("news about markets", 4)


def test_an_empty_pool_ranks_nothing():
    index = BM25([])
    assert len(index) == 0 and index.top("anything", 4) == [] and index.scores("anything") == []
