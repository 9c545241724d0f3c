"""Shared state (feedback, quiz progress, the login key) in a SQLAlchemy database.

``IMNM_DATABASE_URL`` chooses it: unset, SQLite files in ``IMNM_DATA_DIR`` (WAL, one short
connection per call); ``postgresql+psycopg://...`` a server that several processes share. Layering:
above core, below quiz and web; nothing here imports answering, quiz or web.
"""
