"""Import errors: a file that cannot be read at all, and a cell whose value cannot be used."""


class UnusableFileError(Exception):
    """The file as a whole cannot be imported (not a spreadsheet, no recognisable header…)."""


class CellError(ValueError):
    """One cell's value is unusable; the message is shown to the regulator as is (French)."""
