"""mart serve's settings: where the mart is, where to listen, and PostgreSQL's limits."""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    database: Path
    host: str = "127.0.0.1"
    port: int = 15432
    password: str | None = None
    auth: str = "scram-sha-256"  # or "md5"
    statement_timeout: float = 0.0  # seconds; 0 = none; a ceiling sessions may only lower
    max_connections: int = 100
    authentication_timeout: float = 60.0  # seconds from connecting to authenticated
    idle_session_timeout: float = 0.0  # seconds idle outside a transaction; 0 = never
    max_message_size: int = 16 << 20  # bytes, any message after authentication
    memory_limit: str | None = None  # DuckDB's memory_limit; None: default_memory_limit()
    auth_delay: float = 0.5  # seconds before a failed password is answered
