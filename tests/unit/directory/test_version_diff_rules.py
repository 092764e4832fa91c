"""`directory.version_diff`: what changed between two kept versions of a listing, for any JSON they hold."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from directory.version_diff import Change, changes, parse

OLD = {
    "id": "s1",
    "name": "Lunch club",
    "description": "Hot lunches",
    "organization": {"id": "o1", "name": "Friends", "url": ""},
    "phones": [
        {"id": "p1", "service_id": "s1", "number": "01632 960001"},
        {"id": "p2", "service_id": "s1", "number": "01632 960002"},
    ],
    "languages": [{"id": "l1", "code": "en"}],
    "minimum_age": 60,
    "is_free": True,
}


def test_a_changed_field_shows_old_and_new():
    new = OLD | {"name": "Supper club"}
    assert changes(OLD, new) == [Change(("name",), "Lunch club", "Supper club")]


def test_removing_the_first_phone_is_one_removal_not_every_phone_changed():
    new = OLD | {"phones": [OLD["phones"][1]]}
    assert changes(OLD, new) == [Change(("phones", 1, "number"), "01632 960001", None)]
    assert changes(OLD, new)[0].kind == "removed"


def test_an_added_list_item_is_named_by_its_position_in_the_new_version():
    new = OLD | {"phones": [*OLD["phones"], {"id": "p3", "number": "01632 960003"}]}
    assert changes(OLD, new) == [Change(("phones", 3, "number"), None, "01632 960003")]
    assert changes(OLD, new)[0].kind == "added"


def test_identifiers_and_empty_values_are_not_fields():
    labels = [change.label for change in changes(None, OLD)]
    assert ("organization", "url") not in labels and not any(
        str(part) == "id" or str(part).endswith("_id") for label in labels for part in label
    )
    assert changes(OLD, OLD | {"description": ""}) == [Change(("description",), "Hot lunches", None)]
    assert changes(OLD | {"email": ""}, OLD | {"email": None}) == []


def test_the_first_version_shows_every_field_added_with_name_first():
    found = changes(None, OLD)
    assert found[0] == Change(("name",), None, "Lunch club") and all(change.kind == "added" for change in found)
    assert Change(("languages", 1, "code"), None, "en") in found


def test_lists_of_values_lists_of_lists_and_mixed_types():
    old = {"name": "A", "tags": ["a", "b"], "grid": [[1, 2], [3]], "mixed": [1, {"x": 1}], "n": 1}
    new = {"name": "A", "tags": ["a", "c"], "grid": [[1, 2], [4]], "mixed": [1, {"x": 1}], "n": True}
    found = {change.label: (change.old, change.new) for change in changes(old, new)}
    assert found == {
        ("tags",): (("a", "b"), ("a", "c")),
        ("grid",): ("[[1, 2], [3]]", "[[1, 2], [4]]"),
        ("n",): (1, True),
    }


def test_items_saved_afresh_with_new_ids_are_compared_in_order():
    new = OLD | {"phones": [{"id": "p8", "number": "01632 960001"}, {"id": "p9", "number": "01632 960009"}]}
    assert changes(OLD, new) == [Change(("phones", 2, "number"), "01632 960002", "01632 960009")]


def test_an_object_that_becomes_a_value_is_removed_then_added():
    assert changes({"x": {"a": 1}}, {"x": "text"}) == [Change(("x", "a"), 1, None), Change(("x",), None, "text")]


def test_list_items_without_ids_pair_by_what_they_say():
    old = {"extra": [{"k": "a"}, {"k": "b"}]}
    new = {"extra": [{"k": "b"}]}
    assert changes(old, new) == [Change(("extra", 1, "k"), "a", None)]


def test_deeply_nested_json_is_compared_as_text_not_by_recursion():
    deep_old: dict = {"v": 1}
    deep_new: dict = {"v": 2}
    for _ in range(300):
        deep_old, deep_new = {"k": [deep_old]}, {"k": [deep_new]}
    (change,) = changes(parse(json.dumps(deep_old)), parse(json.dumps(deep_new)))
    assert len(change.label) == 12 and change.old.count("{") == 300 - 5 and '"v": 2' in change.new


def test_parse_refuses_what_is_not_a_json_object():
    assert parse('{"name": "A"}') == {"name": "A"}
    for bad in (None, "", "not json", "[1, 2]", '"text"', "[" * 100_000):
        assert parse(bad) is None


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@given(old=st.dictionaries(st.text(max_size=5), JSON, max_size=5), new=st.dictionaries(st.text(max_size=5), JSON))
def test_any_two_documents_compare_and_a_document_equals_itself(old, new):
    assert changes(new, new) == []
    for change in changes(old, new):
        assert change.old != change.new or type(change.old) is not type(change.new)
        assert change.old is not None or change.new is not None
    assert parse(json.dumps(new)) == new
