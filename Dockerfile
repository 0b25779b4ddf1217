# One image for the web, worker and cron services (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Packaging first, so code edits do not reinstall dependencies.
COPY setup.cfg pyproject.toml README.md ./
COPY govgrid/__init__.py govgrid/__init__.py
RUN pip install -e . && rm -rf govgrid

COPY . .
RUN pip install --no-deps -e . && useradd --system --home /app govgrid \
    && mkdir -p /app/instance && chown govgrid /app/instance
USER govgrid

EXPOSE 5000
# Threaded workers: long exports occupy a thread, not a worker (see scripts/quickstart).
CMD ["gunicorn", "--workers", "2", "--threads", "4", "--timeout", "120", "--bind", "0.0.0.0:5000", \
     "govgrid.wsgi:app"]
