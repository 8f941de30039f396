"""Tests of the domain: machines, guards, aggregates, time, with no database."""
