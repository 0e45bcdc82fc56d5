"""``python -m benchmark`` is the same as ``khabar``."""

import sys

from benchmark.cli import main

sys.exit(main())
