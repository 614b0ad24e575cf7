"""yytrack：政策文件落实跟踪。

Library entry point::

    from yytrack import Tracker
    tracker = Tracker.discover()          # or Tracker("path/to/repo")
    for measure in tracker.measures(plan="fujian"):
        print(measure.id, measure.title)
"""

__version__ = "0.1.0"

__all__ = ["Tracker", "YytrackError", "__version__"]


def __getattr__(name):
    # Lazy so that `yytrack --version` does not pay for git and YAML imports.
    if name == "Tracker":
        from yytrack.tracker import Tracker

        return Tracker
    if name == "YytrackError":
        from yytrack.errors import YytrackError

        return YytrackError
    raise AttributeError(name)
