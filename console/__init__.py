"""The regulator's and dispatcher's Qt windows: PySide6 only, logic lives in the domain packages."""
