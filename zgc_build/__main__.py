"""`python -m zgc_build [--check]`: validate data/source/*.csv and write data/zgc.parquet."""

import sys

from zgc_build import main

sys.exit(main())
