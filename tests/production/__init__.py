"""Production setup: several app servers on one database, and the deployment files."""
