"""Evaluation pages: staff pages (staff.py, scoring.py) and the public survey (public.py)."""
