"""Tests of the command line, run as real `cocrea` processes."""
