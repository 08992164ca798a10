"""The back-office REST API under ``/api/v1``: applications, certificates, users, audit."""
