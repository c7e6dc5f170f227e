"""Retention: the wastebasket (papirkurv) for governance evidence, the guard that keeps
published reports and decisions from ever being deleted, and the administrator's purge of a
project created by mistake."""
