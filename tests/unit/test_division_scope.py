"""Division scope: a code covers itself and every code below it, the zero-padded upper levels of
GB/T 2260 included (a province's 450000 covers 450226 三江, a prefecture's 330400 covers 330481)."""

import mongomock
import pytest

from contracts.actor import Actor
from contracts.vocabulary import Role, division_prefix, within
from infra.mongo import division_prefix_filter


@pytest.mark.parametrize(
    ("code", "prefix"),
    [("450000", "45"), ("450200", "4502"), ("450226", "450226"), ("330481100", "330481100"), ("", "")],
)
def test_the_prefix_of_each_level(code, prefix):
    assert division_prefix(code) == prefix


@pytest.mark.parametrize(
    ("code", "scope", "seen"),
    [
        ("450226", "450000", True),  # 广西 sees 三江
        ("450226103", "450000", True),
        ("450226", "450200", True),  # 柳州 sees 三江
        ("450102", "450200", False),  # 柳州 does not see 南宁's 兴宁区
        ("522633", "450000", False),  # nor 贵州's 从江
        ("330481001", "330481", True),
        ("330482", "330481", False),
        ("330481", "330481001", False),  # a township does not see its county
        ("330481", "", True),  # the bootstrap administrator sees everything
    ],
)
def test_a_scope_covers_the_codes_below_it(code, scope, seen):
    assert within(code, scope) is seen
    assert Actor(key_id="k", role=Role.SUPERVISOR, scope=scope).can_see(code) is seen


def test_the_store_query_covers_the_same_codes():
    collection = mongomock.MongoClient().db.cases
    collection.insert_many([{"_id": code, "division": code} for code in ("450226", "450102", "522633", "450000")])
    found = {doc["_id"] for doc in collection.find({"division": division_prefix_filter("450200")})}
    assert found == {"450226"}  # 三江 lies in 柳州; 南宁's 450102 and 贵州's 522633 do not
    found = {doc["_id"] for doc in collection.find({"division": division_prefix_filter("450000")})}
    assert found == {"450226", "450102", "450000"}
