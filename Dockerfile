# Prioritering under gunicorn. Built and run by docker-compose.yml.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# WeasyPrint lays out the PDFs with Pango; DejaVu is the documents' font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 prioritering

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings that load; these values are only for the build.
# Translations (.mo) are committed, so no gettext is needed in the image.
RUN DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --no-input -v0

USER prioritering
EXPOSE 8000
# Migrations run on start; the database is the one in DATABASE_URL.
CMD ["sh", "-c", "python manage.py migrate --no-input && exec gunicorn prioritering.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-5} --access-logfile - --max-requests 1000 --max-requests-jitter 100"]
