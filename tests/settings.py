"""Test settings: the real settings, with a fast password hasher."""

from prioritering.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Files the tests make (documents, their cached parts, uploads) go to a folder
# of this test process's own: the suite runs in several processes
# (pytest-xdist), and none must see or clear another's files. A process a test
# starts (the worker) is told its folder in MEDIA_ROOT.
import os  # noqa: E402
import tempfile  # noqa: E402

if "MEDIA_ROOT" not in os.environ:
    MEDIA_ROOT = Path(  # noqa: F405
        tempfile.mkdtemp(
            prefix=f"prioritering-test-media-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-"
        )
    )
