"""Consultation tasks (立法征询意见任务): given by an office to a point, forwarded along partners."""
