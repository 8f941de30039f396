"""Whether the database can lose a commit it acknowledged: the settings read from real
servers, and the decision taken on them."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from storage.database import durability_settings, open_engine, unsafe_settings
from tests.support.postgres import PostgresCluster


@pytest.mark.parametrize(("settings", "unsafe"), [
    ({"fsync": "on", "synchronous_commit": "on"}, {}),
    ({"fsync": "on", "synchronous_commit": "local"}, {}),
    ({"fsync": "on", "synchronous_commit": "remote_write"}, {}),
    ({"fsync": "on", "synchronous_commit": "remote_apply"}, {}),
    ({"fsync": "off", "synchronous_commit": "on"}, {"fsync": "off"}),
    ({"fsync": "on", "synchronous_commit": "off"}, {"synchronous_commit": "off"}),
    ({"fsync": "off", "synchronous_commit": "off"}, {"fsync": "off", "synchronous_commit": "off"}),
    ({"fsync": "OFF", "synchronous_commit": "false"}, {"fsync": "OFF",
                                                      "synchronous_commit": "false"}),
    ({"full_page_writes": "off"}, {}),
    ({}, {}),
])
def test_a_commit_can_be_lost_when_fsync_or_synchronous_commit_is_off(
        settings: dict[str, str], unsafe: dict[str, str]) -> None:
    assert unsafe_settings(settings) == unsafe


def test_the_fast_test_server_is_read_as_unsafe_on_both_settings(postgres_url: str) -> None:
    read = durability_settings(open_engine(postgres_url))

    assert read == {"fsync": "off", "synchronous_commit": "off"}
    assert unsafe_settings(read) == read


def test_a_durable_server_is_safe_until_a_database_turns_synchronous_commit_off(
        durable_postgres_url: str, durable_cluster_session: PostgresCluster) -> None:
    before = durability_settings(open_engine(durable_postgres_url))
    name = str(make_url(durable_postgres_url).database)
    durable_cluster_session.set_for_database(name, "synchronous_commit", "off")
    after = durability_settings(open_engine(durable_postgres_url, migrate=False))

    assert before == {"fsync": "on", "synchronous_commit": "on"}
    assert unsafe_settings(before) == {}
    assert after == {"fsync": "on", "synchronous_commit": "off"}
    assert unsafe_settings(after) == {"synchronous_commit": "off"}


def test_sqlite_has_no_setting_to_read(sqlite_url: str) -> None:
    assert durability_settings(open_engine(sqlite_url)) == {}
