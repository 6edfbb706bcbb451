import pytest
from pydantic import ValidationError

from docclean.tasks.config import Config, load_config


def test_overrides_are_typed_and_nested():
    cfg = load_config(["dedup.near_threshold=0.6", "input.batch_size=7", "extraction.favor_precision=true"])
    assert cfg.dedup.near_threshold == 0.6
    assert cfg.input.batch_size == 7
    assert cfg.extraction.favor_precision is True
    assert cfg.dedup.num_perm == Config().dedup.num_perm  # untouched fields keep their defaults


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("DOCCLEAN_STORIES__THRESHOLD", "0.5")
    assert load_config().stories.threshold == 0.5


@pytest.mark.parametrize("bad", ["dedup.near_threshold", "nosuch.key=1", "threshold=1"])
def test_malformed_override_is_refused(bad):
    with pytest.raises(ValueError, match="bad override"):
        load_config([bad])


def test_unknown_field_and_wrong_type_are_refused():
    with pytest.raises(ValidationError):
        load_config(["dedup.no_such_field=1"])
    with pytest.raises(ValidationError):
        load_config(["input.batch_size=many"])
