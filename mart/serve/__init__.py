"""The PostgreSQL-protocol endpoint: mart serve."""
