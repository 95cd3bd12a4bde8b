"""Learning: what worked for each character (SQL over generation history and decisions), suggestions, drift."""
