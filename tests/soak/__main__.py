"""``python -m tests.soak --desks N --seconds S --db URL [--report out.json]``."""

import sys

from tests.soak.soak import main

sys.exit(main())
