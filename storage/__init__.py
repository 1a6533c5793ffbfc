"""SQLAlchemy 2 (async) mapping of the domain, repositories, unit of work, Alembic migrations."""
