"""HTTP entry points (FastAPI): back office, gateway-to-gateway and public verification."""
