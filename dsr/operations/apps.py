from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OperationsConfig(AppConfig):
    name = "dsr.operations"
    label = "operations"
    verbose_name = "Running the service"

    def ready(self) -> None:
        post_migrate.connect(create_cache_table, sender=self)


def create_cache_table(using: str = "default", **kwargs) -> None:
    """`migrate` also creates the database cache's table (when the database is the cache), so a new
    installation needs no extra step."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
