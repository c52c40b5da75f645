"""A backup taken as docs/operations.md says restores to a register that serves, holds the same
records, and whose audit trail still verifies."""

import dataclasses
import subprocess

from tests.production.deployment import Visitor, create_database, drop_database, postgres_server_url

COUNTS = (
    "SELECT (SELECT count(*) FROM people_person), (SELECT count(*) FROM ratings_riskrating), "
    "(SELECT count(*) FROM governance_auditevent), (SELECT count(*) FROM referrals_referral)"
)


def test_a_backup_restores_to_a_register_that_serves_and_whose_audit_trail_verifies(processes, tmp_path):
    processes.manage("verify_audit")  # seals every event, so the copy holds a complete chain
    backup = tmp_path / "dsr.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={backup}", processes.database_url], check=True
    )
    server = postgres_server_url()
    name = processes.database_url.rsplit("/", 1)[1] + "_restored"
    restored = dataclasses.replace(processes, database_url=create_database(server, name), processes=[])
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored.database_url}", str(backup)],
            check=True,
        )

        assert restored.query(COUNTS) == processes.query(COUNTS)
        assert "The audit trail is intact" in restored.manage("verify_audit")
        web = restored.start_web()
        coordinator = Visitor(web.url)
        coordinator.sign_in("coordinator", restored)
        assert coordinator.get("/people/").status_code == 200
    finally:
        restored.stop_all()
        drop_database(server, name)
