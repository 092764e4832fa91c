"""Survey definitions: the shipped JSON loads and validates, and bad definitions are refused with clear errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from surveys.definition import (
    DEFINITIONS_DIR,
    END,
    YES_NO_OPTIONS,
    DefinitionError,
    Direction,
    PeriodValue,
    QuestionType,
    SurveyDefinition,
    is_financial_year,
    load_all,
    load_definition,
    parse_definition,
)

INFORMATION_QUESTION = (
    "In the past year, have you generally found it easy or difficult to find information and advice about support, "
    "services or benefits?"
)


# --- The shipped definitions ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def surveys() -> dict[str, SurveyDefinition]:
    return load_all()


def test_the_shipped_definitions_load_and_validate(surveys: dict[str, SurveyDefinition]) -> None:
    assert sorted(surveys) == ["carers", "signposting"]
    assert sorted(path.name for path in DEFINITIONS_DIR.glob("*.json")) == ["carers.json", "signposting.json"]
    for path in DEFINITIONS_DIR.glob("*.json"):
        assert load_definition(path) == surveys[path.stem]


def test_every_indicator_is_defined_once(surveys: dict[str, SurveyDefinition]) -> None:
    owners = {indicator.id: survey.id for survey in surveys.values() for indicator in survey.indicators}
    assert owners == {
        "0.1": "signposting",
        "0.3": "signposting",
        "1.2": "signposting",
        "0.2": "carers",
        "3.5": "carers",
        "3.6": "carers",
    }


def test_question_8_and_its_answers(surveys: dict[str, SurveyDefinition]) -> None:
    question = surveys["signposting"].question("helpfulness")
    assert question.ref == "Q8"
    assert question.text == (
        "If you were supported by an organisation we signposted you to, how helpful was the organisation?"
    )
    assert question.type is QuestionType.SINGLE_CHOICE
    assert question.codes == ("very_helpful", "quite_helpful", "quite_unhelpful", "very_unhelpful", "not_contacted")
    assert question.label_for("not_contacted") == "I haven’t contacted them"


def test_indicator_0_3(surveys: dict[str, SurveyDefinition]) -> None:
    indicator = surveys["signposting"].indicator("0.3")
    assert indicator.question == "helpfulness"
    assert indicator.positive == ("very_helpful", "quite_helpful")
    assert indicator.negative == ("quite_unhelpful", "very_unhelpful")
    assert indicator.excluded == ("not_contacted",)
    assert dict(indicator.restrict_to) == {}
    assert indicator.baseline == PeriodValue("2019-20", 58.1)
    assert indicator.targets == (
        PeriodValue("2021-22", 60.0),
        PeriodValue("2022-23", 60.0),
        PeriodValue("2023-24", 62.0),
    )
    assert indicator.direction is Direction.HIGHER_IS_BETTER


def test_indicator_1_2(surveys: dict[str, SurveyDefinition]) -> None:
    indicator = surveys["signposting"].indicator("1.2")
    assert indicator.question == "helpfulness"
    assert indicator.positive == ("very_helpful",)
    assert indicator.negative == ("quite_helpful", "quite_unhelpful", "very_unhelpful")
    assert indicator.excluded == ("not_contacted",)
    assert dict(indicator.restrict_to) == {"organisation_type": "voluntary"}
    assert indicator.baseline is not None and indicator.baseline.value == 53.7
    assert [(t.period, t.value) for t in indicator.targets] == [("2021-22", 60), ("2022-23", 60), ("2023-24", 62)]
    assert indicator.target_for("2022-23") == PeriodValue("2022-23", 60.0)
    assert indicator.target_for("2024-25") is None


@pytest.mark.parametrize(("survey_id", "indicator_id"), [("signposting", "0.1"), ("carers", "0.2")])
def test_ease_of_finding_information_mirrors_ascof_3d(
    surveys: dict[str, SurveyDefinition], survey_id: str, indicator_id: str
) -> None:
    indicator = surveys[survey_id].indicator(indicator_id)
    question = surveys[survey_id].question(indicator.question)
    assert question.text == INFORMATION_QUESTION
    assert question.codes == ("very_easy", "fairly_easy", "fairly_difficult", "very_difficult", "never_tried")
    assert indicator.positive == ("very_easy", "fairly_easy")
    assert indicator.negative == ("fairly_difficult", "very_difficult")
    assert indicator.excluded == ("never_tried",)


@pytest.mark.parametrize(
    ("survey_id", "indicator_id", "question_ref"),
    [("carers", "3.5", "Q1"), ("carers", "3.6", "Q17"), ("signposting", "0.1", None), ("carers", "0.2", None)],
)
def test_unknown_baselines_and_targets_are_recorded_as_not_stated(
    surveys: dict[str, SurveyDefinition], survey_id: str, indicator_id: str, question_ref: str | None
) -> None:
    indicator = surveys[survey_id].indicator(indicator_id)
    assert indicator.baseline is None
    assert indicator.targets == ()
    assert indicator.notes is not None and "not stated" in indicator.notes
    if question_ref:
        assert surveys[survey_id].question(indicator.question).ref == question_ref


def test_every_answer_of_every_indicator_question_is_classified(surveys: dict[str, SurveyDefinition]) -> None:
    for survey in surveys.values():
        for indicator in survey.indicators:
            assert sorted(indicator.codes) == sorted(survey.question(indicator.question).codes)


def test_signposting_routing(surveys: dict[str, SurveyDefinition]) -> None:
    survey = surveys["signposting"]
    assert survey.first_question.id == "helpfulness"
    assert survey.next_question_id("helpfulness", "not_contacted") == "why_not_contacted"
    assert survey.next_question_id("helpfulness", "very_helpful") == "information_ease"
    assert survey.next_question_id("why_not_contacted", None) == "information_ease"
    assert survey.next_question_id("information_ease", "never_tried") == "improvements"
    assert survey.next_question_id("improvements", None) is None


def test_every_route_through_the_shipped_surveys_ends(surveys: dict[str, SurveyDefinition]) -> None:
    for survey in surveys.values():
        seen: set[str] = set()
        to_visit = [survey.first_question.id]
        while to_visit:
            question_id = to_visit.pop()
            seen.add(question_id)
            for answer in (*survey.question(question_id).codes, None):
                following = survey.next_question_id(question_id, answer)
                if following is not None and following not in seen:
                    to_visit.append(following)
        assert seen == {question.id for question in survey.questions}


def test_shipped_text_is_plain_english_with_typographic_apostrophes(surveys: dict[str, SurveyDefinition]) -> None:
    for survey in surveys.values():
        texts = [survey.title, survey.intro]
        for question in survey.questions:
            texts += [question.text, question.hint or "", *(option.label for option in question.options)]
        for text in texts:
            assert "'" not in text and '"' not in text, text
            assert text == text.strip()


# --- Validation ----------------------------------------------------------------------------------------


def minimal() -> dict[str, Any]:
    """A small valid definition that each test breaks in one way."""
    return copy.deepcopy(
        {
            "id": "test",
            "version": 1,
            "title": "Test survey",
            "intro": "A survey for tests.",
            "questions": [
                {
                    "id": "rating",
                    "text": "How was it?",
                    "type": "single_choice",
                    "required": True,
                    "options": [
                        {"code": "good", "label": "Good"},
                        {"code": "bad", "label": "Bad"},
                        {"code": "unsure", "label": "Not sure"},
                    ],
                    "routing": {"if": {"bad": "why"}, "else": "again"},
                },
                {"id": "why", "text": "What went wrong?", "type": "free_text", "required": False},
                {"id": "again", "text": "Would you use it again?", "type": "yes_no", "required": False},
            ],
            "indicators": [
                {
                    "id": "9.1",
                    "name": "Good",
                    "question": "rating",
                    "positive": ["good"],
                    "negative": ["bad"],
                    "excluded": ["unsure"],
                    "baseline": {"period": "2024-25", "value": 50},
                    "targets": [{"period": "2025-26", "value": 55.5}],
                    "direction": "higher_is_better",
                }
            ],
        }
    )


def errors_for(data: Any) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data, source="test.json")
    assert str(caught.value).startswith("test.json: ")
    return list(caught.value.errors)


def test_the_minimal_definition_is_valid() -> None:
    survey = parse_definition(minimal())
    assert survey.question("again").options == YES_NO_OPTIONS
    assert survey.next_question_id("rating", "bad") == "why"
    assert survey.next_question_id("rating", "good") == "again"
    assert survey.next_question_id("rating", None) == "again"
    assert survey.next_question_id("why", None) == "again"
    assert survey.next_question_id("again", "yes") is None
    assert survey.indicator("9.1").survey_id == "test"


def test_the_path_follows_the_answers_to_the_question_to_answer_now() -> None:
    survey = parse_definition(minimal())
    assert survey.path({}) == ["rating"]
    assert survey.path({"rating": "bad"}) == ["rating", "why"]
    assert survey.path({"rating": "bad", "why": "It was closed"}) == ["rating", "why", "again"]
    assert survey.path({"rating": "good", "why": "off the path"}) == ["rating", "again"]
    assert survey.path({"rating": "", "again": "yes"}) == ["rating", "again"], "a blank answer goes by 'else'"
    assert survey.path({"rating": "good", "again": "no"}) == ["rating", "again"], "the end: nothing left to answer"


def test_a_bad_routing_target_is_refused() -> None:
    data = minimal()
    data["questions"][0]["routing"]["if"]["bad"] = "whyy"
    assert "question 'rating': routing goes to unknown question 'whyy'" in errors_for(data)


def test_an_else_to_an_unknown_question_is_refused() -> None:
    data = minimal()
    data["questions"][0]["routing"]["else"] = "nowhere"
    assert "question 'rating': routing goes to unknown question 'nowhere'" in errors_for(data)


def test_routing_must_go_forward() -> None:
    data = minimal()
    data["questions"][2]["routing"] = {"else": "rating"}
    assert "question 'again': routing must go forward, not back to 'rating'" in errors_for(data)
    data["questions"][2]["routing"] = {"else": "again"}
    assert "question 'again': routing must go forward, not back to 'again'" in errors_for(data)


def test_routing_on_an_answer_the_question_does_not_have_is_refused() -> None:
    data = minimal()
    data["questions"][0]["routing"]["if"]["terrible"] = "why"
    assert "question 'rating': routing uses unknown answer code 'terrible'" in errors_for(data)


def test_routing_by_answer_needs_a_single_answer_question() -> None:
    data = minimal()
    data["questions"][0]["type"] = "multiple_choice"
    data["indicators"] = []
    assert "question 'rating': routing by answer needs a single_choice or yes_no question" in errors_for(data)


@pytest.mark.parametrize("routing", ["elsewhere", {}, {"when": {}}, {"if": ["bad"]}, {"else": 3}])
def test_malformed_routing_is_refused(routing: Any) -> None:
    data = minimal()
    data["questions"][0]["routing"] = routing
    assert any("routing" in error for error in errors_for(data))


def test_routing_to_the_end_is_allowed() -> None:
    data = minimal()
    data["questions"][0]["routing"] = {"if": {"bad": "why", "good": END}, "else": "again"}
    data["questions"][1]["routing"] = "end"
    survey = parse_definition(data)
    assert survey.next_question_id("rating", "good") is None
    assert survey.next_question_id("why", None) is None


def test_unreachable_questions_are_refused() -> None:
    data = minimal()
    data["questions"][0]["routing"] = {"if": {"bad": "why"}, "else": END}
    data["questions"][1]["routing"] = END
    assert "question 'again': no route reaches this question" in errors_for(data)


def test_duplicate_question_ids_are_refused() -> None:
    data = minimal()
    data["questions"][1]["id"] = "again"
    data["questions"][0]["routing"] = None
    assert "question 'again': id is used more than once" in errors_for(data)


def test_duplicate_answer_codes_are_refused() -> None:
    data = minimal()
    data["questions"][0]["options"].append({"code": "good", "label": "Very good"})
    assert "question 'rating': answer code 'good' is used more than once" in errors_for(data)


def test_an_indicator_referencing_an_unknown_code_is_refused() -> None:
    data = minimal()
    data["indicators"][0]["positive"] = ["good", "great"]
    assert "indicator '9.1': answer code 'great' is not an answer to question 'rating'" in errors_for(data)


def test_an_indicator_referencing_an_unknown_question_is_refused() -> None:
    data = minimal()
    data["indicators"][0]["question"] = "ratings"
    assert "indicator '9.1': refers to unknown question 'ratings'" in errors_for(data)


@pytest.mark.parametrize("question_type", ["free_text", "multiple_choice"])
def test_an_indicator_needs_a_single_answer_question(question_type: str) -> None:
    data = minimal()
    data["questions"][0]["routing"] = None
    data["questions"][0]["type"] = question_type
    if question_type == "free_text":
        del data["questions"][0]["options"]
    errors = errors_for(data)
    assert "indicator '9.1': question 'rating' must be single_choice or yes_no" in errors


def test_an_answer_code_may_not_be_both_positive_and_negative() -> None:
    data = minimal()
    data["indicators"][0]["negative"] = ["bad", "good"]
    assert "indicator '9.1': answer code 'good' is listed more than once" in errors_for(data)


def test_every_answer_code_must_be_classified() -> None:
    data = minimal()
    data["indicators"][0]["excluded"] = []
    assert "indicator '9.1': answer codes ['unsure'] must be listed as positive, negative or excluded" in errors_for(
        data
    )


def test_an_indicator_needs_a_positive_code() -> None:
    data = minimal()
    data["indicators"][0]["positive"] = []
    data["indicators"][0]["negative"] = ["bad", "good"]
    assert "indicator '9.1': 'positive' needs at least one code" in errors_for(data)


def test_indicators_can_only_be_restricted_to_known_response_fields() -> None:
    data = minimal()
    data["indicators"][0]["restrict_to"] = {"postcode": "SG1"}
    assert any("cannot restrict to ['postcode']" in error for error in errors_for(data))
    data["indicators"][0]["restrict_to"] = {"organisation_type": ""}
    assert any("'restrict_to' must map" in error for error in errors_for(data))


@pytest.mark.parametrize(
    ("baseline", "message"),
    [
        ({"period": "2019/20", "value": 58.1}, "must be a financial year"),
        ({"period": "2019-21", "value": 58.1}, "must be a financial year"),
        ({"period": "2019-20", "value": 120}, "must be a percentage from 0 to 100"),
        ({"period": "2019-20", "value": "58.1"}, "must be a percentage from 0 to 100"),
        ({"period": "2019-20"}, "must be an object with 'period' and 'value'"),
        (58.1, "must be an object with 'period' and 'value'"),
    ],
)
def test_bad_baselines_are_refused(baseline: Any, message: str) -> None:
    data = minimal()
    data["indicators"][0]["baseline"] = baseline
    assert any(error.startswith("indicator '9.1' baseline") and message in error for error in errors_for(data))


def test_two_targets_for_one_year_are_refused() -> None:
    data = minimal()
    data["indicators"][0]["targets"].append({"period": "2025-26", "value": 60})
    assert "indicator '9.1': more than one target for 2025-26" in errors_for(data)


def test_targets_are_sorted_by_year() -> None:
    data = minimal()
    data["indicators"][0]["targets"] = [{"period": "2026-27", "value": 60}, {"period": "2025-26", "value": 55}]
    assert [target.period for target in parse_definition(data).indicator("9.1").targets] == ["2025-26", "2026-27"]


def test_direction_is_checked() -> None:
    data = minimal()
    data["indicators"][0]["direction"] = "up"
    assert any("'direction' must be one of" in error for error in errors_for(data))
    data["indicators"][0]["direction"] = "lower_is_better"
    assert parse_definition(data).indicator("9.1").direction is Direction.LOWER_IS_BETTER


def test_duplicate_indicator_ids_are_refused() -> None:
    data = minimal()
    data["indicators"].append(copy.deepcopy(data["indicators"][0]))
    assert "indicator '9.1': id is used more than once" in errors_for(data)


@pytest.mark.parametrize("indicator_id", ["", "0.3a", "three", 3.5])
def test_indicator_ids_look_like_numbers(indicator_id: Any) -> None:
    data = minimal()
    data["indicators"][0]["id"] = indicator_id
    assert "indicator 1: 'id' must look like '0.3'" in errors_for(data)


def test_misspelt_keys_are_refused() -> None:
    data = minimal()
    data["questions"][1]["requried"] = True
    data["indicators"][0]["exclude"] = []
    errors = errors_for(data)
    assert "question 'why': unknown keys ['requried']" in errors
    assert "indicator '9.1': unknown keys ['exclude']" in errors


def test_the_required_flag_must_be_given() -> None:
    data = minimal()
    del data["questions"][1]["required"]
    assert "question 'why': 'required' must be true or false" in errors_for(data)


def test_question_types_are_checked() -> None:
    data = minimal()
    data["questions"][1]["type"] = "essay"
    assert any(error.startswith("question 'why': 'type' must be one of") for error in errors_for(data))


@pytest.mark.parametrize(
    ("index", "change", "message"),
    [
        (1, {"options": [{"code": "a", "label": "A"}]}, "a free_text question has no options"),
        (0, {"options": [{"code": "good", "label": "Good"}]}, "needs at least 2 options"),
        (2, {"options": [{"code": "y", "label": "Yes"}, {"code": "n", "label": "No"}]}, "must be 'yes' and 'no'"),
        (0, {"options": [{"code": "Good!", "label": "Good"}, {"code": "bad", "label": "Bad"}]}, "'code' must be"),
        (0, {"options": [{"code": "good", "label": ""}, {"code": "bad", "label": "Bad"}]}, "'label' must be"),
        (0, {"options": [{"code": "good"}, {"code": "bad", "label": "Bad"}]}, "exactly 'code' and 'label'"),
        (0, {"text": "  "}, "'text' must be non-empty text"),
        (0, {"id": "end"}, "reserved for routing"),
        (0, {"id": "Rating"}, "'id' must be lower-case"),
    ],
)
def test_question_shape_is_checked(index: int, change: dict[str, Any], message: str) -> None:
    data = minimal()
    data["questions"][index].update(change)
    assert any(message in error for error in errors_for(data))


def test_yes_no_questions_may_spell_out_their_options() -> None:
    data = minimal()
    data["questions"][2]["options"] = [{"code": "yes", "label": "Yes, I would"}, {"code": "no", "label": "No"}]
    assert parse_definition(data).question("again").label_for("yes") == "Yes, I would"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"version": 0}, "'version' must be a whole number"),
        ({"version": True}, "'version' must be a whole number"),
        ({"version": "1"}, "'version' must be a whole number"),
        ({"id": "Test Survey"}, "'id' must be lower-case"),
        ({"title": ""}, "'title' must be non-empty text"),
        ({"questions": []}, "'questions' must be a non-empty list"),
        ({"indicators": {}}, "'indicators' must be a list"),
        ({"colour": "blue"}, "unknown keys ['colour']"),
    ],
)
def test_survey_shape_is_checked(change: dict[str, Any], message: str) -> None:
    data = minimal()
    data.update(change)
    assert any(message in error for error in errors_for(data))


def test_a_definition_must_be_an_object() -> None:
    assert errors_for([]) == ["a definition must be a JSON object"]


def test_every_problem_is_reported_at_once() -> None:
    data = minimal()
    data["questions"][0]["routing"]["if"]["bad"] = "whyy"
    data["questions"][0]["options"].append({"code": "bad", "label": "Awful"})
    data["indicators"][0]["positive"] = ["great"]
    errors = errors_for(data)
    assert len(errors) >= 3
    assert isinstance(DefinitionError("x", errors), ValueError)


def test_lookups_of_unknown_ids_raise_key_error() -> None:
    survey = parse_definition(minimal())
    with pytest.raises(KeyError):
        survey.question("nope")
    with pytest.raises(KeyError):
        survey.indicator("0.0")
    with pytest.raises(KeyError):
        survey.question("rating").label_for("awful")
    with pytest.raises(KeyError):
        survey.next_question_id("nope", None)


@pytest.mark.parametrize(("label", "valid"), [("2023-24", True), ("1999-00", True), ("2023-25", False), (2023, False)])
def test_financial_year_labels(label: Any, valid: bool) -> None:
    assert is_financial_year(label) is valid


# --- Loading files -------------------------------------------------------------------------------------


def write(directory: Path, name: str, data: Any) -> Path:
    path = directory / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def test_invalid_json_is_reported_with_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match=r"^broken\.json: not valid JSON"):
        load_definition(write(tmp_path, "broken.json", '{"id": '))


def test_files_must_be_named_after_their_survey(tmp_path: Path) -> None:
    write(tmp_path, "other.json", minimal())
    with pytest.raises(DefinitionError, match="survey id 'test' does not match the file name"):
        load_all(tmp_path)


def test_indicator_ids_are_unique_across_surveys(tmp_path: Path) -> None:
    write(tmp_path, "test.json", minimal())
    second = minimal()
    second["id"] = "second"
    write(tmp_path, "second.json", second)
    with pytest.raises(DefinitionError, match="indicator '9.1' is defined in 'second' and 'test'"):
        load_all(tmp_path)


def test_an_invalid_file_stops_loading(tmp_path: Path) -> None:
    data = minimal()
    data["questions"][0]["routing"]["else"] = "nowhere"
    write(tmp_path, "test.json", data)
    with pytest.raises(DefinitionError, match=r"^test\.json: .*unknown question 'nowhere'"):
        load_all(tmp_path)
