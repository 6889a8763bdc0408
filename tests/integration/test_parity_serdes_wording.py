"""The parity comparison lets our SerDes failure messages name the operation, and
nothing more (see `parity_capture.align_serdes_wording`)."""

from __future__ import annotations

from parity_capture import SERDES_ERROR_TYPE, Capture, align_serdes_wording


def _capture(message: str, error_type: str = SERDES_ERROR_TYPE) -> Capture:
    error = {"ErrorMessage": message, "ErrorType": error_type}
    return Capture("FAILED", None, None, updates=[{"Id": "a", "Action": "FAIL", "Error": error}])


def test_our_serdes_message_ending_with_the_official_one_compares_equal() -> None:
    ours = _capture("cannot serialize the result of step 'x': Unsupported type: <class 'set'>")
    theirs = _capture("Unsupported type: <class 'set'>")
    assert align_serdes_wording(ours, theirs).updates == theirs.updates


def test_a_serdes_message_with_another_ending_still_differs() -> None:
    ours = _capture("cannot serialize the result of step 'x': something else")
    theirs = _capture("Unsupported type: <class 'set'>")
    assert align_serdes_wording(ours, theirs).updates != theirs.updates


def test_other_error_types_are_compared_byte_for_byte() -> None:
    ours = _capture("step 'x': boom", "ValueError")
    theirs = _capture("boom", "ValueError")
    assert align_serdes_wording(ours, theirs).updates != theirs.updates
