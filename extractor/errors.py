"""Errors a loader raises for input it cannot use; the pipeline turns them into `failed` reports."""


class ExtractionError(Exception):
    """A document cannot be read; the message is the one-line reason shown to users."""


class UnsupportedInput(ExtractionError):
    pass


class InputTooLarge(ExtractionError):
    pass


class EncryptedInput(ExtractionError):
    pass


class CorruptInput(ExtractionError):
    pass
