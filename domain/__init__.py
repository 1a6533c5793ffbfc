"""The business: entities, rules and use cases. Plain Python only (no aiogram, no SQLAlchemy)."""
