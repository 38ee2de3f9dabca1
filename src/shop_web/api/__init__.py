"""HTTP resources, one flask-smorest Blueprint per area."""
