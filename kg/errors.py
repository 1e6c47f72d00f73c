"""Errors a user can act on. The CLI prints their message and exits with their code."""

from __future__ import annotations

EXIT_RUNTIME = 1  # a store or file system failed
EXIT_INVALID = 2  # bad usage or invalid input


class KgError(Exception):
    """An error whose message is fit for a user, with the exit code it warrants."""

    exit_code = EXIT_RUNTIME


class InvalidInput(KgError):
    exit_code = EXIT_INVALID


class ValidationFailed(InvalidInput):
    """The seeds (or an RDF dump) break the rules; `problems` are `file:line: what` lines."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join([*problems, f"{len(problems)} problem(s) found"]))
