"""The frozen app's entry point: the same main() as the `qtmail` console script."""

import sys

from qtmail.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
