from datetime import date
from pathlib import Path

import pytest

from chatbot.domain.drafts import DraftContent
from chatbot.domain.findings import Severity
from chatbot.policy.engine import PolicyEngine, PolicyError, load_policy
from chatbot.policy.model import RULE_IDS
from chatbot.resources import default_policy_file, policies_dir
from tests.unit.policy_support import register

DEFAULT = default_policy_file().read_text(encoding="utf-8")


def write_policy(tmp_path: Path, text: str) -> Path:
    """A policy file in tmp_path, beside links to the real lists and dictionaries."""
    for folder in ("lists", "dictionaries"):
        (tmp_path / folder).symlink_to(policies_dir() / folder, target_is_directory=True)
    path = tmp_path / "school.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load_error(tmp_path: Path, text: str) -> str:
    path = write_policy(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    message = str(caught.value)
    assert str(path) in message  # every error names the file
    return message


def test_the_schools_policy_loads_with_every_rule() -> None:
    policy = load_policy()
    for rule_id in RULE_IDS:
        rule = policy.rule(rule_id)
        assert rule.id == rule_id
        assert rule.clause
    assert policy.rule("pupil-name-with-photo").severity is Severity.BLOCK
    assert policy.rule("pupil-name-with-photo").overridable is False
    assert policy.rule("spelling").severity is Severity.WARN


def test_the_settings_others_read() -> None:
    policy = load_policy()
    assert policy.established == date(2019, 12, 1)
    assert policy.review_date == date(2021, 12, 1)  # the earlier of the two the policy gives
    assert [r.date for r in policy.meta.review_dates] == [date(2021, 12, 1), date(2022, 1, 1)]
    assert all(r.source for r in policy.meta.review_dates)
    assert policy.hashtag_limit == 3
    assert "huntscrosspri" in policy.allowed_mentions
    assert policy.retention_days == 30
    assert policy.reminder_after_hours == 4
    assert policy.publishing.max_attempts == 10
    assert policy.publishing.backoff_base_seconds == 2  # the first retry within seconds
    assert policy.publishing.backoff_max_seconds == 300
    assert policy.monitoring.followers_interval_minutes > 0
    assert policy.monthly_read_budget > 0
    assert "worst school" in policy.undermining


def test_an_unknown_rule_id_is_named(tmp_path: Path) -> None:
    message = load_error(tmp_path, DEFAULT + '\n[rules.pupil-names]\nseverity = "warn"\n')
    assert "rules.pupil-names: unknown rule id" in message
    assert "pupil-name-with-photo" in message  # the valid ids are listed


def test_a_bad_severity_says_which_rule_and_the_choices(tmp_path: Path) -> None:
    text = DEFAULT.replace(
        '[rules.spelling]\nseverity = "warn"', '[rules.spelling]\nseverity = "blok"'
    )
    message = load_error(tmp_path, text)
    assert "rules.spelling.severity: 'blok' is not a severity; use block, warn or info" in message


def test_a_missing_list_file_is_named(tmp_path: Path) -> None:
    text = DEFAULT.replace("lists/textspeak.txt", "lists/text-speak.txt")
    message = load_error(tmp_path, text)
    assert "rules.textspeak.words" in message
    assert "text-speak.txt does not exist" in message


def test_a_missing_dictionary_is_named(tmp_path: Path) -> None:
    message = load_error(tmp_path, DEFAULT.replace("dictionaries/en_GB", "dictionaries/en_AU"))
    assert "rules.spelling.dictionary" in message
    assert "en_AU.aff does not exist" in message


def test_a_missing_rule_table_is_named(tmp_path: Path) -> None:
    start = DEFAULT.index("[rules.hashtags]")
    message = load_error(tmp_path, DEFAULT[:start])
    assert "[rules.hashtags] is missing" in message


def test_broken_toml_gives_the_line(tmp_path: Path) -> None:
    message = load_error(tmp_path, DEFAULT.replace("max_hashtags = 3", "max_hashtags = "))
    assert "not valid TOML" in message
    assert "line" in message


def test_a_misspelt_setting_is_named(tmp_path: Path) -> None:
    message = load_error(tmp_path, DEFAULT.replace("max_hashtags = 3", "max_hashtag = 3"))
    assert "rules.hashtags.max_hashtag: not a setting the bot knows" in message


def test_a_wrong_type_is_named(tmp_path: Path) -> None:
    message = load_error(tmp_path, DEFAULT.replace("max_photos = 4", 'max_photos = "four"'))
    assert "rules.photo-count.max_photos" in message


def test_an_empty_list_and_a_bad_mapping_line(tmp_path: Path) -> None:
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "empty.txt").write_text("# nothing yet\n", encoding="utf-8")
    (tmp_path / "own" / "speak.txt").write_text("lol\n", encoding="utf-8")
    text = DEFAULT.replace("lists/extremism.txt", "own/empty.txt").replace(
        "lists/textspeak.txt", "own/speak.txt"
    )
    message = load_error(tmp_path, text)
    assert "empty.txt has no entries" in message
    assert "'lol'" in message
    assert "word = replacement" in message


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="no such file"):
        load_policy(tmp_path / "nope.toml")


def test_another_school_adapts_the_rules_in_its_copy(tmp_path: Path) -> None:
    text = DEFAULT.replace("max_hashtags = 3", "max_hashtags = 1").replace(
        '[rules.textspeak]\nseverity = "block"',
        '[rules.textspeak]\nenabled = false\nseverity = "block"',
    )
    engine = PolicyEngine(load_policy(write_policy(tmp_path, text)), register())
    verdict = engine.check(DraftContent("Fun day lol #One #Two", post_date=date(2026, 11, 25)))
    assert {f.rule for f in verdict.findings} == {"hashtags"}
