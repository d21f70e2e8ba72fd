"""Allow `python -m zgc_cli`."""

from zgc_cli.cli import main

main()
