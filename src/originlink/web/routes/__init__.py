"""The pages under ``/app/``, one module per role or concern (see docs/architecture.md, "web")."""
