"""The JSON API (/api/v1) and the personal API tokens it is used with."""
