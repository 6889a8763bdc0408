"""The history and result comparison follows the suite's own matching rules."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from .matcher import Bindings, count_log_matches, match_history, match_result


def _event(event_id: int, **fields: Any) -> dict[str, Any]:
    return {"EventId": event_id, "EventTimestamp": "2026-01-01T00:00:00Z", **fields}


def test_a_placeholder_binds_on_first_use_and_must_agree_afterwards() -> None:
    expected = [{"EventId": 2, "Id": "${ID1}"}, {"EventId": 3, "Id": "${ID1}"}]
    same = [_event(2, Id="a"), _event(3, Id="a")]
    different = [_event(2, Id="a"), _event(3, Id="b")]
    assert match_history(expected, same, Bindings()) == []
    assert len(match_history(expected, different, Bindings())) == 1


def test_wildcards_and_empty_objects_accept_anything() -> None:
    expected = [{"EventId": 2, "EventTimestamp": "*", "StepSucceededDetails": {}}]
    actual = [_event(2, StepSucceededDetails={"Result": {"Payload": "1"}})]
    assert match_history(expected, actual, Bindings()) == []


def test_a_listed_key_must_exist_even_when_its_value_is_a_wildcard() -> None:
    errors = match_history([{"EventId": 2, "Name": "*"}], [_event(2)], Bindings())
    assert errors == ["Event[2].Name: missing in the actual event"]


def test_events_are_matched_by_event_id_and_unlisted_ones_are_ignored() -> None:
    actual = [_event(1, EventType="ExecutionStarted"), _event(2, EventType="StepStarted")]
    assert match_history([{"EventId": 2, "EventType": "StepStarted"}], actual, Bindings()) == []
    assert match_history([{"EventId": 9}], actual, Bindings()) == ["no actual event with EventId=9"]


def test_a_regex_placeholder_must_match() -> None:
    expected = [{"EventId": 2, "ErrorType": "${/.*TransientError$/}"}]
    good = [_event(2, ErrorType="handlers.step.TransientError")]
    bad = [_event(2, ErrorType="ValueError")]
    assert match_history(expected, good, Bindings()) == []
    assert len(match_history(expected, bad, Bindings())) == 1


def test_variables_are_substituted_inside_literal_strings() -> None:
    bindings = Bindings({"INPUT_1": "${GEN_STR:8}"})
    value = bindings.values["INPUT_1"]
    assert len(value) == 8
    expected = [{"EventId": 2, "Payload": '"${INPUT_1}"'}]
    assert match_history(expected, [_event(2, Payload=f'"{value}"')], bindings) == []
    assert bindings.substitute({"x": ["Hello, ${INPUT_1}!"]}) == {"x": [f"Hello, {value}!"]}


def test_lists_must_have_the_same_length() -> None:
    errors = match_history([{"EventId": 2, "L": [1]}], [_event(2, L=[1, 2])], Bindings())
    assert errors == ["Event[2].L: 2 items, expected 1"]


def test_the_result_is_compared_only_when_the_execution_succeeded() -> None:
    expected = {"ExecutionStatus": "FAILED", "Result": "ignored"}
    assert match_result(expected, "FAILED", None, Bindings()) == []
    assert match_result({"ExecutionStatus": "SUCCEEDED", "Result": 3}, "SUCCEEDED", 4, Bindings())
    assert match_result({"ExecutionStatus": "SUCCEEDED"}, "FAILED", None, Bindings())


def test_log_expectations_count_lines_matching_the_pattern() -> None:
    bindings = Bindings({"NAME": "abc"})
    lines = ["[INFO] hello abc", "[INFO] abc again", "[ERROR] boom"]
    assert count_log_matches({"match": {"message": "/${NAME}/"}}, lines, bindings) == 2
    assert count_log_matches({"match": {"message": "/\\[ERROR\\]/"}}, lines, bindings) == 1


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet="abc xyz", max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text("abc"), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["Id", "Name", "Details"]), _json, max_size=3))
def test_an_event_always_matches_itself(fields: dict[str, Any]) -> None:
    event = {"EventId": 1, **fields}
    assert match_history([event], [event], Bindings()) == []
