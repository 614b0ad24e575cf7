"""`python -m yytrack` and the `yytrack` console script.

`--version` is answered here, before click and the commands are imported: for that answer the
start-up is the whole cost. Everything else goes to yytrack.cli.
"""

import sys


def run(argv=None) -> None:
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["--version"], ["-V"]):
        from yytrack import __version__

        sys.stdout.write(f"yytrack {__version__}\n")  # what click's version option prints
        sys.stdout.flush()
        sys.exit(0)
    from yytrack.cli import main

    main(argv)


if __name__ == "__main__":
    run()
