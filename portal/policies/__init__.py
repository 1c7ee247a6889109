"""The policy library (政策集中发布): documents, their guides and feeds."""
