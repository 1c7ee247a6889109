"""Open data: the policy library, benefits with their rules and the directory as files to download."""
