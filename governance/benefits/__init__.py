"""The benefits realisation plan: goals, benefits, indicators and measurements."""
