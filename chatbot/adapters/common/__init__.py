"""What more than one adapter uses and no core module should: HTTP plumbing and the like."""
