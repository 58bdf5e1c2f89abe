"""Tests of the reports: the summary numbers, the exports, the digest and the commands."""
