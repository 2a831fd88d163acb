"""The round kinds of a timeline and the kernels they share."""
