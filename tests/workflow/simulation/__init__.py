"""Tests of whole processes run on a virtual clock."""
