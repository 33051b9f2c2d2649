"""After roll-out: a review's computations (the profile across the report's six criteria,
the place on McConnell's spectrum, the comparison with the prediction, the timeline) and
the template `matland review init` writes. Pure: files are read in source/review.py."""
