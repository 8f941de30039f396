"""Tests of the views: plans and histories as people read them."""
