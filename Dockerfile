# The bot in a container: `docker compose up` runs two instances behind a webhook (docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY domain ./domain
COPY storage ./storage
RUN pip install --no-cache-dir .
RUN useradd --create-home loop
USER loop
EXPOSE 8080
# Migrations are idempotent and run under a lock-free Alembic upgrade; run them once before scaling out.
CMD ["sh", "-c", "python -m bot migrate && exec python -m bot run"]
