"""Database: embedded PostgreSQL bootstrap, async engine and sessions, Alembic migrations."""
