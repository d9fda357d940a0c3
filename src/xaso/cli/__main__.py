"""`python -m xaso.cli`: the `xaso` command without its installed script."""

import sys

from xaso.cli import main

sys.exit(main())
