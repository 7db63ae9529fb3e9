import logging
import time


class UTCFormatter(logging.Formatter):
    """Log times in UTC with an explicit zone, as the security log requires."""

    converter = time.gmtime

    def formatTime(self, record, datefmt=None):  # noqa: N802 (logging's name)
        return super().formatTime(record, datefmt or "%Y-%m-%dT%H:%M:%SZ")
