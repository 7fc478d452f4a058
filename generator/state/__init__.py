"""What the incremental build keeps between builds."""
