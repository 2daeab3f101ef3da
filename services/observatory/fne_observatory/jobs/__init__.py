"""The job machinery of the observatory's long computations (directory, surveys, roadmap): start, progress,
heartbeat, cancellation, interruption. It knows no indicator (docs/architecture.md, « Long computations »)."""
