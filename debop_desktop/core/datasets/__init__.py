"""Task datasets: reading spreadsheets, mapping columns, validating, splitting, storing."""
