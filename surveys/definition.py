"""Survey definitions: dataclasses, a JSON loader and validation.

Surveys are data (``surveys/definitions/*.json``) so that questions, routing and indicator rules can be
reviewed without reading code. A definition is checked as a whole and every problem is reported at once.
Pure Python: no Flask, no database. Labels are English source strings; the web layer translates them. Walking
the routing is ``signpost.platform.question_walk``, shared with the guides (which says why there are two formats).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from signpost.platform.question_walk import walk_questions

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"

END = "end"
"""Routing target meaning "no more questions"."""

RESTRICTABLE_FIELDS = frozenset({"organisation_type", "district", "channel", "need_category"})
"""Response fields an indicator may be restricted to (``restrict_to``)."""

_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_INDICATOR_ID = re.compile(r"^\d+(\.\d+)*$")
_FINANCIAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")

_SURVEY_KEYS = frozenset({"id", "version", "title", "intro", "questions", "indicators"})
_QUESTION_KEYS = frozenset({"id", "ref", "text", "hint", "type", "required", "options", "routing"})
_INDICATOR_KEYS = frozenset(
    {
        "id",
        "name",
        "question",
        "positive",
        "negative",
        "excluded",
        "restrict_to",
        "baseline",
        "targets",
        "direction",
        "source",
        "notes",
    }
)


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    FREE_TEXT = "free_text"
    YES_NO = "yes_no"


class Direction(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


# Routing and indicators need exactly one answer code per response.
SINGLE_ANSWER_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.YES_NO})


class DefinitionError(ValueError):
    """A survey definition is invalid; ``errors`` lists every problem found."""

    def __init__(self, source: str, errors: Iterable[str]) -> None:
        self.source = source
        self.errors = tuple(errors)
        super().__init__(f"{source}: " + "; ".join(self.errors))


@dataclass(frozen=True, slots=True)
class Option:
    code: str
    label: str


YES_NO_OPTIONS = (Option("yes", "Yes"), Option("no", "No"))


@dataclass(frozen=True, slots=True)
class Routing:
    """Where to go after a question. Targets are question ids or ``END``.

    ``otherwise`` of None means "the next question in order".
    """

    by_answer: Mapping[str, str] = field(default_factory=dict, hash=False)
    otherwise: str | None = None


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    type: QuestionType
    required: bool
    options: tuple[Option, ...] = ()
    routing: Routing | None = None
    hint: str | None = None
    ref: str | None = None
    """The council's own question number (e.g. "Q8"), kept for traceability."""

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(option.code for option in self.options)

    def label_for(self, code: str) -> str:
        for option in self.options:
            if option.code == code:
                return option.label
        raise KeyError(code)


@dataclass(frozen=True, slots=True)
class PeriodValue:
    """A percentage (0–100) for a financial year such as "2023-24"."""

    period: str
    value: float


@dataclass(frozen=True, slots=True)
class Indicator:
    """A "% positive" indicator: positive / (positive + negative).

    "negative" means "in the denominator but not positive" (a neutral answer is negative here);
    excluded codes and blanks are counted separately and never enter the denominator.
    """

    id: str
    name: str
    survey_id: str
    question: str
    positive: tuple[str, ...]
    negative: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    restrict_to: Mapping[str, str] = field(default_factory=dict, hash=False)
    baseline: PeriodValue | None = None
    targets: tuple[PeriodValue, ...] = ()
    direction: Direction = Direction.HIGHER_IS_BETTER
    source: str | None = None
    notes: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return self.positive + self.negative + self.excluded

    def target_for(self, financial_year: str | None) -> PeriodValue | None:
        if financial_year is None:
            return None
        return next((target for target in self.targets if target.period == financial_year), None)


@dataclass(frozen=True, slots=True)
class SurveyDefinition:
    id: str
    version: int
    title: str
    intro: str
    questions: tuple[Question, ...]
    indicators: tuple[Indicator, ...] = ()

    @property
    def first_question(self) -> Question:
        return self.questions[0]

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def path(self, answers: Mapping[str, str]) -> list[str]:
        """Questions in the order this person meets them, following routing from the start with their answers:
        those answered, then the one to answer now (the last, unless they have reached the end)."""
        walked = walk_questions(
            self.first_question.id,
            is_question=lambda question_id: question_id != END,
            is_answered=lambda question_id: question_id in answers,
            next_after=lambda question_id: (
                self.next_question_id(question_id, self.routing_code(question_id, answers)) or END
            ),
        )
        here = [] if walked.finished or walked.next_id in walked.path else [walked.next_id]
        return [*walked.path, *here]

    def routing_code(self, question_id: str, answers: Mapping[str, str]) -> str | None:
        """The answer code routing goes by: a free-text answer is no code, nor is a blank one."""
        if self.question(question_id).type is QuestionType.FREE_TEXT:
            return None
        return answers.get(question_id) or None

    def next_question_id(self, question_id: str, answer: str | None) -> str | None:
        """The question after ``question_id`` given its answer code (None if blank); None at the end."""
        index = self.questions.index(self.question(question_id))
        target = _route(self.questions[index].routing, answer)
        if target is None:
            return self.questions[index + 1].id if index + 1 < len(self.questions) else None
        return None if target == END else target


def _route(routing: Routing | None, answer: str | None) -> str | None:
    if routing is None:
        return None
    if answer is not None and answer in routing.by_answer:
        return routing.by_answer[answer]
    return routing.otherwise


def is_financial_year(label: object) -> bool:
    """True for labels like "2023-24" (the second part must be the following year)."""
    match = _FINANCIAL_YEAR.match(label) if isinstance(label, str) else None
    return match is not None and (int(match.group(1)) + 1) % 100 == int(match.group(2))


# --- Loading -------------------------------------------------------------------------------------------


def load_definition(path: Path | str) -> SurveyDefinition:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DefinitionError(path.name, [f"not valid JSON: {error}"]) from error
    return parse_definition(data, source=path.name)


def load_all(directory: Path | str = DEFINITIONS_DIR) -> dict[str, SurveyDefinition]:
    """Every ``*.json`` definition in ``directory``, by survey id.

    Also checks that each file is named after its survey and that indicator ids are unique across surveys.
    """
    surveys: dict[str, SurveyDefinition] = {}
    owners: dict[str, str] = {}
    errors: list[str] = []
    for path in sorted(Path(directory).glob("*.json")):
        survey = load_definition(path)
        if path.stem != survey.id:
            errors.append(f"{path.name}: survey id {survey.id!r} does not match the file name")
        if survey.id in surveys:
            errors.append(f"{path.name}: survey id {survey.id!r} is used twice")
        surveys[survey.id] = survey
        for indicator in survey.indicators:
            if indicator.id in owners:
                errors.append(f"indicator {indicator.id!r} is defined in {owners[indicator.id]!r} and {survey.id!r}")
            owners[indicator.id] = survey.id
    if errors:
        raise DefinitionError(str(directory), errors)
    return surveys


def parse_definition(data: Any, source: str = "<definition>") -> SurveyDefinition:
    """Build and validate a definition from parsed JSON; raise ``DefinitionError`` listing every problem."""
    errors: list[str] = []
    if not isinstance(data, Mapping):
        raise DefinitionError(source, ["a definition must be a JSON object"])
    _unknown_keys(data, _SURVEY_KEYS, "survey", errors)
    survey_id = _slug(data, "id", "survey", errors)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        errors.append("survey: 'version' must be a whole number of at least 1")
        version = 0
    title = _text(data, "title", "survey", errors)
    intro = _text(data, "intro", "survey", errors)

    raw_questions = _list(data, "questions", "survey", errors, required=True)
    questions = tuple(q for q in (_question(raw, i, errors) for i, raw in enumerate(raw_questions)) if q)
    if raw_questions and not questions:
        errors.append("survey: no valid questions")
    _check_question_ids(questions, errors)
    _check_routing(questions, errors)

    raw_indicators = _list(data, "indicators", "survey", errors, required=False)
    by_id = {question.id: question for question in questions}
    indicators = tuple(
        indicator
        for indicator in (_indicator(raw, i, survey_id, by_id, errors) for i, raw in enumerate(raw_indicators))
        if indicator
    )
    seen = _duplicates(indicator.id for indicator in indicators)
    errors.extend(f"indicator {indicator_id!r}: id is used more than once" for indicator_id in seen)

    if errors:
        raise DefinitionError(source, errors)
    return SurveyDefinition(survey_id, version, title, intro, questions, indicators)


# --- Questions -----------------------------------------------------------------------------------------


def _question(raw: Any, index: int, errors: list[str]) -> Question | None:
    where = f"question {index + 1}"
    if not isinstance(raw, Mapping):
        errors.append(f"{where}: must be an object")
        return None
    if isinstance(raw.get("id"), str):
        where = f"question {raw['id']!r}"
    _unknown_keys(raw, _QUESTION_KEYS, where, errors)
    question_id = _slug(raw, "id", where, errors)
    if question_id == END:
        errors.append(f"{where}: {END!r} is reserved for routing and cannot be a question id")
    text = _text(raw, "text", where, errors)
    required = raw.get("required")
    if not isinstance(required, bool):
        errors.append(f"{where}: 'required' must be true or false")
    try:
        question_type = QuestionType(str(raw.get("type")))
    except ValueError:
        errors.append(f"{where}: 'type' must be one of {', '.join(t.value for t in QuestionType)}")
        # Carry on with a best guess so that routing to this question is not also reported as unknown.
        question_type = QuestionType.SINGLE_CHOICE if "options" in raw else QuestionType.FREE_TEXT
    options = _options(raw, question_type, where, errors)
    routing = _routing(raw.get("routing"), question_type, {o.code for o in options}, where, errors)
    hint = _optional_text(raw, "hint", where, errors)
    ref = _optional_text(raw, "ref", where, errors)
    return Question(question_id, text, question_type, required is True, options, routing, hint, ref)


def _options(raw: Mapping[str, Any], question_type: QuestionType, where: str, errors: list[str]) -> tuple[Option, ...]:
    if question_type is QuestionType.FREE_TEXT:
        if raw.get("options"):
            errors.append(f"{where}: a free_text question has no options")
        return ()
    if question_type is QuestionType.YES_NO and "options" not in raw:
        return YES_NO_OPTIONS
    options: list[Option] = []
    for i, item in enumerate(_list(raw, "options", where, errors, required=True)):
        if not isinstance(item, Mapping) or set(item) != {"code", "label"}:
            errors.append(f"{where}: option {i + 1} must be an object with exactly 'code' and 'label'")
            continue
        code = _slug(item, "code", f"{where} option {i + 1}", errors)
        options.append(Option(code, _text(item, "label", f"{where} option {code!r}", errors)))
    repeated = _duplicates(option.code for option in options)
    errors.extend(f"{where}: answer code {code!r} is used more than once" for code in repeated)
    if question_type is QuestionType.YES_NO and {o.code for o in options} != {"yes", "no"}:
        errors.append(f"{where}: a yes_no question's codes must be 'yes' and 'no'")
    elif len(options) < 2:
        errors.append(f"{where}: a {question_type.value} question needs at least 2 options")
    return tuple(options)


def _routing(raw: Any, question_type: QuestionType, codes: set[str], where: str, errors: list[str]) -> Routing | None:
    if raw is None:
        return None
    if raw == END:
        return Routing(otherwise=END)
    if not isinstance(raw, Mapping) or not raw or set(raw) - {"if", "else"}:
        errors.append(f"{where}: 'routing' must be \"end\" or an object with 'if' and/or 'else'")
        return None
    by_answer = raw.get("if", {})
    if not isinstance(by_answer, Mapping) or not all(isinstance(v, str) for v in by_answer.values()):
        errors.append(f"{where}: routing 'if' must map answer codes to question ids")
        by_answer = {}
    if by_answer and question_type not in SINGLE_ANSWER_TYPES:
        errors.append(f"{where}: routing by answer needs a single_choice or yes_no question")
    errors.extend(f"{where}: routing uses unknown answer code {code!r}" for code in by_answer if code not in codes)
    otherwise = raw.get("else")
    if otherwise is not None and not isinstance(otherwise, str):
        errors.append(f"{where}: routing 'else' must be a question id or \"end\"")
        otherwise = None
    return Routing(dict(by_answer), otherwise)


def _check_question_ids(questions: tuple[Question, ...], errors: list[str]) -> None:
    errors.extend(f"question {qid!r}: id is used more than once" for qid in _duplicates(q.id for q in questions))


def _check_routing(questions: tuple[Question, ...], errors: list[str]) -> None:
    """Targets must exist and lie later in the survey (so there are no loops); every question must be reachable."""
    position = {question.id: i for i, question in enumerate(questions)}
    problems: list[str] = []
    for i, question in enumerate(questions):
        targets = [*question.routing.by_answer.values(), question.routing.otherwise] if question.routing else []
        for target in filter(None, targets):
            if target != END and target not in position:
                problems.append(f"question {question.id!r}: routing goes to unknown question {target!r}")
            elif target != END and position[target] <= i:
                problems.append(f"question {question.id!r}: routing must go forward, not back to {target!r}")
    errors.extend(problems)
    if problems or len(position) != len(questions):
        return  # reachability means nothing until the routing itself is sound
    reached = {questions[0].id} if questions else set()
    for i, question in enumerate(questions):
        if question.id not in reached:
            errors.append(f"question {question.id!r}: no route reaches this question")
            continue
        for answer in (*question.codes, None):
            goes_to = _route(question.routing, answer)
            if goes_to is None and i + 1 < len(questions):
                goes_to = questions[i + 1].id
            reached.add(goes_to or END)


# --- Indicators ----------------------------------------------------------------------------------------


def _indicator(
    raw: Any, index: int, survey_id: str, questions: Mapping[str, Question], errors: list[str]
) -> Indicator | None:
    where = f"indicator {index + 1}"
    if not isinstance(raw, Mapping):
        errors.append(f"{where}: must be an object")
        return None
    indicator_id = raw.get("id")
    if not isinstance(indicator_id, str) or not _INDICATOR_ID.match(indicator_id):
        errors.append(f"{where}: 'id' must look like '0.3'")
        indicator_id = ""
    else:
        where = f"indicator {indicator_id!r}"
    _unknown_keys(raw, _INDICATOR_KEYS, where, errors)
    name = _text(raw, "name", where, errors)
    question_id = raw.get("question")
    question = questions.get(question_id) if isinstance(question_id, str) else None
    if question is None:
        errors.append(f"{where}: refers to unknown question {question_id!r}")
    elif question.type not in SINGLE_ANSWER_TYPES:
        errors.append(f"{where}: question {question_id!r} must be single_choice or yes_no")
    groups = {key: _code_list(raw, key, where, errors) for key in ("positive", "negative", "excluded")}
    if not groups["positive"]:
        errors.append(f"{where}: 'positive' needs at least one code")
    if question is not None:
        _check_classification(groups, question, where, errors)
    try:
        direction = Direction(raw.get("direction", Direction.HIGHER_IS_BETTER))
    except ValueError:
        errors.append(f"{where}: 'direction' must be one of {', '.join(d.value for d in Direction)}")
        direction = Direction.HIGHER_IS_BETTER
    return Indicator(
        id=indicator_id,
        name=name,
        survey_id=survey_id,
        question=question_id if isinstance(question_id, str) else "",
        positive=groups["positive"],
        negative=groups["negative"],
        excluded=groups["excluded"],
        restrict_to=_restrict_to(raw.get("restrict_to"), where, errors),
        baseline=_baseline(raw.get("baseline"), where, errors),
        targets=_targets(raw.get("targets", []), where, errors),
        direction=direction,
        source=_optional_text(raw, "source", where, errors),
        notes=_optional_text(raw, "notes", where, errors),
    )


def _code_list(raw: Mapping[str, Any], key: str, where: str, errors: list[str]) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        errors.append(f"{where}: {key!r} must be a list of answer codes")
        return ()
    return tuple(value)


def _check_classification(
    groups: Mapping[str, tuple[str, ...]], question: Question, where: str, errors: list[str]
) -> None:
    """Every answer code must be exactly one of positive, negative or excluded: none may silently vanish."""
    codes = set(question.codes)
    listed = [code for group in groups.values() for code in group]
    errors.extend(
        f"{where}: answer code {code!r} is not an answer to question {question.id!r}"
        for code in dict.fromkeys(listed)
        if code not in codes
    )
    errors.extend(f"{where}: answer code {code!r} is listed more than once" for code in _duplicates(listed))
    missing = [code for code in question.codes if code not in listed]
    if missing:
        errors.append(f"{where}: answer codes {missing} must be listed as positive, negative or excluded")


def _restrict_to(raw: Any, where: str, errors: list[str]) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping) or not all(isinstance(v, str) and v for v in raw.values()):
        errors.append(f"{where}: 'restrict_to' must map a response field to a value")
        return {}
    unknown = sorted(set(raw) - RESTRICTABLE_FIELDS)
    if unknown:
        errors.append(f"{where}: cannot restrict to {unknown}; use {sorted(RESTRICTABLE_FIELDS)}")
    return dict(raw)


def _period_value(raw: Any, where: str, errors: list[str]) -> PeriodValue | None:
    if not isinstance(raw, Mapping) or set(raw) != {"period", "value"}:
        errors.append(f"{where}: must be an object with 'period' and 'value'")
        return None
    period, value = raw["period"], raw["value"]
    ok = True
    if not is_financial_year(period):
        errors.append(f"{where}: period {period!r} must be a financial year like '2023-24'")
        ok = False
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 100:
        errors.append(f"{where}: value {value!r} must be a percentage from 0 to 100")
        ok = False
    return PeriodValue(period, float(value)) if ok else None


def _baseline(raw: Any, where: str, errors: list[str]) -> PeriodValue | None:
    return None if raw is None else _period_value(raw, f"{where} baseline", errors)


def _targets(raw: Any, where: str, errors: list[str]) -> tuple[PeriodValue, ...]:
    if not isinstance(raw, list):
        errors.append(f"{where}: 'targets' must be a list")
        return ()
    targets = [t for t in (_period_value(item, f"{where} target", errors) for item in raw) if t]
    errors.extend(f"{where}: more than one target for {p}" for p in _duplicates(t.period for t in targets))
    return tuple(sorted(targets, key=lambda target: target.period))


# --- Small readers -------------------------------------------------------------------------------------


def _unknown_keys(raw: Mapping[str, Any], allowed: frozenset[str], where: str, errors: list[str]) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        errors.append(f"{where}: unknown keys {unknown}")


def _slug(raw: Mapping[str, Any], key: str, where: str, errors: list[str]) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not _SLUG.match(value):
        errors.append(f"{where}: {key!r} must be lower-case letters, digits and underscores, got {value!r}")
        return value if isinstance(value, str) else ""
    return value


def _text(raw: Mapping[str, Any], key: str, where: str, errors: list[str]) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        errors.append(f"{where}: {key!r} must be non-empty text")
        return ""
    return value


def _optional_text(raw: Mapping[str, Any], key: str, where: str, errors: list[str]) -> str | None:
    return None if raw.get(key) is None else _text(raw, key, where, errors)


def _list(raw: Mapping[str, Any], key: str, where: str, errors: list[str], *, required: bool) -> list[Any]:
    value = raw.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        errors.append(f"{where}: {key!r} must be a{' non-empty' if required else ''} list")
        return []
    return value


def _duplicates(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: dict[str, None] = {}
    for value in values:
        if value in seen:
            repeated[value] = None
        seen.add(value)
    return list(repeated)
