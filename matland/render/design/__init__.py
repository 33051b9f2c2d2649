"""Output of the design commands: explain, levers, whatif/compare, precedents."""
