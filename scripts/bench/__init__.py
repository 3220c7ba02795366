"""Every benchmark: `python -m bench` runs them all and prints figures against targets."""
