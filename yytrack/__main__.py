from yytrack.cli import main

main()
