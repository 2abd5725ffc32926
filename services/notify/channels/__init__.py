"""notify's outgoing channels: one adapter per way a message leaves the platform."""
