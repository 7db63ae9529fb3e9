"""Production settings pass Django's deployment checks; models match migrations."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k9$Qm2!vTz7#pW4xLr8@nB6^yHc3&dF5*jG1%sA0-eU_iO+oP=aS/lK?mN~bV.cX",
    "ALLOWED_HOSTS": "prioritering.exempelkommun.se",
    "DATABASE_URL": "sqlite:///:memory:",
    "DJANGO_SETTINGS_MODULE": "prioritering.settings",
}


def run(*args, env):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def manage(*args, env):
    return run("manage.py", *args, env=env)


def test_check_deploy_reports_no_issues():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_are_strict():
    env = {**PRODUCTION_ENV}
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
        "s.SECURE_SSL_REDIRECT, s.DATABASES['default']['CONN_HEALTH_CHECKS'], s.DEBUG)"
    )
    result = run("-c", code, env=env)
    assert result.stdout.split() == ["True", "True", "True", "True", "True", "False"], result.stderr


def test_postgres_url_gives_health_checked_persistent_connections():
    code = (
        "import django; from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'], d['CONN_MAX_AGE'] > 0, d['CONN_HEALTH_CHECKS'])"
    )
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://prio:secret@db.example:5432/prio"}
    result = run("-c", code, env=env)
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "prio",
        "db.example",
        "True",
        "True",
    ], result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
