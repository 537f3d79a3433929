"""Test settings: the same as production code paths, with fast hashing and no network side effects.

``DATABASE_URL`` and ``CELERY_BROKER_URL`` still come from the environment, so CI runs the suite on the
real PostgreSQL and keeps the broker URL for the integration tests that start a real worker.
"""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("CXPORTAL_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))

from cxportal.settings import *  # noqa: E402,F403

ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# High enough that the suite never trips them; tests/cxportal/test_throttling.py overrides them low.
API_KEY_RATE = API_USER_RATE = API_ANON_RATE = "100000/min"
# Likewise; tests/cxportal/test_throttling.py and test_login_throttling.py override them low.
API_AUTH_FAILURE_RATE = "100000/min"
LOGIN_FAILURES_FREE = LOGIN_ADDRESS_FAILURES_FREE = LOGIN_USERNAME_FAILURES_FREE = 100000
