"""Trained, calibrated layers that need no language model; parameters in params/."""
