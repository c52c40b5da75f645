"""The people who use the register, one per role, shared by the demo data and the tests.

Usernames are the role's name. They exist only where `seed_demo` (or a test) creates them.
"""

from dataclasses import dataclass

from dsr.registers.models import Role

DEMO_PASSWORD = "dsr-demo"  # noqa: S105 (demo data only)


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str
    is_staff: bool = False


PERSONAS = [
    Persona("coordinator", "Priya", "Shah", Role.COORDINATOR, "NHS Kent and Medway ICB"),
    Persona("keyworker", "Sam", "Okafor", Role.KEYWORKER, "Kent Community Health NHS Foundation Trust"),
    Persona("professional", "Helen", "Marsh", Role.PROFESSIONAL, "Kent County Council"),
    Persona("referrer", "Tom", "Whitfield", Role.REFERRER, "Oakfield Primary School"),
    Persona("ig", "Grace", "Adeyemi", Role.IG, "NHS Kent and Medway ICB"),
    Persona("analyst", "Ravi", "Menon", Role.ANALYST, "NHS Kent and Medway ICB"),
    Persona("admin", "Alex", "Brennan", Role.ADMIN, "NHS Kent and Medway ICB", is_staff=True),
]
