"""How the model is asked: `narrow` (one small question per attribution) or `full` (per chunk)."""
