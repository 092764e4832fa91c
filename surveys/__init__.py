"""Survey definitions (as data) and the indicator maths behind the "Your Views" dashboards."""
