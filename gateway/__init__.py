"""The gateway: the only way in. HTTP to RPC calls and durable commands, auth, tenancy, validation."""
