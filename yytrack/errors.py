"""The error root and its subclasses; each carries a Chinese message for the user."""

from click import ClickException


class YytrackError(ClickException):
    """Root of every error the user may see: one line, exit code 1."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # one line, no "Error:" prefix in English
        import click

        click.echo(f"错误：{self.format_message()}", err=True)


class UsageProblem(YytrackError):
    """Bad command-line input (exit 2, like click's own usage errors)."""

    exit_code = 2


class NotATrackingRepo(YytrackError):
    """No tracking repository where one was looked for."""


class InvalidTaskFile(YytrackError):
    """A YAML file under tasks/ or progress/ that cannot be read."""


class UnknownMeasure(UsageProblem):
    """A measure id that matches nothing."""


class UnknownUnit(UsageProblem):
    """A unit name that is not in the registry."""


class NotResponsible(YytrackError):
    """The unit does not answer for the measure."""


class PermissionDenied(YytrackError):
    """The author may not act for this unit, or is not the supervising office."""


class MissingIdentity(YytrackError):
    """No git identity to commit under."""


class GitError(YytrackError):
    """A git command failed."""


class SyncConflict(YytrackError):
    """The same record changed on two clones."""


class LockTimeout(YytrackError):
    """Another yytrack process holds the repository lock."""


class EvidenceError(UsageProblem):
    """An evidence file that cannot be attached."""


class TemplateProblem(YytrackError):
    """A report template that cannot be found or rendered."""


class CheckFailed(YytrackError):
    """`check` or `audit` found problems (already printed)."""


class FormRejected(InvalidTaskFile):
    """A returned report form (or rows of it) that cannot be collected."""


class UnsafePath(InvalidTaskFile):
    """A link, device, pipe or path outside the repository where yytrack reads or writes a file."""
