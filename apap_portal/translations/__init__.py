"""The languages the portal is read in, and (later) the translations of its records."""
