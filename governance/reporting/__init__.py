"""Status reports per project and organisation, with tolerances and snapshots."""
