"""Allow `python -m zgc_cli`."""

from zgc_cli.entry import main

main()
