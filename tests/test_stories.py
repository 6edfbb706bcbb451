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


def test_story_id_comes_from_the_founding_article():
    batch = docs(QUAKE_A, QUAKE_B)
    assign_stories(batch, StoryConfig())
    assert batch[0].story_id == batch[1].story_id == f"story-{batch[0].doc_id[:16]}"


def test_a_strict_threshold_separates_everything():
    batch = docs(QUAKE_A, QUAKE_B, ELECTION)
    assert assign_stories(batch, StoryConfig(threshold=0.99)) == 3


def test_centroids_are_compact_arrays_that_round_trip_to_terms():
    from docclean.tasks.state import Terms
    from docclean.tasks.stories import _add, _cosine, _subtract, _trim

    terms = Terms()
    story = terms.centroid({"quake": 0.8, "chile": 0.6})
    assert story.ids.tolist() == sorted(story.ids.tolist()) and abs(story.norm - 1.0) < 1e-9
    article = terms.centroid({"chile": 0.6, "tsunami": 0.8}, norm=1.0)
    assert abs(_cosine(article, story) - 0.36) < 1e-9  # only "chile" is shared
    merged = _add(story, article)
    assert terms.vector(merged) == {"quake": 0.8, "chile": 1.2, "tsunami": 0.8}
    assert terms.vector(_trim(merged, 2)) == {"chile": 1.2, "quake": 0.8}  # a tie goes to the older term
    assert _cosine(terms.centroid({"unrelated": 1.0}), story) == 0.0
    rest = terms.vector(_subtract(merged, article))  # the story without the article: terms it alone had go
    assert rest.keys() == {"quake", "chile"} and abs(rest["chile"] - 0.6) < 1e-9
    trimmed = terms.vector(_subtract(_trim(merged, 2), article))  # "tsunami" was trimmed: nothing to take
    assert trimmed.keys() == {"quake", "chile"} and min(trimmed.values()) > 0
    assert _cosine(article, _subtract(article, article)) == 0.0  # nothing left


# Equal document frequencies: cos(EARLY, LATE_1) = 2/sqrt(20) = 0.447, cos(LATE_1, LATE_2) = 0.6, and
# EARLY against the story LATE_1 and LATE_2 make together 4/8 = 0.5.
EARLY = "harbour ferry timetable winter"
LATE_1 = "harbour ferry crossing evening weekday"
LATE_2 = "timetable winter crossing evening weekday"


def test_an_article_placed_before_its_story_formed_moves_into_it():
    for order in ((EARLY, LATE_1, LATE_2), (LATE_1, LATE_2, EARLY)):
        batch = docs(*order)
        assert assign_stories(batch, StoryConfig(threshold=0.45)) == 1
        assert len({d.story_id for d in batch}) == 1
    # a single pass alone leaves EARLY in the story it founded before the others arrived
    batch = docs(EARLY, LATE_1, LATE_2)
    assert assign_stories(batch, StoryConfig(threshold=0.45, refine_rounds=0)) == 2
    # EARLY took the story it founded along: the story left is LATE_1's, the article that founded it
    batch = docs(EARLY, LATE_1, LATE_2)
    assign_stories(batch, StoryConfig(threshold=0.45))
    assert batch[0].story_id == f"story-{batch[1].doc_id[:16]}"


def test_a_new_article_joins_an_earlier_runs_story_that_its_later_article_completes():
    from docclean.tasks.state import StoryState

    cfg, state = StoryConfig(threshold=0.45), StoryState()
    earlier = docs(LATE_1)
    assign_stories(earlier, cfg, state)
    later = [Document(doc_id=f"{i}later", source_uri=str(i), source_format="text", text=t)
             for i, t in enumerate((EARLY, LATE_2))]  # fmt: skip
    assert assign_stories(later, cfg, state) == 0
    assert {d.story_id for d in later} == {earlier[0].story_id}
    assert set(state.centroids) == {earlier[0].story_id}  # the story EARLY founded for a moment is gone
