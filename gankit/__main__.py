"""`python -m gankit` runs the `gankit` command."""

import sys

from gankit.cli import main

sys.exit(main())
