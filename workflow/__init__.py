"""The domain of cocrea: machines built from a definition, guards, aggregates and services."""
