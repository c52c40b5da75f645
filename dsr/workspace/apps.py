from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """The pages that bring several apps together: the home page and register switch, the register list,
    a person's page and the caseloads."""

    name = "dsr.workspace"
    label = "workspace"
    verbose_name = "Workspace"
