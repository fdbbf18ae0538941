"""Small pieces every app may use; imports nothing of the apps (healthchecks keeps hc/lib the same way)."""
