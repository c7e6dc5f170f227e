"""The risk register (usikkerhet): threats and opportunities, measures, re-assessments."""
