"""Production settings come from the environment: the deploy checks pass, engines switch by URL, and a
missing secret stops the start with a clear message. Each case runs Django in a fresh subprocess."""

import json
import os
import secrets
import string
import subprocess
import sys

import pytest
from django.conf import settings

BASE_DIR = settings.BASE_DIR
PRINT_SETTINGS = (
    "import json; from django.conf import settings; "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'], "
    "'name': settings.DATABASES['default']['NAME'], 'host': settings.DATABASES['default'].get('HOST', ''), "
    "'broker': settings.CELERY_BROKER_URL}))"
)


def random_secret(length: int = 60) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def clean_env(tmp_path, **overrides) -> dict[str, str]:
    """The environment of a fresh process: none of this test run's settings, only what the case gives."""
    dropped = ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(DJANGO_SETTINGS_MODULE="cxportal.settings", CXPORTAL_VAR_DIR=str(tmp_path / "var"))
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def production_env(tmp_path, **overrides) -> dict[str, str]:
    production = {"DEBUG": "false", "SECRET_KEY": random_secret(), "ALLOWED_HOSTS": "cx.example.com"}
    return clean_env(tmp_path, **{**production, **overrides})


def test_deploy_checks_pass_in_production_configuration(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_checks_fail_with_debug_on(tmp_path):
    env = production_env(tmp_path, DEBUG="true")

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W018" in output  # DEBUG in deployment
    assert "security.W008" in output  # no HTTPS redirect: the secure defaults follow DEBUG


def test_deploy_checks_fail_with_a_weak_secret(tmp_path):
    env = production_env(tmp_path, SECRET_KEY="short")

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {
                "DATABASE_URL": "postgres://cx:s3cret@db.example.com:5432/cxportal",
                "CELERY_BROKER_URL": "redis://cache.example.com:6379/2",
            },
            {
                "engine": "django.db.backends.postgresql",
                "name": "cxportal",
                "host": "db.example.com",
                "broker": "redis://cache.example.com:6379/2",
            },
        ),
        (
            {
                "DATABASE_URL": "postgresql://cx@127.0.0.1/cx_other",
                "CELERY_BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//",
            },
            {
                "engine": "django.db.backends.postgresql",
                "name": "cx_other",
                "host": "127.0.0.1",
                "broker": "amqp://guest:guest@127.0.0.1:5672//",
            },
        ),
    ],
)
def test_database_and_broker_urls_switch_the_engines(tmp_path, overrides, expected):
    result = run(["-c", PRINT_SETTINGS], production_env(tmp_path, **overrides))

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == expected


def test_embedded_defaults_need_no_server(tmp_path):
    result = run(["-c", PRINT_SETTINGS], production_env(tmp_path))

    assert result.returncode == 0, result.stderr
    configured = json.loads(result.stdout.strip().splitlines()[-1])
    assert configured["engine"] == "django.db.backends.sqlite3"
    assert configured["name"].startswith(str(tmp_path / "var"))
    assert configured["broker"] == "filesystem://"


def test_missing_secret_key_stops_the_start_with_a_clear_message(tmp_path):
    env = clean_env(tmp_path, DEBUG="false", ALLOWED_HOSTS="cx.example.com")

    result = run(["manage.py", "check"], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set SECRET_KEY" in result.stderr


def test_debug_mode_runs_without_a_secret_key(tmp_path):
    result = run(["manage.py", "check"], clean_env(tmp_path, DEBUG="true"))

    assert result.returncode == 0, result.stderr
