"""The five nameko services; each owns its database and talks to the others only over the broker."""
