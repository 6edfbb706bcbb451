import numpy as np

from docclean.tasks.config import StoryConfig
from docclean.tasks.records import Document
from docclean.tasks.stories import assign_stories, term_counts

QUAKE_A = (
    "A magnitude 6.1 earthquake struck the Indonesian island of Sulawesi on Friday, killing at least 34 people. "
    "Rescue workers in Mamuju searched collapsed buildings for survivors as aftershocks shook the region. "
    "The quake damaged a hospital and the governor's office in Mamuju, officials said."
)
QUAKE_B = (
    "Indonesian rescuers pulled survivors from the rubble in Mamuju after the Sulawesi earthquake. "
    "The death toll from Friday's magnitude 6.1 quake rose to 34, the disaster agency said. "
    "Thousands of residents of Mamuju spent the night in tents fearing more aftershocks."
)
ELECTION = (
    "Voters in Portugal re-elected President Marcelo Rebelo de Sousa on Sunday with more than 60 percent of the vote. "
    "Turnout was low as the country battled a surge in coronavirus cases, and the far-right candidate came third. "
    "Rebelo de Sousa promised to work with the minority government to speed up the vaccine rollout."
)


def centroid(terms, vector: dict[str, float]):
    """A centroid of the given term weights (the term strings given ids in ``terms``)."""
    from docclean.tasks.state import Centroid

    ids = np.fromiter((terms.id(t) for t in vector), np.int64, len(vector))
    return Centroid.of(ids, np.fromiter(vector.values(), np.float64, len(vector)))


def weights(terms, c) -> dict[str, float]:
    """A centroid's term weights by term string."""
    return {terms.strings[t]: w for t, w in zip(c.ids.tolist(), c.weights.tolist())}


def docs(*texts: str) -> list[Document]:
    return [
        Document(doc_id=f"{i:02d}abcdef", source_uri=str(i), source_format="text", text=t) for i, t in enumerate(texts)
    ]


def test_same_event_shares_a_story_and_other_events_do_not():
    batch = docs(QUAKE_A, ELECTION, QUAKE_B)
    assert assign_stories(batch, StoryConfig()) == 2
    assert batch[0].story_id == batch[2].story_id != batch[1].story_id


def test_term_counts_computed_by_the_worker_give_the_same_stories_and_are_the_ones_used():
    fresh, worked = docs(QUAKE_A, ELECTION, QUAKE_B), docs(QUAKE_A, ELECTION, QUAKE_B)
    for d in worked:
        d.terms = term_counts(d, StoryConfig())
    assert worked[0].terms["mamuju"] == 2 + 2 * StoryConfig().name_weight  # a name inside a sentence
    assign_stories(fresh, StoryConfig())
    assign_stories(worked, StoryConfig())
    assert [d.story_id for d in worked] == [d.story_id for d in fresh]
    # the stage trusts what the worker counted: the election, given the quake's counts, joins the quake
    election = docs(QUAKE_A, ELECTION)
    election[1].terms = term_counts(election[0], StoryConfig())
    assign_stories(election, StoryConfig())
    assert election[0].story_id == election[1].story_id


def test_a_new_story_is_named_after_its_smallest_doc_id():
    batch = docs(QUAKE_B, QUAKE_A)
    assign_stories(batch, StoryConfig())
    assert batch[0].story_id == batch[1].story_id == f"story-{min(d.doc_id for d in batch)[:16]}"


def test_a_strict_threshold_separates_everything():
    batch = docs(QUAKE_A, QUAKE_B, ELECTION)
    assert assign_stories(batch, StoryConfig(threshold=0.99)) == 3


def test_centroids_are_compact_arrays_that_round_trip_to_terms():
    from docclean.tasks.state import Terms
    from docclean.tasks.stories import _add, _trim

    terms = Terms()
    story = centroid(terms, {"quake": 0.8, "chile": 0.6})
    assert story.ids.tolist() == sorted(story.ids.tolist())
    article = centroid(terms, {"chile": 0.6, "tsunami": 0.8})
    merged = _add(story, article)
    assert weights(terms, merged) == {"quake": 0.8, "chile": 1.2, "tsunami": 0.8} and merged.members == 2
    assert weights(terms, _trim(merged, 2)) == {"chile": 1.2, "quake": 0.8}  # a tie goes to the older term
    assert _trim(merged, 2).members == 2


# Equal document frequencies: cos(EARLY, LATE_1) = cos(EARLY, LATE_2) = 2/sqrt(20) = 0.447 and
# cos(LATE_1, LATE_2) = 3/5 = 0.6: EARLY against the story of LATE_1 and LATE_2 averages 0.447.
EARLY = "harbour ferry timetable winter"
LATE_1 = "harbour ferry crossing evening weekday"
LATE_2 = "timetable winter crossing evening weekday"


def test_clusters_merge_on_the_mean_similarity_of_all_their_pairs():
    batch = docs(EARLY, LATE_1, LATE_2)
    assert assign_stories(batch, StoryConfig(threshold=0.44)) == 1
    batch = docs(EARLY, LATE_1, LATE_2)  # LATE_1 and LATE_2 pair up; EARLY is not close enough to both
    assert assign_stories(batch, StoryConfig(threshold=0.5)) == 2
    assert batch[1].story_id == batch[2].story_id != batch[0].story_id


def test_the_stories_do_not_depend_on_the_order_or_the_batches_articles_came_in():
    from itertools import permutations

    from docclean.tasks.state import StoryState
    from docclean.tasks.stories import collect, settle

    texts = (QUAKE_A, EARLY, ELECTION, LATE_1, QUAKE_B, LATE_2)
    cfg = StoryConfig(threshold=0.44)
    outcomes = set()
    for order in list(permutations(range(len(texts))))[::37]:  # 20 orders of the 720
        batch = [docs(*texts)[i] for i in order]
        state = StoryState()
        collect(batch[:2], cfg, state)  # in two batches, as a run collects them
        collect(batch[2:], cfg, state)
        stories, founded = settle(cfg, state)
        outcomes.add((tuple(sorted(stories.items())), founded))
    assert len(outcomes) == 1
    ((stories, founded),) = outcomes
    assert founded == 3 and len(set(dict(stories).values())) == 3


def test_earlier_stories_keep_their_ids_take_new_members_and_never_merge():
    from docclean.tasks.state import StoryState

    state = StoryState()
    first = [Document(doc_id="e-early", source_uri="e", source_format="text", text=EARLY)]
    assign_stories(first, StoryConfig(threshold=0.5), state)
    second = [Document(doc_id="l-late1", source_uri="l", source_format="text", text=LATE_1)]
    assert assign_stories(second, StoryConfig(threshold=0.5), state) == 1  # 0.447 < 0.5: a story of its own
    # LATE_2 joins LATE_1's story (0.6); that story and EARLY's then average about 0.45, above the
    # threshold, but two stories already given stay apart
    third = [Document(doc_id="a-late2", source_uri="a", source_format="text", text=LATE_2)]
    assert assign_stories(third, StoryConfig(threshold=0.4), state) == 0
    assert third[0].story_id == second[0].story_id == "story-l-late1"
    assert set(state.centroids) == {"story-e-early", "story-l-late1"}
    assert state.centroids["story-l-late1"].members == 2 and state.centroids["story-e-early"].members == 1


QUAKE_ES = (
    "Un terremoto de magnitud 6,1 sacudió el viernes la isla indonesia de Sulawesi y mató al menos a 34 personas. "
    "Los equipos de rescate buscaban supervivientes entre los edificios derrumbados en Mamuju, mientras las "
    "réplicas sacudían la región. El sismo dañó un hospital y la oficina del gobernador en Mamuju, según las autoridades."
)
ELECTION_PT = (
    "Eleitores em Portugal reelegeram o presidente Marcelo Rebelo de Sousa no domingo com mais de 60 por cento dos "
    "votos. A participação foi baixa, e Rebelo de Sousa prometeu trabalhar com o governo minoritário para acelerar a "
    "vacinação."
)


def test_reports_of_one_event_in_two_languages_share_a_story_through_its_names_and_places():
    batch = docs(QUAKE_A, ELECTION, QUAKE_B, QUAKE_ES, ELECTION_PT)
    assert assign_stories(batch, StoryConfig()) == 2
    quake, vote = batch[0].story_id, batch[1].story_id
    assert [d.story_id for d in batch] == [quake, vote, quake, quake, vote]
