"""``cocrea serve`` says first, and logs, when the database can lose what it acknowledged."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from tests.support.postgres import PostgresCluster
from tests.support.server import serve, stop

AT_RISK = ("ATENCIÓN: PostgreSQL funciona con {settings}: una escritura ya confirmada puede "
           "perderse si el servidor o la máquina caen. Active fsync y synchronous_commit en "
           "producción.")


def served_log(db_url: str) -> str:
    process, _ = serve(db_url, "--notify-every", "60")
    return stop(process)


def test_serve_warns_first_when_its_database_turns_synchronous_commit_off(
        durable_postgres_url: str, durable_cluster_session: PostgresCluster) -> None:
    name = str(make_url(durable_postgres_url).database)
    durable_cluster_session.set_for_database(name, "synchronous_commit", "off")

    log = served_log(durable_postgres_url)

    assert log.splitlines()[0] == AT_RISK.format(settings="synchronous_commit=off")
    assert '"event": "durability_at_risk"' in log.splitlines()[1]
    assert '"settings": {"fsync": "on", "synchronous_commit": "off"}' in log.splitlines()[1]
    assert '"level": "warning"' in log.splitlines()[1]


def test_serve_warns_first_on_a_server_without_fsync(postgres_url: str) -> None:
    log = served_log(postgres_url)

    assert log.splitlines()[0] == AT_RISK.format(settings="fsync=off, synchronous_commit=off")
    assert '"unsafe": ["fsync", "synchronous_commit"]' in log.splitlines()[1]


def test_serve_on_a_durable_server_says_nothing_of_it(durable_postgres_url: str) -> None:
    log = served_log(durable_postgres_url)

    assert "ATENCIÓN" not in log and "durability_at_risk" not in log
