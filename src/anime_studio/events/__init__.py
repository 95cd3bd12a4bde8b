"""Event bus: in-process async pub/sub, bridged across processes with PostgreSQL LISTEN/NOTIFY."""
