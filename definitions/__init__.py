"""Process definitions: the YAML language, its schema, loader, checks and summary."""
