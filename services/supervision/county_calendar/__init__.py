"""The county calendars in the deadline watch: routing's per-county working days, kept by supervision."""
