"""Tests of the adapters: the Decidim export reader, on real sample exports."""
