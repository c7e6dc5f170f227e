"""Dashboards: read-only views over the other domains (the project dashboard, the
portfolio, the steering group pack)."""
