"""Answer-accuracy evaluation: case files, metrics, runner and reports."""
