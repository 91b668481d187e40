"""clauses stage."""
