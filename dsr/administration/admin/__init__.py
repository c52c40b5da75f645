"""The admin is for registers, organisations, users and policy: never person data.

Every save and delete here goes through dsr.administration.services, accounts and configuration, so it is
in the IG audit trail with before and after, and the rules on access hold here as everywhere: nobody
changes their own access, and a role that shows identifiable data, or administrator rights, waits for a
second person to approve it (docs/adr/0010-administration-is-audited-and-approved.md). Django's own admin
log is kept too, but IG officers read the audit trail.
"""

from dsr.administration.admin import memberships, requests, setup, users  # noqa: F401 (each registers its pages)
