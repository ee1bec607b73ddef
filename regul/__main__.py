"""``python -m regul``: the same as the ``regul`` command."""

import sys

from regul.launcher import main_cli

sys.exit(main_cli())
