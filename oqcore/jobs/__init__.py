"""Jobs: the SQLite job database, the runner (one process per job) and the logs."""
