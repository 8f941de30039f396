"""Scenarios shipped with the definitions (scripted runs of a process)."""
