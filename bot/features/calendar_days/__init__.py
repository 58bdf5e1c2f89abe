"""Corrections of the working calendar: worked weekends and extra days off."""
