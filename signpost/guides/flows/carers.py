"""The carers guide as data: questions, routes and its outcome."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from signpost.guides import carers
from signpost.guides.flow import Flow, Kind, Option, Outcome, Question, Rule, When
from signpost.guides.rates import ChargingRates


def calculate(answers, rates: ChargingRates):
    return carers.advise(answers, rates)


FLOW = Flow(
    id="carers",
    title=_l("Help if you look after someone"),
    description=_l(
        "Find out what support you can get as an unpaid carer: a carer's assessment, Carer's Allowance, "
        "breaks from caring and local groups."
    ),
    start="who",
    before_you_start=(
        _l("It takes about 5 minutes."),
        _l("You are a carer if you look after a family member, partner or friend who could not manage without you."),
    ),
    nodes={
        "who": Question(
            id="who",
            kind=Kind.CHOICE,
            text=_l("Who do you look after?"),
            summary=_l("Who you look after"),
            hint=_l("If you look after more than one person, choose the one who needs the most help."),
            options=(
                Option("partner", _l("My husband, wife or partner")),
                Option("parent", _l("My mum, dad or another older relative")),
                Option("child", _l("My child")),
                Option("friend", _l("A friend or neighbour")),
                Option("other", _l("Someone else")),
            ),
            next="carer_age",
        ),
        "carer_age": Question(
            id="carer_age",
            kind=Kind.WHOLE_NUMBER,
            text=_l("How old are you?"),
            summary=_l("Your age"),
            minimum=5,
            maximum=120,
            suffix=_l("years"),
            explain=_l("Young carers under 18 get support from children's services, and some benefits start at 16."),
            next="hours",
        ),
        "hours": Question(
            id="hours",
            kind=Kind.WHOLE_NUMBER,
            text=_l("About how many hours a week do you spend caring?"),
            summary=_l("Hours of caring a week"),
            hint=_l("Include helping with washing, meals, medicines, getting about, and keeping them company."),
            minimum=0,
            maximum=168,
            suffix=_l("hours a week"),
            next="cared_for_benefits",
        ),
        "cared_for_benefits": Question(
            id="cared_for_benefits",
            kind=Kind.CHOICES,
            text=_l("Does the person you look after get any of these benefits?"),
            summary=_l("Their disability benefits"),
            hint=_l("Select all that apply."),
            options=(
                Option("attendance_allowance", _l("Attendance Allowance")),
                Option("pip_daily_living", _l("Personal Independence Payment (daily living part)")),
                Option(
                    "dla_care_middle_or_highest", _l("Disability Living Allowance (care part, middle or highest rate)")
                ),
                Option("none", _l("None of these")),
                Option("dont_know", _l("I do not know")),
            ),
            next=(
                Rule(
                    "earnings", (When("hours", at_least=carers.CARERS_ALLOWANCE_HOURS), When("carer_age", at_least=16))
                ),
                Rule("wellbeing"),
            ),
        ),
        "earnings": Question(
            id="earnings",
            kind=Kind.MONEY,
            text=_l("How much do you earn a week after tax, National Insurance and expenses?"),
            summary=_l("Your weekly earnings"),
            hint=_l("Enter 0 if you do not work. Do not include benefits or pensions."),
            minimum=0,
            maximum=100000,
            suffix=_l("a week"),
            next="education",
        ),
        "education": Question(
            id="education",
            kind=Kind.YES_NO,
            text=_l("Are you in full-time education?"),
            summary=_l("In full-time education"),
            hint=_l("This means studying 21 hours a week or more."),
            next="state_pension",
        ),
        "state_pension": Question(
            id="state_pension",
            kind=Kind.YES_NO,
            text=_l("Do you get the State Pension?"),
            summary=_l("Get the State Pension"),
            next="wellbeing",
        ),
        "wellbeing": Question(
            id="wellbeing",
            kind=Kind.CHOICES,
            text=_l("Is caring affecting any of these for you?"),
            summary=_l("What caring affects"),
            hint=_l("Select all that apply."),
            options=(
                Option("health", _l("My physical health")),
                Option("mood", _l("My mood or mental health")),
                Option("sleep", _l("My sleep")),
                Option("work", _l("My job, studies or volunteering")),
                Option("relationships", _l("My relationships with family or friends")),
                Option("time_for_myself", _l("Having any time for myself")),
                Option("none", _l("None of these")),
            ),
            next="breaks",
        ),
        "breaks": Question(
            id="breaks",
            kind=Kind.YES_NO,
            text=_l("Would a break from caring help you?"),
            summary=_l("Would like a break"),
            hint=_l("For example, someone sitting with the person you look after, or a short stay somewhere for them."),
            next="postcode",
        ),
        "postcode": Question(
            id="postcode",
            kind=Kind.POSTCODE,
            text=_l("What is your postcode?"),
            summary=_l("Postcode"),
            hint=_l(
                "We use it only to show carers' services near you, and do not keep it. For example, SG1 1AA or SG1."
            ),
            next="advice",
        ),
        "advice": Outcome(
            id="advice",
            title=_l("Support you can get as a carer"),
            calculate=calculate,
            template="guides/carers_outcome.html",
        ),
    },
)
